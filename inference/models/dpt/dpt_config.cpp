#include "inference/models/dpt/dpt_config.h"

#include "inference/models/dpt/pil_resize.h"
#include "inference/weights/safetensors_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace atelier::inference {
namespace {

using nlohmann::json;

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw WeightsError(path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

json parseObject(const std::string& text, const std::string& displayName) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {
        throw WeightsError(displayName + ": not valid JSON (" + e.what() + ")");
    }
    if (!doc.is_object()) throw WeightsError(displayName + ": must hold a JSON object");
    return doc;
}

// Reads an optional field, keeping `value` when absent or null; a field of the wrong type is
// an error naming the file and the field.
template <typename T>
void read(const json& doc, const char* key, T& value, const std::string& displayName) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return;
    try {
        value = it->get<T>();
    } catch (const json::exception&) {
        throw WeightsError(displayName + ": field \"" + key + "\" has the wrong type (" +
                           it->dump() + ")");
    }
}

void readBool(const json& doc, const char* key, bool& value, const std::string& displayName) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return;
    if (!it->is_boolean()) {
        throw WeightsError(displayName + ": field \"" + key + "\" must be true or false");
    }
    value = it->get<bool>();
}

void require(bool condition, const std::string& displayName, const std::string& what) {
    if (!condition) throw WeightsError(displayName + ": " + what);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

BitConfig parseBackbone(const json& doc, const std::string& name) {
    BitConfig bit;
    std::string layerType = "bottleneck", act = "relu", padding = "SAME", modelType = "bit";
    read(doc, "model_type", modelType, name);
    require(modelType == "bit", name,
            "backbone_config.model_type is \"" + modelType + "\"; DPT-Hybrid needs a BiT backbone");
    read(doc, "layer_type", layerType, name);
    require(
        layerType == "bottleneck", name,
        "backbone_config.layer_type \"" + layerType + "\" is not supported (only \"bottleneck\")");
    read(doc, "hidden_act", act, name);
    require(act == "relu", name, "backbone_config.hidden_act \"" + act + "\" is not supported");
    read(doc, "num_channels", bit.numChannels, name);
    read(doc, "embedding_size", bit.embeddingSize, name);
    read(doc, "hidden_sizes", bit.hiddenSizes, name);
    read(doc, "depths", bit.depths, name);
    read(doc, "num_groups", bit.numGroups, name);
    read(doc, "width_factor", bit.widthFactor, name);
    read(doc, "output_stride", bit.outputStride, name);
    read(doc, "global_padding", padding, name);
    bit.samePadding = lower(padding) == "same";
    readBool(doc, "embedding_dynamic_padding", bit.embeddingDynamicPadding, name);
    std::vector<std::string> outFeatures{"stage1", "stage2", "stage3"};
    read(doc, "out_features", outFeatures, name);
    // DPTViTHybridEmbeddings takes the first two stages as skip features and the last as tokens.
    // BitEncoder zips depths with hidden_sizes: DPTConfig's hybrid default keeps BitConfig's four
    // hidden sizes [256, 512, 1024, 2048] with three depths [3, 4, 9], so extra sizes are unused.
    require(outFeatures.size() == 3 && bit.depths.size() == 3 && bit.hiddenSizes.size() >= 3, name,
            "backbone_config must describe 3 stages with out_features stage1..stage3");
    bit.hiddenSizes.resize(bit.depths.size());
    require(outFeatures == std::vector<std::string>({"stage1", "stage2", "stage3"}), name,
            "backbone_config.out_features must be [stage1, stage2, stage3]");
    return bit;
}

}  // namespace

int64_t bitMakeDivisible(double value) {
    const int64_t divisor = 8;
    int64_t rounded =
        std::max<int64_t>(divisor, int64_t(value + divisor / 2.0) / divisor * divisor);
    if (double(rounded) < 0.9 * value) rounded += divisor;
    return rounded;
}

int64_t BitConfig::stageChannels(size_t stage) const {
    return bitMakeDivisible(double(hiddenSizes.at(stage) * widthFactor));
}

DptConfig DptConfig::fromJsonFile(const std::string& path) {
    return fromJsonText(readText(path), path);
}

