#pragma once
// Colours the engine passes around: straight (not premultiplied) RGBA, floats in [0, 1], in the
// canvas's own encoding (sRGB values; the engine does no colour management). Pixels in buffers are
// premultiplied; only the renderer converts.

namespace atelier::brushes {

struct ColorF {
    float r = 0.0f;
    float g = 0.0f;
    float b = 0.0f;
    float a = 1.0f;
};

}  // namespace atelier::brushes
