#pragma once
// Plain image buffers exchanged with inference/ (no torch, no Qt, no OpenCV).
#include <cstdint>
#include <vector>

namespace atelier::inference {

// 8-bit RGB, row-major, 3 bytes per pixel, no padding: rgb.size() == width * height * 3.
struct Rgb8Image {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
};

// One float per pixel, row-major: values.size() == width * height.
struct FloatImage {
    int width = 0;
    int height = 0;
    std::vector<float> values;
};

// What the pipelines take and give: row-major, interleaved channels (HWC), values in [0, 1] (an
// RGB image: 3 channels; a mask or a depth map: 1). A mask's 1 means "repaint"; a depth map's
// larger values are nearer.
struct ImageF {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<float> data;

    ImageF() = default;
    ImageF(int w, int h, int c, float fill = 0.f)
        : width(w), height(h), channels(c), data(std::size_t(w) * h * c, fill) {}
    bool empty() const { return data.empty(); }
    float& at(int x, int y, int c) { return data[(std::size_t(y) * width + x) * channels + c]; }
    float at(int x, int y, int c) const { return data[(std::size_t(y) * width + x) * channels + c]; }
};

}  // namespace atelier::inference