DptConfig DptConfig::fromJsonText(const std::string& text, const std::string& name) {
    const json doc = parseObject(text, name);
    DptConfig c;
    std::string modelType = "dpt", act = "gelu", readout = "project";
    read(doc, "model_type", modelType, name);
    require(modelType == "dpt", name, "model_type is \"" + modelType + "\", expected \"dpt\"");
    bool hybrid = false, batchNorm = false, addProjection = false;
    readBool(doc, "is_hybrid", hybrid, name);
    require(hybrid, name,
            "is_hybrid is not true: only DPT-Hybrid (SD2-depth's estimator) is supported");
    read(doc, "hidden_act", act, name);
    require(act == "gelu", name, "hidden_act \"" + act + "\" is not supported (only \"gelu\")");
    read(doc, "readout_type", readout, name);
    require(readout == "project", name,
            "readout_type \"" + readout + "\" is not supported by DPT-Hybrid");
    readBool(doc, "use_batch_norm_in_fusion_residual", batchNorm, name);
    require(!batchNorm, name, "use_batch_norm_in_fusion_residual is not supported");
    readBool(doc, "add_projection", addProjection, name);
    require(!addProjection, name, "add_projection is not supported");
    c.fusionResidualBias = !batchNorm;
    readBool(doc, "use_bias_in_fusion_residual", c.fusionResidualBias, name);
    read(doc, "hidden_size", c.hiddenSize, name);
    read(doc, "num_hidden_layers", c.numHiddenLayers, name);
    read(doc, "num_attention_heads", c.numAttentionHeads, name);
    read(doc, "intermediate_size", c.intermediateSize, name);
    read(doc, "layer_norm_eps", c.layerNormEps, name);
    readBool(doc, "qkv_bias", c.qkvBias, name);
    read(doc, "image_size", c.imageSize, name);
    read(doc, "patch_size", c.patchSize, name);
    read(doc, "num_channels", c.numChannels, name);
    read(doc, "backbone_out_indices", c.backboneOutIndices, name);
    read(doc, "reassemble_factors", c.reassembleFactors, name);
    read(doc, "neck_hidden_sizes", c.neckHiddenSizes, name);
    read(doc, "neck_ignore_stages", c.neckIgnoreStages, name);
    read(doc, "fusion_hidden_size", c.fusionHiddenSize, name);
    read(doc, "head_in_index", c.headInIndex, name);
    std::vector<int64_t> featmap{1, 1024, 24, 24};
    read(doc, "backbone_featmap_shape", featmap, name);
    require(featmap.size() == 4, name, "backbone_featmap_shape must have 4 entries");
    c.backboneFeatureChannels = featmap[1];
    const auto backbone = doc.find("backbone_config");
    require(backbone != doc.end() && backbone->is_object(), name,
            "backbone_config is missing: DPT-Hybrid needs the BiT backbone's sizes");
    c.backbone = parseBackbone(*backbone, name);
    c.validate(name);
    return c;
}

void DptConfig::validate(const std::string& name) const {
    auto positive = [&](int64_t value, const char* what) {
        require(value > 0 && value <= (int64_t(1) << 20), name,
                std::string(what) + " must be a positive size (is " + std::to_string(value) + ")");
    };
    positive(hiddenSize, "hidden_size");
    positive(numHiddenLayers, "num_hidden_layers");
    positive(numAttentionHeads, "num_attention_heads");
    positive(intermediateSize, "intermediate_size");
    positive(imageSize, "image_size");
    positive(patchSize, "patch_size");
    positive(numChannels, "num_channels");
    positive(fusionHiddenSize, "fusion_hidden_size");
    positive(backboneFeatureChannels, "backbone_featmap_shape[1]");
    positive(backbone.embeddingSize, "backbone_config.embedding_size");
    positive(backbone.numGroups, "backbone_config.num_groups");
    positive(backbone.widthFactor, "backbone_config.width_factor");
    for (int64_t v : backbone.hiddenSizes) positive(v, "backbone_config.hidden_sizes");
    for (int64_t v : backbone.depths) positive(v, "backbone_config.depths");
    for (int64_t v : neckHiddenSizes) positive(v, "neck_hidden_sizes");
    require(hiddenSize % numAttentionHeads == 0, name,
            "hidden_size is not a multiple of num_attention_heads");
    require(layerNormEps > 0, name, "layer_norm_eps must be positive");
    require(imageSize % patchSize == 0, name, "image_size is not a multiple of patch_size");
    require(backbone.numChannels == numChannels, name,
            "backbone_config.num_channels differs from num_channels");
    // The hybrid model's neck takes 2 backbone stages, then the ViT layers at
    // backbone_out_indices[2:], one per entry of neck_hidden_sizes (DPTForDepthEstimation).
    require(neckHiddenSizes.size() == 4 && reassembleFactors.size() == 4 &&
                backboneOutIndices.size() == 4,
            name, "neck_hidden_sizes, reassemble_factors and backbone_out_indices need 4 entries");
    require(neckIgnoreStages == std::vector<int64_t>({0, 1}), name,
            "neck_ignore_stages must be [0, 1] for DPT-Hybrid");
    for (size_t i = 2; i < 4; ++i) {
        const int64_t index = backboneOutIndices[i];
        require(index >= 0 && index < numHiddenLayers, name,
                "backbone_out_indices[" + std::to_string(i) + "] = " + std::to_string(index) +
                    " is not a layer of the " + std::to_string(numHiddenLayers) + "-layer ViT");
        const double factor = reassembleFactors[i];
        const bool upInteger = factor >= 1 && std::floor(factor) == factor && factor <= 64;
        const bool downInteger = factor > 0 && factor < 1 && std::floor(1 / factor) == 1 / factor;
        require(upInteger || downInteger, name,
                "reassemble_factors[" + std::to_string(i) + "] must be an integer or 1/integer");
    }
    require(backboneOutIndices[2] != backboneOutIndices[3], name,
            "backbone_out_indices[2] and [3] must differ");
    require(headInIndex == -1 || (headInIndex >= 0 && headInIndex < 4), name,
            "head_in_index must select one of the 4 fused features");
    require(fusionHiddenSize % 2 == 0, name,
            "fusion_hidden_size must be even (the head halves it)");
    require(neckHiddenSizes[0] == backbone.stageChannels(0) &&
                neckHiddenSizes[1] == backbone.stageChannels(1),
            name, "neck_hidden_sizes[0..1] must equal the backbone's first two stage widths");
    require(backboneFeatureChannels == backbone.stageChannels(2), name,
            "backbone_featmap_shape[1] differs from the backbone's last stage width");
    for (int64_t groupsOf : {backbone.embeddingSize, backbone.stageChannels(0),
                             backbone.stageChannels(1), backbone.stageChannels(2)}) {
        require(groupsOf % backbone.numGroups == 0, name,
                "backbone_config.num_groups does not divide a stage width");
    }
    // The backbone must bring the image down to the patch grid: stem /4, stages 2 and 3 /2 each.
    require(patchSize == 16, name, "DPT-Hybrid's BiT stem has stride 16; patch_size must be 16");
}

