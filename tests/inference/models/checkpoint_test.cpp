// Opening models: variant and prediction detection in both layouts, the full-size released
// layouts (reference key manifests, as sparse files: shapes without data), and every kind of
// file that must be refused with a clear message.
#include "inference/models/checkpoint.h"
#include "inference/models/model_loader.h"
#include "inference/models/layers.h"
#include "inference/weights/safetensors_writer.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace atelier::inference;
namespace fs = std::filesystem;

namespace {

const std::string kRef = ATELIER_TEST_DATA_DIR "/reference";

std::string ldmFile(const std::string& variant) {
    return kRef + "/models/" + variant + "/" + variant + ".ldm.safetensors";
}
std::string diffusersFolder(const std::string& variant) { return kRef + "/models/" + variant + "/diffusers"; }

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / "atelier_checkpoint_test" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

// A valid .safetensors whose tensors are all F16 zeros, written sparsely (no disk, no memory):
// the header is real, the data region a hole.
void writeSparse(const fs::path& path, const nlohmann::json& shapes, const std::string& prefix = "") {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    uint64_t offset = 0;
    for (const auto& [name, shape] : shapes.items()) {
        uint64_t bytes = 2;
        for (const auto& d : shape) bytes *= d.get<uint64_t>();
        header[prefix + name] = {{"dtype", "F16"}, {"shape", shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    const std::string text = header.dump();
    fs::create_directories(path.parent_path());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = uint8_t(uint64_t(text.size()) >> (8 * i));
    REQUIRE(::write(fd, length, 8) == 8);
    REQUIRE(::write(fd, text.data(), text.size()) == ssize_t(text.size()));
    REQUIRE(::ftruncate(fd, off_t(8 + text.size() + offset)) == 0);
    ::close(fd);
}

std::string openError(const std::string& path, const CheckpointOptions& options = {}) {
    try {
        openCheckpoint(path, options);
    } catch (const WeightsError& e) {
        return e.what();
    }
    return "(no error)";
}

int64_t paramsOf(const torch::nn::Module& m) { return parameterCount(m); }

}  // namespace

TEST_CASE("every tiny model is named correctly in both layouts", "[checkpoint]") {
    const std::pair<const char*, const char*> expected[] = {{"txt2img-eps", "epsilon"}, {"txt2img-v", "v"},
                                                            {"inpainting", "epsilon"},  {"depth", "epsilon"},
                                                            {"x4-upscaler", "v"}};
    for (const auto& [variant, prediction] : expected) {
        for (bool diffusers : {false, true}) {
            INFO(variant << (diffusers ? " diffusers" : " ldm"));
            const ModelCheckpoint m = openCheckpoint(diffusers ? diffusersFolder(variant) : ldmFile(variant));
            CHECK(variantName(m.variant, m.prediction) == variant);
            CHECK(std::string(predictionName(m.prediction)) == prediction);
            CHECK(m.assumptions.empty());
            CHECK_THAT(m.predictionSource, Catch::Contains(diffusers ? "scheduler_config.json" : ".ldm.yaml"));
        }
    }
    const ModelCheckpoint x4 = openCheckpoint(ldmFile("x4-upscaler"));
    CHECK(x4.unetConfig.numClasses == 1000);
    CHECK(x4.unetConfig.numHeads == 4);
    CHECK(x4.unetConfig.disableSelfAttention == std::vector<bool>{false, true, false});
    CHECK(x4.vaeConfig.spatialFactor() == 4);
    CHECK(x4.vaeConfig.scalingFactor == Approx(0.08333));
    CHECK(x4.schedule.maxNoiseLevel == 350);
    CHECK(openCheckpoint(diffusersFolder("x4-upscaler")).schedule.maxNoiseLevel == 350);
}

TEST_CASE("without a yaml the prediction type is assumed aloud, and the user can choose", "[checkpoint]") {
    const nlohmann::json manifest = readJson(kRef + "/manifests/txt2img-v.json");
    const fs::path dir = scratch("noyaml");
    const std::string file = (dir / "768-v-ema.safetensors").string();
    writeSparse(file, manifest["ldm"]);
    const ModelCheckpoint m = openCheckpoint(file);
    CHECK(m.prediction == Prediction::Epsilon);  // the 512-base default, said aloud:
    CHECK_THAT(m.predictionSource, Catch::Contains("assumed"));
    REQUIRE(!m.assumptions.empty());
    CHECK_THAT(m.assumptions.front(), Catch::Contains("768-v") && Catch::Contains("(v)"));
    CheckpointOptions chooseV;
    chooseV.prediction = Prediction::V;
    const ModelCheckpoint v = openCheckpoint(file, chooseV);
    CHECK(v.prediction == Prediction::V);
    CHECK_THAT(v.predictionSource, Catch::Contains("explicitly"));
    for (const auto& a : v.assumptions) CHECK_THAT(a, !Catch::Contains("prediction"));
    chooseV.prediction.reset();
    writeText(dir / "v.yaml", "model:\n  params:\n    parameterization: v\n");
    chooseV.configPath = (dir / "v.yaml").string();
    CHECK(openCheckpoint(file, chooseV).prediction == Prediction::V);
}

TEST_CASE("heads that do not fit the channels are refused, not divided by", "[checkpoint]") {
    const fs::path dir = scratch("heads");
    fs::copy_file(ldmFile("txt2img-eps"), dir / "tiny.safetensors");  // 32 channels, no yaml: 64 per head
    CHECK_THAT(openError((dir / "tiny.safetensors").string()),
               Catch::Contains("32 channels") && Catch::Contains("64 channels per head"));
}

TEST_CASE("every released checkpoint's full-size layout is accepted exactly", "[checkpoint][manifest]") {
    for (const char* variant : {"txt2img-eps", "txt2img-v", "inpainting", "depth", "x4-upscaler"}) {
        INFO(variant);
        const nlohmann::json manifest = readJson(kRef + "/manifests/" + std::string(variant) + ".json");
        const fs::path dir = scratch(std::string("manifest-") + variant);

        // Original layout: every key of the released file, the yaml reduced to what matters here.
        writeSparse(dir / "model.safetensors", manifest["ldm"]);
        if (std::string(variant) == "txt2img-v") writeText(dir / "model.yaml", "model:\n  params:\n    parameterization: v\n");
        const ModelCheckpoint ldm = openCheckpoint((dir / "model.safetensors").string());
        CHECK(variantName(ldm.variant, ldm.prediction) == variant);
        const auto& counts = manifest["ldm_param_counts"];
        const auto meta = at::TensorOptions().device(at::kMeta);
        CHECK(paramsOf(*UNetModel(ldm.unetConfig, meta)) == counts["model.diffusion_model"].get<int64_t>());
        CHECK(paramsOf(*AutoencoderKL(ldm.vaeConfig, meta)) == counts["first_stage_model"].get<int64_t>());
        // The text tower SD2 runs = the file's minus the last block, projection and logit_scale.
        int64_t unusedText = 0;
        for (const auto& name : manifest["ldm_text_keys_unused_by_sd2"]) {
            int64_t n = 1;
            for (const auto& d : manifest["ldm"][name.get<std::string>()]) n *= d.get<int64_t>();
            unusedText += n;
        }
        CHECK(paramsOf(*OpenClipText(ldm.textConfig, meta)) == counts["cond_stage_model.model"].get<int64_t>() - unusedText);
        CHECK(ldm.textConfig.heads == 16);
        CHECK(ldm.textConfig.layersUsed == 23);

        // Diffusers layout: the converter's names and the configs it writes.
        const fs::path folder = dir / "diffusers";
        writeSparse(folder / "unet/diffusion_pytorch_model.safetensors", manifest["diffusers"]["unet"]);
        writeSparse(folder / "vae/diffusion_pytorch_model.safetensors", manifest["diffusers"]["vae"]);
        writeSparse(folder / "text_encoder/model.safetensors", manifest["diffusers"]["text_encoder"]);
        writeText(folder / "unet/config.json", manifest["diffusers_unet_config"].dump());
        writeText(folder / "vae/config.json", manifest["diffusers_vae_config"].dump());
        writeText(folder / "text_encoder/config.json", manifest["diffusers_text_encoder_config"].dump());
        const bool v = std::string(variant) == "txt2img-v" || std::string(variant) == "x4-upscaler";
        writeText(folder / "scheduler/scheduler_config.json",
                  std::string("{\"prediction_type\": \"") + (v ? "v_prediction" : "epsilon") + "\"}");
        writeText(folder / "model_index.json", "{}");
        const ModelCheckpoint diff = openCheckpoint(folder.string());
        CHECK(variantName(diff.variant, diff.prediction) == variant);
        const auto& dcounts = manifest["diffusers_param_counts"];
        CHECK(paramsOf(*UNetModel(diff.unetConfig, meta)) == dcounts["unet"].get<int64_t>());
        CHECK(paramsOf(*AutoencoderKL(diff.vaeConfig, meta)) == dcounts["vae"].get<int64_t>());
        CHECK(paramsOf(*OpenClipText(diff.textConfig, meta)) == dcounts["text_encoder"].get<int64_t>());
        CHECK(diff.unetConfig.headsFor(1280) == ldm.unetConfig.headsFor(1280));
        fs::remove_all(dir);
    }
}

TEST_CASE("a file of the wrong architecture is refused with its mismatches listed", "[checkpoint]") {
    const fs::path dir = scratch("mismatch");
    auto tensors = readTensors(ldmFile("txt2img-eps"));
    for (const char* name : {"bad", "sd1", "six", "other"})  // the tiny model's heads come from its yaml
        fs::copy_file(kRef + "/models/txt2img-eps/txt2img-eps.ldm.yaml", dir / (std::string(name) + ".yaml"));
    SECTION("missing, unexpected and mis-shaped tensors") {
        tensors.erase("model.diffusion_model.output_blocks.1.0.skip_connection.weight");
        tensors["model.diffusion_model.input_blocks.1.1.extra.weight"] = at::zeros({2});
        tensors["model.diffusion_model.out.0.bias"] = at::zeros({31});
        writeTensors((dir / "bad.safetensors").string(), tensors);
        const std::string error = openError((dir / "bad.safetensors").string());
        CHECK_THAT(error, Catch::Contains("bad.safetensors") && Catch::Contains("missing") &&
                              Catch::Contains("output_blocks.1.0.skip_connection.weight") &&
                              Catch::Contains("unexpected") && Catch::Contains("input_blocks.1.1.extra.weight") &&
                              Catch::Contains("wrong shape") && Catch::Contains("out.0.bias: file [31]"));
    }
    SECTION("an SD1.x checkpoint") {
        std::map<std::string, at::Tensor> sd1;
        for (const auto& [name, t] : tensors)
            if (name.rfind("cond_stage_model.", 0) != 0) sd1[name] = t;
        sd1["cond_stage_model.transformer.text_model.embeddings.token_embedding.weight"] = at::zeros({4, 2});
        writeTensors((dir / "sd1.safetensors").string(), sd1);
        CHECK_THAT(openError((dir / "sd1.safetensors").string()), Catch::Contains("Stable Diffusion 1.x"));
    }
    SECTION("a UNet of an unknown kind") {
        tensors["model.diffusion_model.input_blocks.0.0.weight"] = at::zeros({32, 6, 3, 3});
        writeTensors((dir / "six.safetensors").string(), tensors);
        CHECK_THAT(openError((dir / "six.safetensors").string()), Catch::Contains("6 input channels"));
    }
    SECTION("a file that is not a checkpoint at all") {
        writeTensors((dir / "other.safetensors").string(), {{"weight", at::zeros({3})}});
        CHECK_THAT(openError((dir / "other.safetensors").string()), Catch::Contains("not an SD2 checkpoint"));
    }
}

TEST_CASE("pickles, truncated files and unsafe folders are refused", "[checkpoint]") {
    const fs::path dir = scratch("refused");
    writeText(dir / "model.ckpt", "PK...");
    CHECK_THAT(openError((dir / "model.ckpt").string()), Catch::Contains("pickled"));
    CHECK_THAT(openError((dir / "nothing.safetensors").string()), Catch::Contains("no such file"));

    // Truncated inside the data: the safetensors reader's bounds check names the file.
    fs::copy_file(ldmFile("txt2img-eps"), dir / "cut.safetensors");
    fs::resize_file(dir / "cut.safetensors", fs::file_size(dir / "cut.safetensors") - 100);
    CHECK_THAT(openError((dir / "cut.safetensors").string()), Catch::Contains("cut.safetensors"));

    // A diffusers folder: no model_index.json; then a component that links outside the folder.
    const fs::path folder = dir / "diffusers";
    fs::copy(diffusersFolder("txt2img-eps"), folder, fs::copy_options::recursive);
    fs::remove(folder / "model_index.json");
    CHECK_THAT(openError(folder.string()), Catch::Contains("model_index.json"));
    fs::copy_file(diffusersFolder("txt2img-eps") + "/model_index.json", folder / "model_index.json");
    CHECK_NOTHROW(openCheckpoint(folder.string()));
    fs::remove(folder / "vae/diffusion_pytorch_model.safetensors");
    fs::create_symlink(fs::absolute(diffusersFolder("txt2img-v") + "/vae/diffusion_pytorch_model.safetensors"),
                       folder / "vae/diffusion_pytorch_model.safetensors");
    CHECK_THAT(openError(folder.string()), Catch::Contains("outside the model folder"));
    fs::remove(folder / "vae/diffusion_pytorch_model.safetensors");
    writeText(folder / "vae/diffusion_pytorch_model.bin", "pickle");
    CHECK_THAT(openError(folder.string()), Catch::Contains("pickled"));
    fs::remove(folder / "vae/diffusion_pytorch_model.bin");
    fs::copy_file(diffusersFolder("txt2img-eps") + "/vae/diffusion_pytorch_model.safetensors",
                  folder / "vae/diffusion_pytorch_model.safetensors");
    writeText(folder / "unet/config.json", "{\"attention_head_dim\": \"four\"}");
    CHECK_THAT(openError(folder.string()), Catch::Contains("unet/config.json") && Catch::Contains("attention_head_dim"));
    writeText(folder / "unet/config.json", "{not json");
    CHECK_THAT(openError(folder.string()), Catch::Contains("not valid JSON"));
}

TEST_CASE("diffusers names map onto the original ones", "[checkpoint]") {
    const ShapeMap text = {{"text_model.encoder.layers.0.self_attn.q_proj.weight", {8, 8}},
                           {"text_model.encoder.layers.0.self_attn.k_proj.weight", {8, 8}},
                           {"text_model.encoder.layers.0.self_attn.v_proj.weight", {8, 8}},
                           {"text_model.encoder.layers.0.mlp.fc1.bias", {32}},
                           {"text_model.embeddings.position_ids", {1, 77}},
                           {"text_model.something_new", {1}}};
    const TensorRecipes r = diffusersToLdm(Component::TextEncoder, text);
    REQUIRE(r.count("transformer.resblocks.0.attn.in_proj_weight"));
    CHECK(r.at("transformer.resblocks.0.attn.in_proj_weight").shape == std::vector<int64_t>{24, 8});
    CHECK(r.at("transformer.resblocks.0.attn.in_proj_weight").sources.size() == 3);
    CHECK(r.count("transformer.resblocks.0.mlp.c_fc.bias"));
    CHECK(r.count("text_model.something_new"));  // kept, so the layout check reports it
    CHECK(r.count("text_model.embeddings.position_ids") == 0);

    const ShapeMap vae = {{"decoder.up_blocks.0.resnets.0.conv1.weight", {4, 4, 3, 3}},
                          {"decoder.up_blocks.1.upsamplers.0.conv.bias", {4}},
                          {"encoder.mid_block.attentions.0.to_q.weight", {4, 4}},
                          {"encoder.conv_norm_out.weight", {4}}};
    const TensorRecipes rv = diffusersToLdm(Component::Vae, vae);
    CHECK(rv.count("decoder.up.1.block.0.conv1.weight"));  // 2 up blocks: diffusers 0 = ldm 1
    CHECK(rv.count("decoder.up.0.upsample.conv.bias"));
    CHECK(rv.at("encoder.mid.attn_1.q.weight").shape == std::vector<int64_t>{4, 4, 1, 1});
    CHECK(rv.count("encoder.norm_out.weight"));
}

TEST_CASE("a file truncated after opening gives an error on load, not SIGBUS", "[checkpoint]") {
    const fs::path dir = scratch("truncated-later");
    fs::copy_file(ldmFile("depth"), dir / "m.safetensors");
    fs::copy_file(kRef + "/models/depth/depth.ldm.yaml", dir / "m.yaml");
    const ModelCheckpoint m = openCheckpoint((dir / "m.safetensors").string());
    fs::resize_file(dir / "m.safetensors", fs::file_size(dir / "m.safetensors") / 2);
    // Some component lies past the cut: loading all three must fail cleanly.
    auto loadAll = [&] {
        loadUNet(m, {});
        loadVae(m, {});
        loadTextEncoder(m, {});
    };
    CHECK_THROWS_WITH(loadAll(), Catch::Contains("m.safetensors") && Catch::Contains("shorter than when it was opened"));
}
