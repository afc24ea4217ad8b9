// The public model API: prompt conditioning as the reference pipelines computed it, summaries,
// and bad requests. Needs the tokenizer module.
#include "inference/sd2_model.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace atelier::inference;

namespace {
const std::string kRef = ATELIER_TEST_DATA_DIR "/reference";

std::string pipelinePrompt(const std::string& name, const char* key) {
    std::ifstream in(kRef + "/pipelines/" + name + ".json");
    return nlohmann::json::parse(in).at(key).get<std::string>();
}

at::Tensor asTensor(const FloatTensor& t) {
    return at::tensor(t.values).reshape(t.shape);
}
}  // namespace

TEST_CASE("encodePrompt gives the reference pipelines' prompt embeddings", "[parity][text]") {
    for (const std::string name : {"txt2img_eps_ddim", "inpainting", "x4_upscale"}) {
        const auto ref = readTensors(kRef + "/pipelines/" + name + ".safetensors");
        std::ifstream in(kRef + "/pipelines/" + name + ".json");
        const std::string modelDir = nlohmann::json::parse(in).at("model_dir").get<std::string>();
        for (bool diffusers : {false, true}) {
            const std::string variant = modelDir.substr(modelDir.find('/') + 1);
            const std::string path = kRef + "/" + modelDir + (diffusers ? "/diffusers" : "/" + variant + ".ldm.safetensors");
            Sd2Model model = Sd2Model::open(path);
            INFO(name << (diffusers ? " diffusers" : " ldm"));
            const FloatTensor context = model.encodePrompt(pipelinePrompt(name, "prompt"));
            CHECK(context.shape == std::vector<int64_t>{1, 77, 8});
            CHECK((asTensor(context) - ref.at("prompt_embeds")).abs().max().item<double>() <= 1e-4);
            const FloatTensor negative = model.encodePrompt(pipelinePrompt(name, "negative_prompt"));
            CHECK((asTensor(negative) - ref.at("negative_prompt_embeds")).abs().max().item<double>() <= 1e-4);
        }
    }
}

TEST_CASE("bad requests are refused before anything loads", "[sd2model]") {
    const std::string tiny = kRef + "/models/txt2img-eps/diffusers";
    ModelOptions options;
    options.dtype = "fp8";
    CHECK_THROWS_AS(Sd2Model::open(tiny, options), RequestError);
    options = {};
    options.device = "tpu";
    CHECK_THROWS_AS(Sd2Model::open(tiny, options), RequestError);
    options = {};
    options.prediction = "sample";
    CHECK_THROWS_WITH(Sd2Model::open(tiny, options), Catch::Contains("epsilon or v"));
    options = {};
    options.device = "cpu";
    options.dtype = "fp16";
    CHECK_THROWS_WITH(Sd2Model::open(tiny, options), Catch::Contains("fp16 is for CUDA"));
}

TEST_CASE("the summary counts parameters and records load times", "[sd2model]") {
    Sd2Model model = Sd2Model::open(kRef + "/models/inpainting/inpainting.ldm.safetensors");
    const ModelSummary& s = model.summary();
    CHECK(s.variant == "inpainting");
    REQUIRE(s.components.size() == 3);
    CHECK(s.components[0].loadSeconds < 0);
    model.loadAll();
    for (const auto& c : model.summary().components) {
        CHECK(c.parameters > 0);
        CHECK(c.loadSeconds >= 0);
        CHECK(c.fileDtypes == "F32");
    }
}
