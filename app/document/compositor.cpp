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
        const uint8_t a8 = uint8_t(a * 255.f + 0.5f);
        for (int ch = 0; ch < 3; ++ch) {
            // Premultiplied colour may not exceed alpha after rounding.
            const float v = std::clamp(in[p * 4 + ch], 0.f, a);
            b[p * 4 + ch] = std::min(a8, uint8_t(v * 255.f + 0.5f));
        }
        b[p * 4 + 3] = a8;
    }
}

namespace {

// Composites an 8-bit premultiplied layer tile onto out, scaled by opacity and the mask, in one
// pass (the hot loop of every recomposite).
void blendLayerTile(const Layer& layer, const Tile& tile, TileCoord c, float* out) {
    const float k0 = layer.props.opacity / 255.f;
    const TilePtr maskTile = layer.mask ? layer.mask->tile(c) : nullptr;
    const uint8_t* m = maskTile ? maskTile->bytes.data() : nullptr;
    const float fillK = layer.mask ? k0 * layer.mask->fill() / 255.f : k0;
    const uint8_t* b = tile.bytes.data();
    if (layer.props.mode == BlendMode::Normal) {
        for (int p = 0; p < kTilePixels; ++p, b += 4, out += 4) {
            const float k = m ? k0 * m[p] * (1.f / 255.f) : fillK;
            const float sa = b[3] * k;
            const float inv = 1.f - sa;
            out[0] = b[0] * k + out[0] * inv;
            out[1] = b[1] * k + out[1] * inv;
            out[2] = b[2] * k + out[2] * inv;
            out[3] = sa + out[3] * inv;
        }
        return;
    }
    thread_local std::vector<float> scratch(size_t(kTilePixels) * 4);
    float* s = scratch.data();
    for (int p = 0; p < kTilePixels; ++p, b += 4, s += 4) {
        const float k = m ? k0 * m[p] * (1.f / 255.f) : fillK;
        s[0] = b[0] * k, s[1] = b[1] * k, s[2] = b[2] * k, s[3] = b[3] * k;
    }
    blendSpan(layer.props.mode, scratch.data(), out, kTilePixels);
}

// A visible, normal, fully opaque layer tile hides everything below it in its group.
bool coversBelow(const Layer& layer, TileCoord c) {
    if (layer.isGroup() || !layer.props.visible || layer.props.mode != BlendMode::Normal ||
        layer.props.opacity < 1.f)
        return false;
    if (layer.mask && (layer.mask->tile(c) || layer.mask->fill() != 255)) return false;
    const TilePtr t = layer.pixels.tile(c);
    if (!t) return false;
    for (int p = 0; p < kTilePixels; ++p)
        if (t->bytes[size_t(p) * 4 + 3] != 255) return false;
    return true;
}

}  // namespace

void renderChildren(const Layer& group, TileCoord c, float* out) {
    const auto& children = group.children();
    size_t first = 0;
    for (size_t i = children.size(); i-- > 0;) {
        if (coversBelow(*children[i], c)) {
            first = i;
            break;
        }
    }
    for (size_t i = first; i < children.size(); ++i) {
        const Layer& layer = *children[i];
        if (!layer.props.visible) continue;
        if (!layer.isGroup()) {
            const TilePtr t = layer.pixels.tile(c);
            if (!t) {
                // A transparent source leaves the backdrop as it is, except in dst-in and
                // dst-atop, which clear it.
                if (actsWhereEmpty(layer.props.mode)) std::fill(out, out + kTilePixels * 4, 0.f);
                continue;
            }
            blendLayerTile(layer, *t, c, out);
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
            for (int k = 0; k < kTilePixels * 4; ++k) out[k] += (drawn[k] - out[k]) * weight[k];
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
