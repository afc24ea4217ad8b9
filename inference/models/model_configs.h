#pragma once
// Architecture parameters of the three SD2 networks, as plain values, and their detection from
// tensor shapes alone (names in the original LDM layout; no tensor data is read). What shapes
// cannot tell - attention head counts - comes from a config file or a documented default.
#include "inference/models/layout.h"

#include <cstdint>
#include <string>
#include <vector>

namespace atelier::inference {

// ldm.modules.diffusionmodules.openaimodel.UNetModel with SpatialTransformer blocks.
struct UNetConfig {
    int64_t inChannels = 4;
    int64_t outChannels = 4;
    int64_t modelChannels = 320;
    std::vector<int64_t> channelMult{1, 2, 4, 4};
    int64_t numResBlocks = 2;
    std::vector<bool> attentionAtLevel{true, true, true, false};
    std::vector<bool> disableSelfAttention{false, false, false, false};  // attn1 attends to context
    bool disableMiddleSelfAttention = false;
    // Heads: either a fixed channel count per head (num_head_channels, SD2 base: 64) or a fixed
    // number of heads (num_heads, x4 upscaler: 8). Exactly one is > 0.
    int64_t numHeadChannels = 64;
    int64_t numHeads = -1;
    int64_t transformerDepth = 1;
    int64_t contextDim = 1024;
    bool linearProjection = true;  // use_linear_in_transformer
    int64_t numClasses = 0;        // label_emb rows (x4 upscaler: 1000 noise levels); 0 = none

    std::size_t levels() const { return channelMult.size(); }
    int64_t timeEmbedDim() const { return modelChannels * 4; }
    int64_t headsFor(int64_t channels) const;
};

// ldm.models.autoencoder.AutoencoderKL (Encoder/Decoder of ldm.modules.diffusionmodules.model).
struct VaeConfig {
    int64_t inChannels = 3;
    int64_t outChannels = 3;
    int64_t ch = 128;
    std::vector<int64_t> chMult{1, 2, 4, 4};
    int64_t numResBlocks = 2;
    int64_t zChannels = 4;
    int64_t embedDim = 4;
    double scalingFactor = 0.18215;

    int64_t spatialFactor() const { return int64_t(1) << (chMult.size() - 1); }
};

// open_clip's text tower as SD2's FrozenOpenCLIPEmbedder uses it ("penultimate" layer).
struct TextEncoderConfig {
    int64_t vocabSize = 49408;
    int64_t contextLength = 77;
    int64_t width = 1024;
    int64_t heads = 16;
    int64_t mlpWidth = 4096;
    int64_t layersUsed = 23;  // resblocks run: all but the last of the trained 24
};

// Detection from shapes (LDM names relative to the component). Throws WeightsError naming `what`
// when the tensors are not this kind of network at all. Head counts are left at their defaults
// (see UNetConfig/TextEncoderConfig) for the caller to set from a config.
UNetConfig detectUNetConfig(const ShapeMap& shapes, const std::string& what);
VaeConfig detectVaeConfig(const ShapeMap& shapes, const std::string& what);
// `layersInFile`: the original file holds all trained layers (SD2 runs all but the last); a
// diffusers text_encoder holds only the layers SD2 runs.
TextEncoderConfig detectTextEncoderConfig(const ShapeMap& shapes, bool lastLayerInFile,
                                          const std::string& what);

}  // namespace atelier::inference
