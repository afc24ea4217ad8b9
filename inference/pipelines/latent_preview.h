#pragma once
// Internal to inference/: a cheap preview of the latents while a job runs - a fixed linear map
// from the 4 SD latent channels to RGB (the factors the SD community fitted for the SD VAE's
// latent space), at latent resolution. No VAE pass, microseconds per step.
#include "inference/image_types.h"

#include <ATen/Tensor.h>

namespace atelier::inference {

Rgb8Image latentPreview(const at::Tensor& latents);  // latents [B, 4, h, w]; the first sample

}  // namespace atelier::inference
