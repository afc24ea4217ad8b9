// Loading a depth estimator from bad files: every case is refused with a message naming the file
// and what is wrong, before weights are copied.
#include "inference/depth_estimator.h"
#include "inference/models/dpt/dpt_model.h"
#include "inference/weights/safetensors_file.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace atelier::inference;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const fs::path kModel = fs::path(ATELIER_TEST_DATA_DIR) / "reference/models/depth/diffusers";
const fs::path kEstimator = kModel / "depth_estimator";

struct TempDir {
    fs::path path;
    TempDir() {
        std::random_device random;
        path = fs::temp_directory_path() / ("atelier-dpt-" + std::to_string(random()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string loadError(const fs::path& path) {
    try {
        DepthEstimator::load(path.string());
    } catch (const WeightsError& e) {
        return e.what();
    }
    return "no error";
}

// An estimator folder with the tiny config and the tiny weights changed by `edit`.
template <typename Edit>
fs::path editedEstimator(const TempDir& dir, Edit edit) {
    fs::copy_file(kEstimator / "config.json", dir.path / "config.json");
    auto tensors = readTensors((kEstimator / "model.safetensors").string());
    std::map<std::string, at::Tensor> copy(tensors.begin(), tensors.end());
    edit(copy);
    writeTensors((dir.path / "model.safetensors").string(), copy);
    return dir.path;
}

}  // namespace

TEST_CASE("DPT loader: paths that hold no estimator", "[dpt]") {
    CHECK_THAT(loadError("/no/such/depth-model"),
               Contains("/no/such/depth-model: no such file or folder"));
    TempDir empty;
    CHECK_THAT(loadError(empty.path), Contains("neither a depth model folder"));
    std::ofstream(empty.path / "pytorch_model.bin") << "pickle";
    std::ofstream(empty.path / "config.json") << "{}";
    CHECK_THAT(loadError(empty.path), Contains("no model.safetensors") && Contains("pickle"));
    CHECK_THAT(loadError(empty.path / "config.json"),
               Contains("is a .safetensors file or a folder"));
    TempDir noConfig;
    fs::copy_file(kEstimator / "model.safetensors", noConfig.path / "model.safetensors");
    CHECK_THAT(loadError(noConfig.path), Contains("no config.json beside model.safetensors"));
}

TEST_CASE("DPT loader: missing, unexpected and mis-shaped tensors are listed", "[dpt]") {
    TempDir missing;
    CHECK_THAT(loadError(editedEstimator(missing, [](auto& t) { t.erase("neck.convs.2.weight"); })),
               Contains("does not match the expected architecture") && Contains("missing (1)") &&
                   Contains("neck.convs.2.weight") && Contains("model.safetensors"));
    TempDir unexpected;
    CHECK_THAT(loadError(editedEstimator(
                   unexpected, [](auto& t) { t["head.head.6.weight"] = at::zeros({1}); })),
               Contains("unexpected (1)") && Contains("head.head.6.weight"));
    TempDir shaped;
    CHECK_THAT(loadError(editedEstimator(
                   shaped,
                   [](auto& t) {
                       t["dpt.embeddings.position_embeddings"] = at::zeros({1, 26, 32});
                   })),
               Contains("wrong shape (1)") &&
                   Contains("dpt.embeddings.position_embeddings: file [1, 26, 32]"));
    TempDir integer;
    CHECK_THAT(loadError(editedEstimator(
                   integer, [](auto& t) { t["head.head.4.bias"] = at::zeros({1}, at::kLong); })),
               Contains("head.head.4.bias is not floating point"));
    // fp16 weights are accepted (converted) and still match the reference closely.
    TempDir half;
    const fs::path halfPath = editedEstimator(half, [](auto& t) {
        for (auto& [name, tensor] : t) tensor = tensor.to(at::kHalf);
    });
    CHECK_NOTHROW(DepthEstimator::load(halfPath.string()));
}

TEST_CASE("DPT loader: truncated weights", "[dpt]") {
    const fs::path original = kEstimator / "model.safetensors";
    const auto size = fs::file_size(original);
    for (const uintmax_t keep : {uintmax_t(4), uintmax_t(100), size / 2, size - 1}) {
        TempDir dir;
        fs::copy_file(kEstimator / "config.json", dir.path / "config.json");
        std::ifstream in(original, std::ios::binary);
        std::string bytes(keep, '\0');
        in.read(bytes.data(), std::streamsize(keep));
        std::ofstream(dir.path / "model.safetensors", std::ios::binary) << bytes;
        INFO("kept " << keep << " bytes");
        CHECK_THAT(loadError(dir.path), Contains("model.safetensors"));
        CHECK(loadError(dir.path) != "no error");
    }
}

TEST_CASE("DPT loader: weights and a configuration that do not belong together", "[dpt]") {
    // The tiny weights alone: no config.json beside them, so Intel/dpt-hybrid-midas's sizes.
    TempDir alone;
    fs::copy_file(kEstimator / "model.safetensors", alone.path / "tiny.safetensors");
    CHECK_THAT(loadError(alone.path / "tiny.safetensors"),
               Contains("tiny.safetensors holds") && Contains("do not belong together"));
    // A config with one ViT layer fewer than the weights: the extra layer is listed.
    TempDir fewer;
    fs::copy_file(kEstimator / "model.safetensors", fewer.path / "model.safetensors");
    {
        std::ifstream in(kEstimator / "config.json");
        nlohmann::json config = nlohmann::json::parse(in);
        config["num_hidden_layers"] = 3;
        config["backbone_out_indices"] = {0, 1, 1, 2};
        std::ofstream(fewer.path / "config.json") << config.dump();
    }
    CHECK_THAT(loadError(fewer.path),
               Contains("unexpected (16)") && Contains("dpt.encoder.layer.3."));
    // A config that is not JSON.
    TempDir broken;
    fs::copy_file(kEstimator / "model.safetensors", broken.path / "model.safetensors");
    std::ofstream(broken.path / "config.json") << "{\"model_type\": \"dpt\",";
    CHECK_THAT(loadError(broken.path), Contains("config.json: not valid JSON"));
    // A processor that resizes to another size than the estimator works at.
    TempDir processor;
    fs::copy_file(kEstimator / "model.safetensors", processor.path / "model.safetensors");
    fs::copy_file(kEstimator / "config.json", processor.path / "config.json");
    std::ofstream(processor.path / "preprocessor_config.json")
        << R"({"size": {"height": 32, "width": 32}})";
    CHECK_THAT(loadError(processor.path),
               Contains("resizes to 32x32") && Contains("works at 64x64"));
}

TEST_CASE("DPT loader: the three ways to name the tiny estimator", "[dpt]") {
    const DptFiles model = findDptFiles(kModel.string());
    CHECK(model.weights == (kEstimator / "model.safetensors").string());
    CHECK(model.config == (kEstimator / "config.json").string());
    CHECK(model.processor == (kModel / "feature_extractor/preprocessor_config.json").string());
    const DptFiles folder = findDptFiles(kEstimator.string());
    CHECK(folder.processor == model.processor);
    const DptFiles file = findDptFiles((kEstimator / "model.safetensors").string());
    CHECK(file.config == model.config);
    CHECK(file.processor.empty());  // defaults at the model's image size
    const DepthEstimator estimator = DepthEstimator::load(kModel.string());
    CHECK(estimator.parameterCount() > 0);
    CHECK(estimator.weightsPath() == model.weights);
}
