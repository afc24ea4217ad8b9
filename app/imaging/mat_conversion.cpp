#include "app/imaging/mat_conversion.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "app/imaging/inpaint_region.h"

namespace atelier::app {
namespace {

template <typename T>
void readPixels(const cv::Mat& mat, inference::ImageF& out, int sourceChannels, bool swapRb,
                float scale) {
    for (int y = 0; y < mat.rows; ++y) {
        const T* row = mat.ptr<T>(y);
        float* dst = out.data.data() + static_cast<std::size_t>(y) * out.width * out.channels;
        for (int x = 0; x < mat.cols; ++x) {
            const T* px = row + static_cast<std::size_t>(x) * sourceChannels;
            for (int c = 0; c < out.channels; ++c) {
                const int from = swapRb && out.channels == 3 ? 2 - c : c;  // BGR(A) -> RGB
                dst[x * out.channels + c] = static_cast<float>(px[from]) / scale;
            }
        }
    }
}

template <typename T>
void writePixels(const inference::ImageF& image, cv::Mat& mat, bool swapRb, float max) {
    for (int y = 0; y < image.height; ++y) {
        T* row = mat.ptr<T>(y);
        const float* src =
            image.data.data() + static_cast<std::size_t>(y) * image.width * image.channels;
        for (int x = 0; x < image.width; ++x) {
            for (int c = 0; c < image.channels; ++c) {
                const int to = swapRb && c < 3 && image.channels >= 3 ? 2 - c : c;
                const float v = src[x * image.channels + c];
                if constexpr (std::is_same_v<T, float>) {
                    row[x * image.channels + to] = v;
                } else {
                    // NaN becomes 0 (std::clamp would pass it through to an undefined cast).
                    const float clamped = v > 0.f ? std::min(v, 1.f) : 0.f;
                    row[x * image.channels + to] = static_cast<T>(std::lround(clamped * max));
                }
            }
        }
    }
}

void checkImage(const inference::ImageF& image) {
    if (image.width < 0 || image.height < 0 ||
        (image.channels != 1 && image.channels != 3 && image.channels != 4) ||
        image.data.size() != static_cast<std::size_t>(image.width) * image.height *
                                 static_cast<std::size_t>(image.channels)) {
        throw InpaintError("an image must have 1, 3 or 4 channels and a pixel buffer of its size");
    }
}

}  // namespace

inference::ImageF imageFromMat(const cv::Mat& mat, ChannelOrder order) {
    const int channels = mat.channels();
    if (mat.dims != 2 || (channels != 1 && channels != 3 && channels != 4)) {
        throw InpaintError("cannot convert a " + std::to_string(mat.dims) + "-dimensional, " +
                           std::to_string(channels) + "-channel matrix to an image");
    }
    inference::ImageF out(mat.cols, mat.rows, channels == 4 ? 3 : channels);
    const bool swap = order == ChannelOrder::Bgr;
    switch (mat.depth()) {
        case CV_8U:
            readPixels<uint8_t>(mat, out, channels, swap, 255.f);
            break;
        case CV_16U:
            readPixels<uint16_t>(mat, out, channels, swap, 65535.f);
            break;
        case CV_32F:
            readPixels<float>(mat, out, channels, swap, 1.f);
            break;
        default:
            throw InpaintError("cannot convert a matrix of OpenCV depth " +
                               std::to_string(mat.depth()) + " (only 8-bit, 16-bit, float)");
    }
    return out;
}

cv::Mat matFromImage(const inference::ImageF& image, int depth, ChannelOrder order) {
    checkImage(image);
    const bool swap = order == ChannelOrder::Bgr;
    cv::Mat mat(image.height, image.width, CV_MAKETYPE(depth, image.channels));
    switch (depth) {
        case CV_8U:
            writePixels<uint8_t>(image, mat, swap, 255.f);
            break;
        case CV_16U:
            writePixels<uint16_t>(image, mat, swap, 65535.f);
            break;
        case CV_32F:
            writePixels<float>(image, mat, swap, 1.f);
            break;
        default:
            throw InpaintError("cannot convert an image to OpenCV depth " + std::to_string(depth));
    }
    return mat;
}

cv::Mat matView(inference::ImageF& image) {
    checkImage(image);
    return cv::Mat(image.height, image.width, CV_32FC(image.channels), image.data.data());
}

cv::Mat constMatView(const inference::ImageF& image) {
    return matView(const_cast<inference::ImageF&>(image));
}

}  // namespace atelier::app
