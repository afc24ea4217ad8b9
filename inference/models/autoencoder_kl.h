#pragma once
// Internal to inference/: the SD2 VAE (ldm AutoencoderKL: Encoder, Decoder, quant convs) under
// the original checkpoint's names (`encoder.down.0.block.1.conv2.weight`, `decoder.up.3...`).
// The mid-block attention is single-head over all h*w positions (262,144 tokens for the x4
// upscaler's 512x512 latent); it goes through attention(), which bounds the score memory.
#include "inference/models/model_configs.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>

namespace atelier::inference {

struct DiagonalGaussian {
    at::Tensor mean, logvar, std;  // logvar clamped to [-30, 20] as the reference
    at::Tensor sample(const at::Tensor& noise) const { return mean + std * noise; }
};

class AutoencoderKLImpl : public torch::nn::Module {
public:
    AutoencoderKLImpl(const VaeConfig& config, const at::TensorOptions& options);
    // image [B, 3, H, W] in [-1, 1] -> posterior over unscaled latents.
    DiagonalGaussian encode(const at::Tensor& image);
    // unscaled latents z [B, zChannels, h, w] -> image in about [-1, 1] (not clamped).
    at::Tensor decode(const at::Tensor& z);
    const VaeConfig& config() const { return config_; }

private:
    struct Encoder;
    struct Decoder;
    VaeConfig config_;
    std::shared_ptr<Encoder> encoder_;
    std::shared_ptr<Decoder> decoder_;
    std::shared_ptr<torch::nn::Module> quantConv_, postQuantConv_;
};
TORCH_MODULE(AutoencoderKL);

}  // namespace atelier::inference
