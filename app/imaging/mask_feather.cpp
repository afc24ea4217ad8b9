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
    cv::distanceTransform(outside, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
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
    cv::distanceTransform(inside, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    // The deepest point within featherPx: a stroke's half-width where it is thin.
    const cv::Mat window =
        cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * featherPx + 1, 2 * featherPx + 1));
    cv::dilate(distance, thickness, window);

    const float feather = static_cast<float>(featherPx);
    for (int y = 0; y < mask.height; ++y) {
        const float* d = distance.ptr<float>(y + margin) + margin;
        const float* t = thickness.ptr<float>(y + margin) + margin;
        float* dst = out.data.data() + static_cast<std::size_t>(y) * mask.width;
        for (int x = 0; x < mask.width; ++x) {
            if (d[x] <= 0.f) {
                dst[x] = 0.f;
                continue;
            }
            // An edge pixel (distance 1) is half in: the ramp runs from 0.5 to the ramp's width.
            const float width = std::max(std::min(feather, t[x]) - 0.5f, 0.5f);
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
