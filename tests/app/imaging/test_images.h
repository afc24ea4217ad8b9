#pragma once
// Deterministic test pictures for the image side: no files, nothing random between runs.
#include <cmath>
#include <cstdint>
#include <random>

#include "inference/image_types.h"

namespace atelier::app::test {

// Smooth gradients plus fine stripes: colour everywhere, texture for the colour statistics,
// red kept in [0.1, 0.7] so that +0.2 does not clip.
inline inference::ImageF texturedImage(int w, int h) {
    inference::ImageF img(w, h, 3);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const float u = float(x) / w, v = float(y) / h;
            const float stripes = 0.5f + 0.5f * std::sin(0.35f * x + 0.21f * y);
            img.at(x, y, 0) = 0.1f + 0.45f * u + 0.15f * stripes;
            img.at(x, y, 1) = 0.2f + 0.5f * v + 0.1f * stripes;
            img.at(x, y, 2) = 0.6f - 0.3f * u * v + 0.1f * (1.f - stripes);
        }
    }
    return img;
}

// Values are exact multiples of 1/255, as if read from an 8-bit file.
inline inference::ImageF quantisedTo8Bits(inference::ImageF img) {
    for (float& v : img.data) v = float(std::lround(v * 255.f)) / 255.f;
    return img;
}

inline inference::ImageF discMask(int w, int h, float cx, float cy, float r, float value = 1.f) {
    inference::ImageF m(w, h, 1);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const float dx = x + 0.5f - cx, dy = y + 0.5f - cy;
            if (dx * dx + dy * dy <= r * r) m.at(x, y, 0) = value;
        }
    }
    return m;
}

inline inference::ImageF rectMask(int w, int h, int x0, int y0, int rw, int rh, float value = 1.f) {
    inference::ImageF m(w, h, 1);
    for (int y = y0; y < y0 + rh; ++y) {
        for (int x = x0; x < x0 + rw; ++x) m.at(x, y, 0) = value;
    }
    return m;
}

inline inference::ImageF noise(int w, int h, int c, uint32_t seed, float lo = 0.f, float hi = 1.f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    inference::ImageF img(w, h, c);
    for (float& v : img.data) v = dist(rng);
    return img;
}

}  // namespace atelier::app::test
