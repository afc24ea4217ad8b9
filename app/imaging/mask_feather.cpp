#include "app/imaging/mask_feather.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "app/imaging/image_ops.h"
#include "app/imaging/mat_conversion.h"

namespace atelier::app {
namespace {

// 255 where the mask is > 0, else 0 (NaN counts as 0).
cv::Mat binary(const inference::ImageF& mask) {
    cv::Mat out(mask.height, mask.width, CV_8UC1);
    for (int y = 0; y < mask.height; ++y) {
        const float* src = mask.data.data() + static_cast<std::size_t>(y) * mask.width;
        uint8_t* dst = out.ptr<uint8_t>(y);
        for (int x = 0; x < mask.width; ++x) dst[x] = src[x] > 0.f ? 255 : 0;
    }
    return out;
}

}  // namespace

inference::ImageF repaintMask(const inference::ImageF& mask, int growPx) {
    requireImage(mask, 1, "the mask");
    cv::Mat outside = binary(mask);
    cv::bitwise_not(outside, outside);  // distance from each outside pixel to the mask
    cv::Mat distance;
    cv::distanceTransform(outside, distance, cv::DIST_L2, cv::DIST_MASK_5);
    inference::ImageF out(mask.width, mask.height, 1);
    const float reach = static_cast<float>(std::max(growPx, 0));
    for (int y = 0; y < mask.height; ++y) {
        const float* d = distance.ptr<float>(y);
        float* dst = out.data.data() + static_cast<std::size_t>(y) * mask.width;
        for (int x = 0; x < mask.width; ++x) dst[x] = d[x] <= reach ? 1.f : 0.f;
    }
    return out;
}

inference::ImageF featherMask(const inference::ImageF& mask, int featherPx) {
    requireImage(mask, 1, "the mask");
    inference::ImageF out(mask.width, mask.height, 1);
    if (featherPx <= 0) {
        for (std::size_t i = 0; i < mask.data.size(); ++i) out.data[i] = mask.data[i] > 0.f;
        return out;
    }
    // Replicate the border so the distance is measured to the mask's own edges only.
    const int margin = featherPx + 1;
    cv::Mat inside;
    cv::copyMakeBorder(binary(mask), inside, margin, margin, margin, margin, cv::BORDER_REPLICATE);
    cv::Mat distance, thickness;
    cv::distanceTransform(inside, distance, cv::DIST_L2, cv::DIST_MASK_5);
    // The deepest point within featherPx: a stroke's half-width where it is thin. Only depths
    // below featherPx matter, so it runs on 8 bits (featherPx / 255 steps), 4x faster than float.
    const float feather = static_cast<float>(featherPx);
    // Rounded down (a thin stroke must still reach 1), saturating at featherPx.
    distance.convertTo(thickness, CV_8U, 255.0 / feather, -0.51);
    const cv::Mat window =
        cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * featherPx + 1, 2 * featherPx + 1));
    cv::dilate(thickness, thickness, window);

    for (int y = 0; y < mask.height; ++y) {
        const float* d = distance.ptr<float>(y + margin) + margin;
        const uint8_t* t8 = thickness.ptr<uint8_t>(y + margin) + margin;
        float* dst = out.data.data() + static_cast<std::size_t>(y) * mask.width;
        for (int x = 0; x < mask.width; ++x) {
            if (d[x] <= 0.f) {
                dst[x] = 0.f;
                continue;
            }
            // An edge pixel (distance 1) is half in: the ramp runs from 0.5 to the ramp's width.
            const float width = std::max(t8[x] * (feather / 255.f) - 0.5f, 0.5f);
            const float s = std::clamp((d[x] - 0.5f) / width, 0.f, 1.f);
            dst[x] = s * s * (3.f - 2.f * s);
        }
    }
    return out;
}

inference::ImageF pasteAlpha(const inference::ImageF& mask, int featherPx) {
    inference::ImageF alpha = featherMask(mask, featherPx);
    for (std::size_t i = 0; i < alpha.data.size(); ++i) {
        const float m = mask.data[i];
        alpha.data[i] = m > 0.f ? alpha.data[i] * std::min(m, 1.f) : 0.f;
    }
    return alpha;
}

}  // namespace atelier::app
