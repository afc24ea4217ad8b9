#include "app/document/compositor.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace atelier::document {
namespace {

using FloatTile = std::vector<float>;

// Multiplies all four channels by opacity * mask / 255 (the mask's fill covers missing tiles).
void applyOpacityAndMask(const Layer& layer, TileCoord c, float* px) {
    const float opacity = layer.props.opacity;
    TilePtr maskTile = layer.mask ? layer.mask->tile(c) : nullptr;
    if (layer.mask && !maskTile && layer.mask->fill() != 255) {
        const float k = opacity * layer.mask->fill() / 255.f;
        for (int i = 0; i < kTilePixels * 4; ++i) px[i] *= k;
        return;
    }
    if (maskTile) {
        const uint8_t* m = maskTile->bytes.data();
        for (int p = 0; p < kTilePixels; ++p) {
            const float k = opacity * m[p] / 255.f;
            for (int ch = 0; ch < 4; ++ch) px[p * 4 + ch] *= k;
        }
        return;
    }
    if (opacity >= 1.f) return;
    for (int i = 0; i < kTilePixels * 4; ++i) px[i] *= opacity;
}

bool hasMaskEffect(const Layer& layer) { return layer.mask.has_value(); }

}  // namespace

void tileToFloat(const Tile& tile, float* out) {
    constexpr float k = 1.f / 255.f;
    const uint8_t* b = tile.bytes.data();
    for (int i = 0; i < kTilePixels * 4; ++i) out[i] = b[i] * k;
}

void floatToTile(const float* in, Tile& tile) {
    uint8_t* b = tile.bytes.data();
    for (int p = 0; p < kTilePixels; ++p) {
        const float a = std::clamp(in[p * 4 + 3], 0.f, 1.f);
        const uint8_t a8 = uint8_t(std::lround(a * 255.f));
        for (int ch = 0; ch < 3; ++ch) {
            // Premultiplied colour may not exceed alpha after rounding.
            const float v = std::clamp(in[p * 4 + ch], 0.f, a);
            b[p * 4 + ch] = std::min(a8, uint8_t(std::lround(v * 255.f)));
        }
        b[p * 4 + 3] = a8;
    }
}

void renderChildren(const Layer& group, TileCoord c, float* out) {
    FloatTile scratch;
    for (const LayerPtr& child : group.children()) {
        const Layer& layer = *child;
        if (!layer.props.visible) continue;
        if (!layer.isGroup()) {
            const TilePtr t = layer.pixels.tile(c);
            if (!t) continue;  // transparent source leaves the backdrop as it is, in every mode
            scratch.resize(size_t(kTilePixels) * 4);
            tileToFloat(*t, scratch.data());
            applyOpacityAndMask(layer, c, scratch.data());
            blendSpan(layer.props.mode, scratch.data(), out, kTilePixels);
        } else if (layer.props.passThrough) {
            if (layer.props.opacity >= 1.f && !hasMaskEffect(layer)) {
                renderChildren(layer, c, out);
                continue;
            }
            // Children drawn onto a copy of the backdrop; opacity and mask fade between the two.
            FloatTile drawn(out, out + kTilePixels * 4);
            renderChildren(layer, c, drawn.data());
            FloatTile weight(size_t(kTilePixels) * 4, 1.f);
            applyOpacityAndMask(layer, c, weight.data());
            for (int i = 0; i < kTilePixels * 4; ++i) out[i] += (drawn[i] - out[i]) * weight[i];
        } else {
            FloatTile own(size_t(kTilePixels) * 4, 0.f);
            renderChildren(layer, c, own.data());
            applyOpacityAndMask(layer, c, own.data());
            blendSpan(layer.props.mode, own.data(), out, kTilePixels);
        }
    }
}

TilePtr renderTile(const Layer& root, TileCoord c) {
    FloatTile out(size_t(kTilePixels) * 4, 0.f);
    renderChildren(root, c, out.data());
    auto tile = std::make_shared<Tile>(4, 0);
    floatToTile(out.data(), *tile);
    if (std::all_of(tile->bytes.begin(), tile->bytes.end(), [](uint8_t b) { return b == 0; }))
        return nullptr;
    return tile;
}

}  // namespace atelier::document