double DptConfig::parameterLowerBound() const {
    const double h = double(hiddenSize), f = double(fusionHiddenSize);
    const double grid = double(patchGrid());
    double count = double(numHiddenLayers) * (4 * h * h + 2 * h * double(intermediateSize));
    count += (grid * grid + 1) * h;
    for (double n : neckHiddenSizes) count += n * f * 9;      // neck.convs
    count += double(neckHiddenSizes.size()) * 4 * f * f * 9;  // two residual units per fusion layer
    return count;
}

DptProcessorConfig DptProcessorConfig::defaultsFor(const DptConfig& model) {
    DptProcessorConfig p;
    p.width = p.height = model.imageSize;
    return p;
}

DptProcessorConfig DptProcessorConfig::fromJsonFile(const std::string& path) {
    return fromJsonText(readText(path), path);
}

DptProcessorConfig DptProcessorConfig::fromJsonText(const std::string& text,
                                                    const std::string& name) {
    const json doc = parseObject(text, name);
    DptProcessorConfig p;
    readBool(doc, "do_resize", p.doResize, name);
    readBool(doc, "do_rescale", p.doRescale, name);
    readBool(doc, "do_normalize", p.doNormalize, name);
    read(doc, "rescale_factor", p.rescaleFactor, name);
    read(doc, "resample", p.resample, name);
    read(doc, "image_mean", p.mean, name);
    read(doc, "image_std", p.std, name);
    const auto size = doc.find("size");
    if (size != doc.end() && size->is_object()) {
        require(size->contains("height") && size->contains("width"), name,
                "field \"size\" must give height and width");
        read(*size, "height", p.height, name);
        read(*size, "width", p.width, name);
    } else if (size != doc.end() && size->is_number_integer()) {
        p.width = p.height = size->get<int64_t>();
    } else if (size != doc.end() && !size->is_null()) {
        throw WeightsError(name + ": field \"size\" must be {height, width} or an integer");
    }
    bool keepAspect = false, pad = false;
    int64_t multiple = 1;
    readBool(doc, "keep_aspect_ratio", keepAspect, name);
    readBool(doc, "do_pad", pad, name);
    read(doc, "ensure_multiple_of", multiple, name);
    require(!keepAspect && !pad && multiple == 1, name,
            "keep_aspect_ratio, do_pad and ensure_multiple_of != 1 are not supported");
    require(p.width > 0 && p.height > 0 && p.width <= 8192 && p.height <= 8192, name,
            "size must be between 1 and 8192 pixels");
    require(p.mean.size() == 3 && p.std.size() == 3, name,
            "image_mean and image_std need 3 values");
    for (double s : p.std) require(s > 0, name, "image_std must be positive");
    try {
        pilFilterFromCode(p.resample);
    } catch (const std::invalid_argument& e) {
        throw WeightsError(name + ": " + e.what());
    }
    return p;
}

}  // namespace atelier::inference
