#include "inference/depth_map.h"

#include "inference/models/dpt/depth_conditioning.h"

#include <ATen/Functions.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace atelier::inference {
namespace {

at::Tensor toTensor(const FloatImage& depth) {
    if (depth.width <= 0 || depth.height <= 0 ||
        depth.values.size() != size_t(depth.width) * size_t(depth.height)) {
        throw std::invalid_argument("the depth map does not hold width x height values");
    }
    return at::from_blob(const_cast<float*>(depth.values.data()), {1, depth.height, depth.width},
                         at::kFloat);
}

FloatImage fromTensor(const at::Tensor& t) {  // [.., H, W]
    const at::Tensor c = t.contiguous();
    FloatImage out;
    out.height = int(c.size(-2));
    out.width = int(c.size(-1));
    out.values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return out;
}

}  // namespace

FloatImage depthConditioning(const FloatImage& depth, int latentWidth, int latentHeight) {
    return fromTensor(depthConditioning(toTensor(depth), latentHeight, latentWidth));
}

FloatImage resizeDepthBicubic(const FloatImage& depth, int width, int height) {
    if (width <= 0 || height <= 0) throw std::invalid_argument("the target size must be positive");
    c10::InferenceMode inference;
    return fromTensor(at::upsample_bicubic2d(toTensor(depth).unsqueeze(1), {height, width},
                                             /*align_corners=*/false));
}

std::vector<uint16_t> depthToGrey16(const FloatImage& depth) {
    toTensor(depth);  // validates the size
    const auto [lo, hi] = std::minmax_element(depth.values.begin(), depth.values.end());
    std::vector<uint16_t> grey(depth.values.size(), 0);
    const double range = double(*hi) - double(*lo);
    if (!(range > 0) || !std::isfinite(range)) return grey;
    for (size_t i = 0; i < grey.size(); ++i) {
        const double scaled = (double(depth.values[i]) - double(*lo)) / range * 65535.0;
        grey[i] = uint16_t(std::clamp(std::lround(scaled), 0L, 65535L));
    }
    return grey;
}

FloatImage depthFromGrey16(int width, int height, const std::vector<uint16_t>& grey) {
    if (width <= 0 || height <= 0 || grey.size() != size_t(width) * size_t(height)) {
        throw std::invalid_argument("the 16-bit depth image does not hold width x height values");
    }
    FloatImage out{width, height, std::vector<float>(grey.size())};
    for (size_t i = 0; i < grey.size(); ++i) out.values[i] = float(grey[i] / 65535.0);
    return out;
}

FloatImage depthFromGrey8(int width, int height, const std::vector<uint8_t>& grey) {
    if (width <= 0 || height <= 0 || grey.size() != size_t(width) * size_t(height)) {
        throw std::invalid_argument("the 8-bit depth image does not hold width x height values");
    }
    FloatImage out{width, height, std::vector<float>(grey.size())};
    for (size_t i = 0; i < grey.size(); ++i) out.values[i] = float(grey[i] / 255.0);
    return out;
}

}  // namespace atelier::inference
