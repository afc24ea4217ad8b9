#pragma once
// Plain image buffers exchanged with inference/ (no torch, no Qt).
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

}  // namespace atelier::inference
