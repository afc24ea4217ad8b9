#include "app/imaging/image_ops.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <opencv2/imgproc.hpp>

#include "app/imaging/mat_conversion.h"

namespace atelier::app {
namespace {

inference::ImageF resized(const inference::ImageF& image, PixelSize size, int upInterpolation,
                          bool clamp) {
    if (size.width <= 0 || size.height <= 0) throw InpaintError("cannot resize to an empty size");
    if (size.width == image.width && size.height == image.height) return image;
    const bool shrinking = size.width <= image.width && size.height <= image.height;
    inference::ImageF out(size.width, size.height, image.channels);
    cv::Mat dst = matView(out);
    cv::resize(constMatView(image), dst, cv::Size(size.width, size.height), 0, 0,
               shrinking ? cv::INTER_AREA : upInterpolation);
    if (clamp) {
        for (float& v : out.data) v = std::clamp(v, 0.f, 1.f);
    }
    return out;
}

}  // namespace

void requireImage(const inference::ImageF& image, int channels, const char* what) {
    if (image.width <= 0 || image.height <= 0 || image.channels != channels ||
        image.data.size() != static_cast<std::size_t>(image.width) * image.height * channels) {
        throw InpaintError(std::string(what) + " must be a non-empty " + std::to_string(channels) +
                           "-channel image (got " + std::to_string(image.width) + "x" +
                           std::to_string(image.height) + "x" + std::to_string(image.channels) +
                           ")");
    }
}

inference::ImageF cropImage(const inference::ImageF& image, const PixelRect& rect) {
    if (rect.empty() || !PixelRect{0, 0, image.width, image.height}.contains(rect)) {
        throw InpaintError("the crop rectangle is empty or outside the image");
    }
    inference::ImageF out(rect.width, rect.height, image.channels);
    const std::size_t rowFloats = static_cast<std::size_t>(rect.width) * image.channels;
    for (int y = 0; y < rect.height; ++y) {
        const float* src =
            image.data.data() +
            (static_cast<std::size_t>(rect.y + y) * image.width + rect.x) * image.channels;
        std::memcpy(out.data.data() + y * rowFloats, src, rowFloats * sizeof(float));
    }
    return out;
}

inference::ImageF resizeImage(const inference::ImageF& image, PixelSize size) {
    return resized(image, size, cv::INTER_CUBIC, true);
}

inference::ImageF resizeMask(const inference::ImageF& mask, PixelSize size) {
    return resized(mask, size, cv::INTER_LINEAR, false);
}

}  // namespace atelier::app
