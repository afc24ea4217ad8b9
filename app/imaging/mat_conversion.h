#pragma once
// cv::Mat <-> inference::ImageF. OpenCV stores colour as BGR by convention (imread), ImageF as
// RGB: say which order a Mat is in. Integer sources map 0..max to 0..1 exactly (k / 255.f,
// k / 65535.f), so an 8- or 16-bit image survives a round trip bit for bit.
#include <opencv2/core.hpp>

#include "inference/image_types.h"

namespace atelier::app {

enum class ChannelOrder { Rgb, Bgr };

// CV_8U, CV_16U or CV_32F with 1, 3 or 4 channels (a 4th channel, alpha, is dropped; float values
// are copied as they are). Anything else throws InpaintError naming the type.
inference::ImageF imageFromMat(const cv::Mat& mat, ChannelOrder order = ChannelOrder::Rgb);

// A copy as CV_8U, CV_16U (values clamped to [0, 1], rounded to nearest) or CV_32F.
cv::Mat matFromImage(const inference::ImageF& image, int depth = CV_32F,
                     ChannelOrder order = ChannelOrder::Rgb);

// A CV_32FC(channels) header over the image's own pixels (no copy): OpenCV writes go to `image`.
cv::Mat matView(inference::ImageF& image);
// The same for reading. cv::Mat has no const view: the caller must not write through it.
cv::Mat constMatView(const inference::ImageF& image);

}  // namespace atelier::app
