#include "inference/models/model_configs.h"

#include "inference/weights/safetensors_file.h"

namespace atelier::inference {
namespace {

const std::vector<int64_t>* shapeOf(const ShapeMap& shapes, const std::string& name) {
    const auto it = shapes.find(name);
    return it == shapes.end() ? nullptr : &it->second;
}

const std::vector<int64_t>& require(const ShapeMap& shapes, const std::string& name,
                                    std::size_t rank, const std::string& what) {
    const auto* shape = shapeOf(shapes, name);
    if (shape == nullptr)
        throw WeightsError(what + ": tensor '" + name + "' is missing; this is not an SD2 " + what);
    if (shape->size() != rank)
        throw WeightsError(what + ": tensor '" + name + "' has shape " + formatShape(*shape) +
                           ", expected " + std::to_string(rank) + " dimensions");
    return *shape;
}

bool has(const ShapeMap& shapes, const std::string& name) { return shapes.count(name) != 0; }

}  // namespace

int64_t UNetConfig::headsFor(int64_t channels) const {
    return numHeadChannels > 0 ? channels / numHeadChannels : numHeads;
}

UNetConfig detectUNetConfig(const ShapeMap& shapes, const std::string& what) {
    UNetConfig c;
    const auto& convIn = require(shapes, "input_blocks.0.0.weight", 4, what);
    c.modelChannels = convIn[0];
    c.inChannels = convIn[1];
    c.outChannels = require(shapes, "out.2.weight", 4, what)[0];
    // input_blocks: conv_in, then per level R res blocks and (but the last level) a downsample.
    std::size_t firstDown = 0;
    for (std::size_t i = 1; i < 64 && firstDown == 0; ++i)
        if (has(shapes, "input_blocks." + std::to_string(i) + ".0.op.weight")) firstDown = i;
    if (firstDown < 2) throw WeightsError(what + ": no downsampling block found; not an SD2 UNet");
    c.numResBlocks = int64_t(firstDown) - 1;
    const std::size_t perLevel = firstDown;  // R res blocks + 1 downsample
    c.channelMult.clear();
    c.attentionAtLevel.clear();
    c.disableSelfAttention.clear();
    for (std::size_t level = 0;; ++level) {
        const std::string block = "input_blocks." + std::to_string(1 + level * perLevel);
        if (!has(shapes, block + ".0.out_layers.3.weight")) break;
        const int64_t channels = require(shapes, block + ".0.out_layers.3.weight", 4, what)[0];
        c.channelMult.push_back(channels / c.modelChannels);
        const bool attention = has(shapes, block + ".1.proj_in.weight");
        c.attentionAtLevel.push_back(attention);
        bool disabled = false;
        if (attention) {
            const std::string t = block + ".1.transformer_blocks.0.";
            c.contextDim = require(shapes, t + "attn2.to_k.weight", 2, what)[1];
            c.linearProjection = shapeOf(shapes, block + ".1.proj_in.weight")->size() == 2;
            disabled = require(shapes, t + "attn1.to_k.weight", 2, what)[1] != channels;
            int64_t depth = 0;
            while (has(shapes, block + ".1.transformer_blocks." + std::to_string(depth) + ".norm1.weight"))
                ++depth;
            c.transformerDepth = depth;
        }
        c.disableSelfAttention.push_back(disabled);
        if (!has(shapes, "input_blocks." + std::to_string((level + 1) * perLevel) + ".0.op.weight")) break;
    }
    if (c.channelMult.size() < 2) throw WeightsError(what + ": fewer than two UNet levels found");
    const std::string mid = "middle_block.1.transformer_blocks.0.";
    if (has(shapes, mid + "attn1.to_k.weight")) {
        const int64_t midChannels = c.modelChannels * c.channelMult.back();
        c.disableMiddleSelfAttention = shapeOf(shapes, mid + "attn1.to_k.weight")->back() != midChannels;
    }
    if (const auto* label = shapeOf(shapes, "label_emb.weight")) c.numClasses = (*label)[0];
    return c;
}

VaeConfig detectVaeConfig(const ShapeMap& shapes, const std::string& what) {
    VaeConfig c;
    const auto& convIn = require(shapes, "encoder.conv_in.weight", 4, what);
    c.ch = convIn[0];
    c.inChannels = convIn[1];
    c.chMult.clear();
    for (std::size_t level = 0; level < 16; ++level) {
        const std::string name = "encoder.down." + std::to_string(level) + ".block.0.conv2.weight";
        if (!has(shapes, name)) break;
        c.chMult.push_back(require(shapes, name, 4, what)[0] / c.ch);
    }
    if (c.chMult.size() < 2) throw WeightsError(what + ": fewer than two VAE levels found");
    int64_t blocks = 0;
    while (has(shapes, "encoder.down.0.block." + std::to_string(blocks) + ".conv1.weight")) ++blocks;
    c.numResBlocks = blocks;
    c.zChannels = require(shapes, "encoder.conv_out.weight", 4, what)[0] / 2;
    c.embedDim = require(shapes, "quant_conv.weight", 4, what)[0] / 2;
    c.outChannels = require(shapes, "decoder.conv_out.weight", 4, what)[0];
    return c;
}

TextEncoderConfig detectTextEncoderConfig(const ShapeMap& shapes, bool lastLayerInFile,
                                          const std::string& what) {
    TextEncoderConfig c;
    const auto& tokens = require(shapes, "token_embedding.weight", 2, what);
    c.vocabSize = tokens[0];
    c.width = tokens[1];
    c.contextLength = require(shapes, "positional_embedding", 2, what)[0];
    int64_t layers = 0;
    while (has(shapes, "transformer.resblocks." + std::to_string(layers) + ".ln_1.weight")) ++layers;
    if (layers == 0) throw WeightsError(what + ": no transformer layers found");
    c.mlpWidth = require(shapes, "transformer.resblocks.0.mlp.c_fc.weight", 2, what)[0];
    c.layersUsed = lastLayerInFile ? layers - 1 : layers;
    if (c.layersUsed < 1) throw WeightsError(what + ": too few transformer layers");
    c.heads = c.width / 64 > 0 ? c.width / 64 : 1;  // open_clip's head width 64, unless configured
    return c;
}

}  // namespace atelier::inference
