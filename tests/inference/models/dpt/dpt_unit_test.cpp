// DPT-Hybrid pieces with hand-computed or externally produced expectations: configs, Pillow's
// resize, TF "SAME" padding, the depth channel and 16-bit depth, and the real model's layout
// against the reference manifest of the released MiDaS DPT-Hybrid.
#include "inference/depth_estimator.h"
#include "inference/depth_map.h"
#include "inference/models/dpt/bit_backbone.h"
#include "inference/models/dpt/depth_conditioning.h"
#include "inference/models/dpt/dpt_config.h"
#include "inference/models/dpt/dpt_model.h"
#include "inference/models/dpt/pil_resize.h"
#include "inference/models/load_weights.h"
#include "inference/weights/safetensors_file.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

using namespace atelier::inference;
using Catch::Matchers::Contains;

namespace {

const std::string kData = ATELIER_TEST_DATA_DIR;
const std::string kTinyConfig =
    kData + "/reference/models/depth/diffusers/depth_estimator/config.json";
const std::string kTinyProcessor =
    kData + "/reference/models/depth/diffusers/feature_extractor/preprocessor_config.json";

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The tiny config with one field replaced (a JSON value).
std::string tinyConfigWith(const std::string& key, const nlohmann::json& value) {
    nlohmann::json doc = nlohmann::json::parse(readText(kTinyConfig));
    if (value.is_null()) {
        doc.erase(key);
    } else {
        doc[key] = value;
    }
    return doc.dump();
}

std::string configError(const std::string& text) {
    try {
        DptConfig::fromJsonText(text, "bad/config.json");
    } catch (const WeightsError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("DPT config.json: the tiny reference model's sizes", "[dpt]") {
    const DptConfig c = DptConfig::fromJsonFile(kTinyConfig);
    CHECK(c.hiddenSize == 32);
    CHECK(c.numHiddenLayers == 4);
    CHECK(c.numAttentionHeads == 4);
    CHECK(c.intermediateSize == 64);
    CHECK(c.imageSize == 64);
    CHECK(c.patchGrid() == 4);
    CHECK(c.backboneOutIndices == std::vector<int64_t>{0, 1, 2, 3});
    CHECK(c.reassembleFactors == std::vector<double>{1, 1, 1, 0.5});
    CHECK(c.neckHiddenSizes == std::vector<int64_t>{32, 64, 32, 32});
    CHECK(c.fusionHiddenSize == 16);
    CHECK(c.fusionResidualBias);
    CHECK(c.backboneFeatureChannels == 64);
    CHECK(c.backbone.embeddingSize == 16);
    CHECK(c.backbone.hiddenSizes == std::vector<int64_t>{32, 64, 64});
    CHECK(c.backbone.depths == std::vector<int64_t>{1, 1, 1});
    CHECK(c.backbone.numGroups == 8);
    CHECK(c.backbone.samePadding);
    CHECK(c.layerNormEps == 1e-12);

    const DptProcessorConfig p = DptProcessorConfig::fromJsonFile(kTinyProcessor);
    CHECK(p.width == 64);
    CHECK(p.height == 64);
    CHECK(p.resample == 3);
    CHECK(p.rescaleFactor == Approx(1.0 / 255));
    CHECK(p.mean == std::vector<double>{0.5, 0.5, 0.5});
}

TEST_CASE("DPT config.json: Intel/dpt-hybrid-midas defaults", "[dpt]") {
    const DptConfig c = DptConfig::dptHybridMidas();
    c.validate("defaults");
    CHECK(c.patchGrid() == 24);
    CHECK(c.backbone.stageChannels(0) == 256);
    CHECK(c.backbone.stageChannels(2) == 1024);
    CHECK(DptProcessorConfig::defaultsFor(c).width == 384);
}

TEST_CASE("DPT config.json: the released model's config.json gives the defaults", "[dpt]") {
    const DptConfig c = DptConfig::fromJsonFile(kData + "/dpt/dpt_hybrid_midas_config.json");
    const DptConfig d = DptConfig::dptHybridMidas();
    CHECK(c.hiddenSize == d.hiddenSize);
    CHECK(c.numHiddenLayers == d.numHiddenLayers);
    CHECK(c.imageSize == d.imageSize);
    CHECK(c.backboneOutIndices == d.backboneOutIndices);
    CHECK(c.reassembleFactors == d.reassembleFactors);
    CHECK(c.neckHiddenSizes == d.neckHiddenSizes);
    CHECK(c.backbone.hiddenSizes == std::vector<int64_t>{256, 512, 1024});  // zipped with depths
    CHECK(c.backbone.depths == d.backbone.depths);
    CHECK(c.backbone.numGroups == 32);
    CHECK(c.backbone.embeddingSize == 64);
    CHECK(c.backboneFeatureChannels == 1024);
    CHECK(c.parameterLowerBound() == d.parameterLowerBound());
}

TEST_CASE("DPT config.json: malformed or unsupported configs are refused by name", "[dpt]") {
    CHECK_THAT(configError("{not json"), Contains("bad/config.json") && Contains("not valid JSON"));
    CHECK_THAT(configError("[1, 2]"), Contains("must hold a JSON object"));
    CHECK_THAT(configError(tinyConfigWith("is_hybrid", false)), Contains("only DPT-Hybrid"));
    CHECK_THAT(configError(tinyConfigWith("hidden_size", "32")),
               Contains("\"hidden_size\" has the wrong type"));
    CHECK_THAT(configError(tinyConfigWith("num_attention_heads", 5)),
               Contains("not a multiple of num_attention_heads"));
    CHECK_THAT(
        configError(tinyConfigWith("neck_hidden_sizes", nlohmann::json::array({32, 64, 32}))),
        Contains("need 4 entries"));
    CHECK_THAT(
        configError(tinyConfigWith("backbone_out_indices", nlohmann::json::array({0, 1, 2, 9}))),
        Contains("backbone_out_indices[3] = 9"));
    CHECK_THAT(
        configError(tinyConfigWith("reassemble_factors", nlohmann::json::array({1, 1, 1, 0.3}))),
        Contains("reassemble_factors[3]"));
    CHECK_THAT(configError(tinyConfigWith("backbone_config", nullptr)),
               Contains("backbone_config is missing"));
    CHECK_THAT(configError(tinyConfigWith("hidden_size", -32)),
               Contains("hidden_size must be a positive size"));
    CHECK_THAT(configError(tinyConfigWith("readout_type", "add")),
               Contains("readout_type \"add\""));
    CHECK_THAT(
        configError(tinyConfigWith("neck_hidden_sizes", nlohmann::json::array({16, 64, 32, 32}))),
        Contains("first two stage widths"));
    CHECK_THAT(
        configError(tinyConfigWith("backbone_featmap_shape", nlohmann::json::array({1, 32, 4, 4}))),
        Contains("backbone_featmap_shape[1]"));
    CHECK_THAT(configError(tinyConfigWith("model_type", "vit")), Contains("expected \"dpt\""));

    auto processorError = [](const std::string& text) -> std::string {
        try {
            DptProcessorConfig::fromJsonText(text, "bad/preprocessor_config.json");
        } catch (const WeightsError& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK_THAT(processorError(R"({"keep_aspect_ratio": true})"), Contains("keep_aspect_ratio"));
    CHECK_THAT(processorError(R"({"resample": 1})"), Contains("filter 1 is not supported"));
    CHECK_THAT(processorError(R"({"size": {"height": 0, "width": 64}})"), Contains("size must be"));
    CHECK_THAT(processorError(R"({"image_std": [0.5, 0, 0.5]})"),
               Contains("image_std must be positive"));
    CHECK(processorError(R"({"size": 384})") == "no error");
    CHECK_THAT(processorError(R"({"size": {"shortest_edge": 384}})"),
               Contains("must give height and width"));
}

TEST_CASE("Pillow-exact resize matches Pillow 9.4's numbers", "[dpt]") {
    // tests/data/dpt/pil_resize.safetensors: written by generate_pil_resize.py with Pillow.
    const auto fixture = readTensors(kData + "/dpt/pil_resize.safetensors");
    const at::Tensor input = fixture.at("input").contiguous();
    const int width = int(input.size(1)), height = int(input.size(0));
    const std::vector<uint8_t> rgb(input.data_ptr<uint8_t>(),
                                   input.data_ptr<uint8_t>() + input.numel());
    int compared = 0;
    for (const auto& [name, expected] : fixture) {
        if (name == "input") continue;
        INFO(name);
        const PilFilter filter =
            name.rfind("bicubic", 0) == 0 ? PilFilter::Bicubic : PilFilter::Bilinear;
        const int outH = int(expected.size(0)), outW = int(expected.size(1));
        const std::vector<uint8_t> out = pilResizeRgb8(rgb, width, height, outW, outH, filter);
        const at::Tensor got =
            at::from_blob(const_cast<uint8_t*>(out.data()), {outH, outW, 3}, at::kByte);
        CHECK(at::equal(got, expected));
        ++compared;
    }
    CHECK(compared == 10);
    CHECK_THROWS_AS(pilResizeRgb8(rgb, width + 1, height, 8, 8, PilFilter::Bicubic),
                    std::invalid_argument);
    CHECK_THROWS_AS(pilFilterFromCode(1), std::invalid_argument);
    CHECK(pilResizeRgb8(rgb, width, height, width, height, PilFilter::Bicubic) == rgb);
}

TEST_CASE("TF SAME padding totals, by hand", "[dpt]") {
    // out = ceil(n / s); total = (out - 1) * s + (k - 1) * d + 1 - n
    CHECK(samePaddingTotal(64, 7, 2, 1) == 5);  // out 32: 62 + 6 + 1 - 64
    CHECK(samePaddingTotal(65, 7, 2, 1) == 6);  // out 33: 64 + 7 - 65
    CHECK(samePaddingTotal(32, 3, 2, 1) == 1);  // the stem's max pool
    CHECK(samePaddingTotal(16, 1, 2, 1) == 0);  // 1x1 strided shortcut: never padded
    CHECK(samePaddingTotal(10, 3, 1, 2) == 4);  // dilated
}

TEST_CASE("Weight-standardised convolution standardises each output channel", "[dpt]") {
    WeightStandardizedConv2d conv(2, 3, 1, 1, 1, true, 1e-8);
    at::NoGradGuard noGrad;
    auto weight = conv.named_parameters()["weight"];
    weight.copy_(at::arange(6, at::kFloat).reshape({3, 2, 1, 1}) * 2 + 1);  // [1,3], [5,7], [9,11]
    // Each channel's two weights become -1 and +1 (mean removed, divided by the biased std 1).
    const at::Tensor x = at::tensor({2.0f, 5.0f}).reshape({1, 2, 1, 1});
    const at::Tensor y = conv.forward(x).flatten();
    for (int c = 0; c < 3; ++c) CHECK(y[c].item<double>() == Approx(3.0).margin(1e-5));
}

TEST_CASE("Depth channel: bicubic to the latent size, then [-1, 1] per image", "[dpt]") {
    // Same size: bicubic is the identity; 0..3 maps to -1, -1/3, 1/3, 1.
    const FloatImage ramp{2, 2, {0, 1, 2, 3}};
    const FloatImage c = depthConditioning(ramp, 2, 2);
    REQUIRE(c.values.size() == 4);
    CHECK(c.values[0] == Approx(-1.0));
    CHECK(c.values[1] == Approx(-1.0 / 3));
    CHECK(c.values[2] == Approx(1.0 / 3));
    CHECK(c.values[3] == Approx(1.0));
    // Flat: -1 everywhere (LDM's training normalisation), not NaN.
    for (float v : depthConditioning(FloatImage{3, 2, std::vector<float>(6, 4.5f)}, 2, 2).values) {
        CHECK(v == -1.0f);
    }
    // Each sample of a batch has its own range.
    const at::Tensor batch = at::stack({at::arange(4, at::kFloat).reshape({2, 2}),
                                        at::arange(4, at::kFloat).reshape({2, 2}) * 10 + 7});
    const at::Tensor out = depthConditioning(batch, 2, 2);
    CHECK(out.sizes() == at::IntArrayRef({2, 1, 2, 2}));
    CHECK(at::allclose(out[0], out[1]));
    // torch's bicubic: 4 -> 2 samples at source positions 0.5 and 2.5 (a = -0.75); a linear ramp
    // stays linear away from the border.
    const FloatImage wide{8, 1, {0, 1, 2, 3, 4, 5, 6, 7}};
    const FloatImage half = resizeDepthBicubic(wide, 4, 1);
    CHECK(half.values[1] == Approx(2.5));
    CHECK(half.values[2] == Approx(4.5));
    CHECK_THROWS_AS(depthConditioning(FloatImage{2, 2, {0, 1, NAN, 3}}, 2, 2),
                    std::invalid_argument);
    CHECK_THROWS_AS(depthConditioning(FloatImage{2, 2, {0, 1, 2}}, 2, 2), std::invalid_argument);
    CHECK_THROWS_AS(depthConditioning(ramp, 0, 2), std::invalid_argument);
}

TEST_CASE("16-bit depth: min -> 0, max -> 65535, and back", "[dpt]") {
    const FloatImage depth{3, 1, {2.0f, 3.0f, 4.0f}};
    CHECK(depthToGrey16(depth) == std::vector<uint16_t>{0, 32768, 65535});  // 32767.5 rounds up
    CHECK(depthToGrey16(FloatImage{2, 1, {1.0f, 1.0f}}) == std::vector<uint16_t>{0, 0});
    const FloatImage back = depthFromGrey16(3, 1, {0, 32768, 65535});
    CHECK(back.values[2] == 1.0f);
    CHECK(depthFromGrey8(2, 1, {0, 255}).values == std::vector<float>{0.0f, 1.0f});
    CHECK_THROWS_AS(depthFromGrey16(2, 2, {1, 2, 3}), std::invalid_argument);
    CHECK_THROWS_AS(depthFromGrey8(0, 1, {}), std::invalid_argument);
}

TEST_CASE("A random tiny DPT-Hybrid runs at its working size", "[dpt]") {
    const DepthEstimator estimator = DepthEstimator::withRandomWeights(kTinyConfig, 7);
    CHECK(estimator.workingWidth() == 64);
    Rgb8Image image{40, 30, std::vector<uint8_t>(40 * 30 * 3, 128)};
    const FloatImage depth = estimator.estimate(image);
    CHECK(depth.width == 64);
    CHECK(depth.height == 64);
    for (float v : depth.values) REQUIRE(v >= 0.0f);  // the head ends in a ReLU
    image.rgb.pop_back();
    CHECK_THROWS_AS(estimator.estimate(image), std::invalid_argument);
    CHECK_THROWS_AS(estimator.estimate(Rgb8Image{}), std::invalid_argument);
}

namespace {

// timm / MiDaS name (the reference manifest's `depth_model.model.*`) -> transformers' name.
// Returns "" for timm's ImageNet classifier head, which DPTForDepthEstimation does not have.
std::string transformersName(const std::string& timm) {
    static const std::vector<std::pair<std::regex, std::string>> rules = {
        {std::regex(R"(^pretrained\.model\.cls_token$)"), "dpt.embeddings.cls_token"},
        {std::regex(R"(^pretrained\.model\.pos_embed$)"), "dpt.embeddings.position_embeddings"},
        {std::regex(R"(^pretrained\.model\.patch_embed\.backbone\.stem\.conv\.(.*)$)"),
         "dpt.embeddings.backbone.bit.embedder.convolution.$1"},
        {std::regex(R"(^pretrained\.model\.patch_embed\.backbone\.stem\.norm\.(.*)$)"),
         "dpt.embeddings.backbone.bit.embedder.norm.$1"},
        {std::regex(
             R"(^pretrained\.model\.patch_embed\.backbone\.stages\.(\d+)\.blocks\.(\d+)\.(.*)$)"),
         "dpt.embeddings.backbone.bit.encoder.stages.$1.layers.$2.$3"},
        {std::regex(R"(^pretrained\.model\.patch_embed\.proj\.(.*)$)"),
         "dpt.embeddings.projection.$1"},
        {std::regex(R"(^pretrained\.model\.blocks\.(\d+)\.norm1\.(.*)$)"),
         "dpt.encoder.layer.$1.layernorm_before.$2"},
        {std::regex(R"(^pretrained\.model\.blocks\.(\d+)\.norm2\.(.*)$)"),
         "dpt.encoder.layer.$1.layernorm_after.$2"},
        {std::regex(R"(^pretrained\.model\.blocks\.(\d+)\.attn\.qkv\.(.*)$)"),
         "QKV dpt.encoder.layer.$1.attention.attention.@.$2"},
        {std::regex(R"(^pretrained\.model\.blocks\.(\d+)\.attn\.proj\.(.*)$)"),
         "dpt.encoder.layer.$1.attention.output.dense.$2"},
        {std::regex(R"(^pretrained\.model\.blocks\.(\d+)\.mlp\.fc1\.(.*)$)"),
         "dpt.encoder.layer.$1.intermediate.dense.$2"},
        {std::regex(R"(^pretrained\.model\.blocks\.(\d+)\.mlp\.fc2\.(.*)$)"),
         "dpt.encoder.layer.$1.output.dense.$2"},
        {std::regex(R"(^pretrained\.model\.norm\.(.*)$)"), "dpt.layernorm.$1"},
        {std::regex(R"(^pretrained\.model\.head\..*$)"), ""},
        {std::regex(R"(^pretrained\.act_postprocess3\.0\.project\.0\.(.*)$)"),
         "neck.reassemble_stage.readout_projects.2.0.$1"},
        {std::regex(R"(^pretrained\.act_postprocess4\.0\.project\.0\.(.*)$)"),
         "neck.reassemble_stage.readout_projects.3.0.$1"},
        {std::regex(R"(^pretrained\.act_postprocess3\.3\.(.*)$)"),
         "neck.reassemble_stage.layers.2.projection.$1"},
        {std::regex(R"(^pretrained\.act_postprocess4\.3\.(.*)$)"),
         "neck.reassemble_stage.layers.3.projection.$1"},
        {std::regex(R"(^pretrained\.act_postprocess4\.4\.(.*)$)"),
         "neck.reassemble_stage.layers.3.resize.$1"},
        {std::regex(R"(^scratch\.layer1_rn\.(.*)$)"), "neck.convs.0.$1"},
        {std::regex(R"(^scratch\.layer2_rn\.(.*)$)"), "neck.convs.1.$1"},
        {std::regex(R"(^scratch\.layer3_rn\.(.*)$)"), "neck.convs.2.$1"},
        {std::regex(R"(^scratch\.layer4_rn\.(.*)$)"), "neck.convs.3.$1"},
        // MiDaS's refinenet4 fuses the deepest map first: transformers' fusion layer 0.
        {std::regex(R"(^scratch\.refinenet4\.(.*)$)"), "FUSE 0 $1"},
        {std::regex(R"(^scratch\.refinenet3\.(.*)$)"), "FUSE 1 $1"},
        {std::regex(R"(^scratch\.refinenet2\.(.*)$)"), "FUSE 2 $1"},
        {std::regex(R"(^scratch\.refinenet1\.(.*)$)"), "FUSE 3 $1"},
        {std::regex(R"(^scratch\.output_conv\.(\d)\.(.*)$)"), "head.head.$1.$2"},
    };
    for (const auto& [pattern, replacement] : rules) {
        if (!std::regex_match(timm, pattern)) continue;
        std::string name = std::regex_replace(timm, pattern, replacement);
        if (name.rfind("FUSE ", 0) == 0) {
            std::string rest = name.substr(7);
            rest = std::regex_replace(rest, std::regex(R"(^out_conv\.)"), "projection.");
            rest = std::regex_replace(rest, std::regex(R"(^resConfUnit(\d)\.conv(\d)\.)"),
                                      "residual_layer$1.convolution$2.");
            name = "neck.fusion_stage.layers." + name.substr(5, 1) + "." + rest;
        }
        return name;
    }
    FAIL("no mapping for " << timm);
    return "";
}

}  // namespace

TEST_CASE("The real DPT-Hybrid matches the released MiDaS layout, tensor for tensor", "[dpt]") {
    // tests/data/reference/manifests/depth.json lists `depth_model.*` (MiDaS DPT-Hybrid in timm
    // naming, 368 tensors, 123,146,985 parameters) as LatentDepth2ImageDiffusion registers it.
    std::ifstream in(kData + "/reference/manifests/depth.json");
    const nlohmann::json manifest = nlohmann::json::parse(in);
    REQUIRE(manifest["ldm_param_counts"]["depth_model"].get<int64_t>() == 123146985);

    DptForDepthEstimation model(DptConfig::dptHybridMidas());
    ShapeMap ours = parameterShapes(model);
    int64_t timmTotal = 0, classifierHead = 0, tensors = 0;
    const std::string prefix = "depth_model.model.";
    for (const auto& [key, shapeJson] : manifest["ldm"].items()) {
        if (key.rfind(prefix, 0) != 0) continue;
        ++tensors;
        const std::vector<int64_t> shape = shapeJson.get<std::vector<int64_t>>();
        int64_t numel = 1;
        for (int64_t s : shape) numel *= s;
        timmTotal += numel;
        const std::string name = transformersName(key.substr(prefix.size()));
        INFO(key << " -> " << name);
        if (name.empty()) {
            classifierHead += numel;
            continue;
        }
        if (name.rfind("QKV ", 0) == 0) {
            // timm's fused qkv [3h, ...] is transformers' query, key and value [h, ...].
            std::vector<int64_t> part = shape;
            part[0] /= 3;
            for (const char* which : {"query", "key", "value"}) {
                const std::string n = std::regex_replace(name.substr(4), std::regex("@"), which);
                REQUIRE(ours.count(n) == 1);
                CHECK(ours[n] == part);
                ours.erase(n);
            }
            continue;
        }
        REQUIRE(ours.count(name) == 1);
        CHECK(ours[name] == shape);
        ours.erase(name);
    }
    CHECK(tensors == 368);
    CHECK(timmTotal == 123146985);
    CHECK(ours.empty());  // every tensor of ours has its MiDaS counterpart
    // timm keeps ViT's ImageNet head (1000 x 768 + 1000), which depth estimation never uses.
    CHECK(classifierHead == 769000);
    CHECK(model.parameterCount() == 123146985 - 769000);
}

TEST_CASE("Round trip at the released model's sizes: interpolating twice costs little", "[dpt]") {
    // In place, depth2img resizes the 384x384 prediction straight to the 64x64 latent; through a
    // file the map is first resized to the 512x512 image, quantised to 16 bits, then resized to
    // 64x64. A smooth map with one sharp ridge stands in for a prediction.
    FloatImage depth{384, 384, std::vector<float>(384 * 384)};
    for (int y = 0; y < 384; ++y) {
        for (int x = 0; x < 384; ++x) {
            const double ridge = std::abs(x - 200) < 3 ? 0.5 : 0.0;
            depth.values[size_t(y) * 384 + x] =
                float(1.0 + std::sin(x / 40.0) * std::cos(y / 55.0) + y / 384.0 + ridge);
        }
    }
    const FloatImage inPlace = depthConditioning(depth, 64, 64);
    const FloatImage viaFile = depthConditioning(
        depthFromGrey16(512, 512, depthToGrey16(resizeDepthBicubic(depth, 512, 512))), 64, 64);
    double worst = 0, mean = 0;
    for (size_t i = 0; i < inPlace.values.size(); ++i) {
        const double d = std::fabs(double(inPlace.values[i]) - viaFile.values[i]);
        worst = std::max(worst, d);
        mean += d / double(inPlace.values.size());
    }
    // Measured: max 0.0035, mean 0.0018 of the [-1, 1] range (mostly a shift: the bicubic
    // overshoot at the ridge moves the min/max the map is normalised by).
    CHECK(worst < 0.01);
    CHECK(mean < 0.005);
}
