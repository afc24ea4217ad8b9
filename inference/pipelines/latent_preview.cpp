#include "inference/pipelines/latent_preview.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

namespace atelier::inference {

Rgb8Image latentPreview(const at::Tensor& latents) {
    // Rows: latent channel; columns: R, G, B contribution (scaled latents, as the UNet sees them).
    static const float kFactors[4][3] = {{0.298f, 0.207f, 0.208f},
                                         {0.187f, 0.286f, 0.173f},
                                         {-0.158f, 0.189f, 0.264f},
                                         {-0.184f, -0.271f, -0.473f}};
    Rgb8Image out;
    if (!latents.defined() || latents.dim() != 4 || latents.size(1) != 4) return out;
    const at::Tensor factors = at::from_blob(const_cast<float*>(&kFactors[0][0]), {4, 3}).clone();
    const at::Tensor hwc = latents[0].to(at::kCPU, at::kFloat).permute({1, 2, 0}).matmul(factors);
    const at::Tensor bytes = ((hwc + 1.0) * 127.5).clamp(0, 255).to(at::kByte).contiguous();
    out.width = int(bytes.size(1));
    out.height = int(bytes.size(0));
    out.rgb.assign(bytes.data_ptr<uint8_t>(), bytes.data_ptr<uint8_t>() + bytes.numel());
    return out;
}

}  // namespace atelier::inference
