// Every reference pipeline case through the public API, with the recorded noise replayed from
// the case's own file, in both model layouts: final image within 2e-3 (README tolerance).
#include "inference/pipelines.h"
#include "inference/schedulers/schedule_config.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

using namespace atelier::inference;

namespace {

const std::string kRef = ATELIER_TEST_DATA_DIR "/reference";

struct Case {
    nlohmann::json meta;
    std::map<std::string, at::Tensor> tensors;
    std::string file;
};

Case loadCase(const std::string& name) {
    Case c;
    c.file = kRef + "/pipelines/" + name + ".safetensors";
    std::ifstream in(kRef + "/pipelines/" + name + ".json");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    c.meta = nlohmann::json::parse(quotePythonJsonConstants(text));  // Python writes -Infinity
    c.tensors = readTensors(c.file);
    return c;
}

std::string modelPath(const Case& c, bool diffusers) {
    const std::string dir = c.meta.at("model_dir").get<std::string>();
    const std::string variant = dir.substr(dir.find('/') + 1);
    return kRef + "/" + dir + (diffusers ? "/diffusers" : "/" + variant + ".ldm.safetensors");
}

ImageF imageFromUint8(const at::Tensor& hwc) {
    const at::Tensor t = hwc.dim() == 2 ? hwc.unsqueeze(2) : hwc;
    ImageF image(int(t.size(1)), int(t.size(0)), int(t.size(2)));
    const at::Tensor f = (t.to(at::kFloat) / 255.0).contiguous();
    std::copy(f.data_ptr<float>(), f.data_ptr<float>() + f.numel(), image.data.begin());
    return image;
}

GenerationRequest requestFor(const Case& c) {
    GenerationRequest r;
    r.prompt = c.meta.at("prompt");
    r.negativePrompt = c.meta.at("negative_prompt");
    r.steps = c.meta.at("num_inference_steps");
    r.guidance = c.meta.at("guidance_scale");
    r.noiseFile = c.file;
    if (c.meta.contains("width")) r.width = c.meta.at("width");
    if (c.meta.contains("height")) r.height = c.meta.at("height");
    if (c.meta.contains("strength")) r.strength = c.meta.at("strength");
    if (c.meta.contains("noise_level")) r.noiseLevel = c.meta.at("noise_level");
    const std::string kind = c.meta.value("scheduler_kind", "");
    if (kind == "ddim_eta0") r.scheduler = "ddim";
    if (kind == "euler_ancestral") r.scheduler = "euler_a";
    if (kind == "dpmpp_2m_karras") r.scheduler = "dpmpp_2m_karras";
    return r;
}

double imageError(const GenerationResult& result, const at::Tensor& expectedNhwc) {
    const at::Tensor got = at::from_blob(const_cast<float*>(result.image.data.data()),
                                         {1, result.image.height, result.image.width, result.image.channels});
    REQUIRE(got.sizes() == expectedNhwc.sizes());
    return (got - expectedNhwc).abs().max().item<double>();
}

}  // namespace

TEST_CASE("txt2img matches every reference case", "[parity][pipeline]") {
    for (const char* name : {"txt2img_eps_ddim", "txt2img_eps_euler_ancestral", "txt2img_v_ddim", "txt2img_v_dpmpp_2m_karras"}) {
        const Case c = loadCase(name);
        for (bool diffusers : {false, true}) {
            INFO(name << (diffusers ? " diffusers" : " ldm"));
            Sd2Model model = Sd2Model::open(modelPath(c, diffusers));
            const GenerationResult result = txt2img(model, requestFor(c));
            CHECK(result.notes.empty());
            CHECK(imageError(result, c.tensors.at("image")) <= 2e-3);
        }
    }
}

TEST_CASE("inpaint matches the reference case", "[parity][pipeline]") {
    const Case c = loadCase("inpainting");
    for (bool diffusers : {false, true}) {
        INFO((diffusers ? "diffusers" : "ldm"));
        Sd2Model model = Sd2Model::open(modelPath(c, diffusers));
        GenerationRequest r = requestFor(c);
        r.image = imageFromUint8(c.tensors.at("input.image_uint8_hwc"));
        r.mask = imageFromUint8(c.tensors.at("input.mask_uint8_hw"));
        const GenerationResult result = inpaint(model, r);
        CHECK(result.notes.empty());
        CHECK(imageError(result, c.tensors.at("image")) <= 2e-3);
    }
}

namespace {
ImageF depthFromTensor(const at::Tensor& chw) {  // [1, H, W] float
    ImageF depth(int(chw.size(2)), int(chw.size(1)), 1);
    const at::Tensor c = chw.contiguous();
    std::copy(c.data_ptr<float>(), c.data_ptr<float>() + c.numel(), depth.data.begin());
    return depth;
}
double conditioningError(const GenerationResult& result, const at::Tensor& expected) {  // [1, 1, h, w]
    const at::Tensor got = at::from_blob(const_cast<float*>(result.depthUsed.data.data()),
                                         {1, 1, result.depthUsed.height, result.depthUsed.width});
    REQUIRE(got.sizes() == expected.sizes());
    return (got - expected).abs().max().item<double>();
}
}  // namespace

TEST_CASE("depth2img matches the reference with a given depth map and with the DPT", "[parity][pipeline]") {
    for (const char* name : {"depth2img_given_depth", "depth2img_dpt"}) {
        const Case c = loadCase(name);
        for (bool diffusers : {false, true}) {
            INFO(name << (diffusers ? " diffusers" : " ldm"));
            Sd2Model model = Sd2Model::open(modelPath(c, diffusers));
            GenerationRequest r = requestFor(c);
            r.image = imageFromUint8(c.tensors.at("input.image_uint8_hwc"));
            if (c.tensors.count("input.depth_map")) {
                r.depth = depthFromTensor(c.tensors.at("input.depth_map"));
            } else {
                r.depthEstimator = kRef + "/models/depth/diffusers";  // the single file has no DPT beside it
            }
            const GenerationResult result = depth2img(model, r);
            CHECK(result.stepsRun == c.meta.at("num_scheduler_steps_run").get<int>());
            CHECK(conditioningError(result, c.tensors.at("input.depth_map_normalized_latent_res")) <= 1e-4);
            CHECK(imageError(result, c.tensors.at("image")) <= 2e-3);
        }
    }
}

TEST_CASE("x4 upscale matches the reference", "[parity][pipeline]") {
    const Case c = loadCase("x4_upscale");
    for (bool diffusers : {false, true}) {
        INFO((diffusers ? "diffusers" : "ldm"));
        Sd2Model model = Sd2Model::open(modelPath(c, diffusers));
        GenerationRequest r = requestFor(c);
        r.image = imageFromUint8(c.tensors.at("input.low_res_image_uint8_hwc"));
        const GenerationResult result = upscale(model, r);
        CHECK(result.image.width == 64);
        CHECK(imageError(result, c.tensors.at("image")) <= 2e-3);
    }
}
