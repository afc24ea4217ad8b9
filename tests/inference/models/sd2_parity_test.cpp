// The three SD2 networks against the reference implementations' outputs on the tiny models, in
// both checkpoint layouts (tests/data/reference/README.md: tolerance 1e-4 max abs).
#include "inference/models/model_loader.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <c10/core/InferenceMode.h>
#include <catch2/catch.hpp>

#include <string>

using namespace atelier::inference;

namespace {

const std::string kRef = ATELIER_TEST_DATA_DIR "/reference";
const char* kVariants[] = {"txt2img-eps", "txt2img-v", "inpainting", "depth", "x4-upscaler"};

std::string modelPath(const std::string& variant, bool diffusers) {
    const std::string dir = kRef + "/models/" + variant;
    return diffusers ? dir + "/diffusers" : dir + "/" + variant + ".ldm.safetensors";
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
    REQUIRE(a.sizes() == b.sizes());
    return (a.to(at::kFloat) - b.to(at::kFloat)).abs().max().item<double>();
}

}  // namespace

TEST_CASE("UNet output matches the reference for every variant, layout and case", "[parity][unet]") {
    c10::InferenceMode guard;
    for (const char* variant : kVariants) {
        const auto ref = readTensors(kRef + "/unet/" + variant + ".safetensors");
        for (bool diffusers : {false, true}) {
            const ModelCheckpoint m = openCheckpoint(modelPath(variant, diffusers));
            UNetModel unet = loadUNet(m, {});
            for (int c = 0; c < 3; ++c) {
                const std::string k = "case" + std::to_string(c) + ".";
                if (!ref.count(k + "sample")) continue;
                const at::Tensor labels = ref.count(k + "class_labels") ? ref.at(k + "class_labels") : at::Tensor();
                const at::Tensor out = unet->forward(ref.at(k + "sample"), ref.at(k + "timestep"),
                                                     ref.at(k + "encoder_hidden_states"), labels);
                INFO(variant << (diffusers ? " diffusers" : " ldm") << " case " << c);
                CHECK(maxAbsDiff(out, ref.at(k + "out")) <= 1e-4);
            }
        }
    }
}

TEST_CASE("VAE encode and decode match the reference for every variant and layout", "[parity][vae]") {
    c10::InferenceMode guard;
    for (const char* variant : kVariants) {
        const auto ref = readTensors(kRef + "/vae/" + std::string(variant) + ".safetensors");
        for (bool diffusers : {false, true}) {
            const ModelCheckpoint m = openCheckpoint(modelPath(variant, diffusers));
            AutoencoderKL vae = loadVae(m, {});
            INFO(variant << (diffusers ? " diffusers" : " ldm"));
            const DiagonalGaussian posterior = vae->encode(ref.at("encode.image"));
            CHECK(maxAbsDiff(posterior.mean, ref.at("encode.mean")) <= 1e-4);
            CHECK(maxAbsDiff(posterior.logvar, ref.at("encode.logvar")) <= 1e-4);
            CHECK(maxAbsDiff(posterior.std, ref.at("encode.std")) <= 1e-4);
            const at::Tensor sample = posterior.sample(ref.at("encode.noise"));
            CHECK(maxAbsDiff(sample, ref.at("encode.sample")) <= 1e-4);
            CHECK(maxAbsDiff(sample * m.vaeConfig.scalingFactor, ref.at("encode.latents_scaled")) <= 1e-4);
            CHECK(maxAbsDiff(vae->decode(ref.at("decode.z")), ref.at("decode.image")) <= 1e-4);
        }
    }
}

TEST_CASE("text encoder hidden states match the reference in both layouts", "[parity][text]") {
    c10::InferenceMode guard;
    const auto ref = readTensors(kRef + "/text_encoder/hidden_states.safetensors");
    for (bool diffusers : {false, true}) {
        const ModelCheckpoint m = openCheckpoint(modelPath("txt2img-eps", diffusers));
        OpenClipText text = loadTextEncoder(m, {});
        INFO((diffusers ? "diffusers" : "ldm"));
        CHECK(maxAbsDiff(text->forward(ref.at("input_ids")), ref.at("hidden_states")) <= 1e-4);
    }
}

TEST_CASE("every variant's text encoder gives the same conditioning", "[parity][text]") {
    c10::InferenceMode guard;
    const auto ref = readTensors(kRef + "/text_encoder/hidden_states.safetensors");
    const at::Tensor ids = ref.at("input_ids").slice(0, 0, 4);
    for (const char* variant : kVariants) {
        OpenClipText text = loadTextEncoder(openCheckpoint(modelPath(variant, false)), {});
        INFO(variant);
        CHECK(maxAbsDiff(text->forward(ids), ref.at("hidden_states").slice(0, 0, 4)) <= 1e-4);
    }
}
