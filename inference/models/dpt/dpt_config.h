#pragma once
// Internal to inference/: the sizes of a DPT-Hybrid depth estimator (transformers'
// DPTForDepthEstimation with is_hybrid = true: a BiT ResNet stem, a ViT, the DPT neck and depth
// head) and of its image processor, read from config.json / preprocessor_config.json.
// Plain C++; nothing here is hard-coded to a particular size: both the tiny reference model and
// Intel/dpt-hybrid-midas (the estimator of SD2-depth) are described by their files.
#include <cstdint>
#include <string>
#include <vector>

namespace atelier::inference {

// transformers' make_div(value, 8): channel counts rounded to multiples of 8 (never below 90 %).
int64_t bitMakeDivisible(double value);

// transformers' BitConfig, as DPT-Hybrid uses it (layer_type "bottleneck", non-preactivation).
struct BitConfig {
    int64_t numChannels = 3;
    int64_t embeddingSize = 64;
    std::vector<int64_t> hiddenSizes{256, 512, 1024};
    std::vector<int64_t> depths{3, 4, 9};
    int64_t numGroups = 32;
    int64_t widthFactor = 1;
    int64_t outputStride = 32;
    bool samePadding = true;  // global_padding "SAME" (TensorFlow-style, dynamic when strided)
    bool embeddingDynamicPadding = true;

    // make_div(hidden_sizes[i] * width_factor): the stage's output channels.
    int64_t stageChannels(size_t stage) const;
};

struct DptConfig {
    int64_t hiddenSize = 768;
    int64_t numHiddenLayers = 12;
    int64_t numAttentionHeads = 12;
    int64_t intermediateSize = 3072;
    double layerNormEps = 1e-12;
    bool qkvBias = true;
    int64_t imageSize = 384;
    int64_t patchSize = 16;
    int64_t numChannels = 3;
    std::vector<int64_t> backboneOutIndices{2, 5, 8, 11};
    std::vector<double> reassembleFactors{4, 2, 1, 0.5};
    std::vector<int64_t> neckHiddenSizes{256, 512, 768, 768};
    std::vector<int64_t> neckIgnoreStages{0, 1};
    int64_t fusionHiddenSize = 256;
    int64_t headInIndex = -1;
    bool fusionResidualBias = true;          // use_bias_in_fusion_residual (default: no batch norm)
    int64_t backboneFeatureChannels = 1024;  // backbone_featmap_shape[1]
    BitConfig backbone;

    // Intel/dpt-hybrid-midas, the estimator SD2-depth ships (used when no config is given).
    static DptConfig dptHybridMidas() { return {}; }
    // Parses transformers' config.json; throws WeightsError naming `path` and the field.
    static DptConfig fromJsonFile(const std::string& path);
    static DptConfig fromJsonText(const std::string& text, const std::string& displayName);
    // Consistency of the sizes with each other; throws WeightsError naming `displayName`.
    void validate(const std::string& displayName) const;

    int64_t patchGrid() const { return imageSize / patchSize; }
    // A lower bound of the parameter count (the ViT, position embeddings, neck and fusion
    // convolutions), computed without building anything: a weights file with fewer elements
    // cannot fit, so absurd sizes in a config are refused before any allocation.
    double parameterLowerBound() const;
};

// transformers' DPTImageProcessor settings that depth2img exercises.
struct DptProcessorConfig {
    bool doResize = true;
    int64_t width = 384;
    int64_t height = 384;
    int resample = 3;  // PIL code: 3 = BICUBIC
    bool doRescale = true;
    double rescaleFactor = 1.0 / 255.0;
    bool doNormalize = true;
    std::vector<double> mean{0.5, 0.5, 0.5};
    std::vector<double> std{0.5, 0.5, 0.5};

    // What the SD2-depth feature_extractor/ holds, at the model's own image size.
    static DptProcessorConfig defaultsFor(const DptConfig& model);
    // Refuses settings depth2img does not use (keep_aspect_ratio, ensure_multiple_of != 1, pad).
    static DptProcessorConfig fromJsonFile(const std::string& path);
    static DptProcessorConfig fromJsonText(const std::string& text, const std::string& displayName);
};

}  // namespace atelier::inference
