#include "inference/pipelines/tiling.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <algorithm>

namespace atelier::inference {

std::vector<TileSpan> tileSpans(int64_t length, int64_t tile, int64_t overlap) {
    if (tile <= 0 || tile >= length) return {{0, length}};
    overlap = std::clamp<int64_t>(overlap, 0, tile / 2);
    const int64_t stride = tile - overlap;
    const int64_t count = 1 + (length - tile + stride - 1) / stride;
    std::vector<TileSpan> spans;
    for (int64_t i = 0; i < count; ++i) {
        // Spread the tiles evenly so the last one ends at the border.
        const int64_t begin = count == 1 ? 0 : (length - tile) * i / (count - 1);
        spans.push_back({begin, begin + tile});
    }
    return spans;
}

at::Tensor spanWeights(const TileSpan& span, int64_t length, int64_t overlap, const at::TensorOptions& options) {
    const int64_t n = span.end - span.begin;
    at::Tensor w = at::ones({n}, options.dtype(at::kFloat));
    if (overlap <= 0) return w;
    const at::Tensor pos = at::arange(n, options.dtype(at::kFloat)) + 0.5;
    if (span.begin > 0) w = at::minimum(w, pos / double(overlap));
    if (span.end < length) w = at::minimum(w, (double(n) - pos) / double(overlap));
    return w;
}

at::Tensor runTiled(const at::Tensor& input, int64_t tile, int64_t overlap, int64_t scale,
                    const std::function<at::Tensor(const at::Tensor&, int64_t, int64_t, int64_t, int64_t)>& f) {
    const int64_t H = input.size(2), W = input.size(3);
    const auto rows = tileSpans(H, tile, overlap);
    const auto cols = tileSpans(W, tile, overlap);
    if (rows.size() == 1 && cols.size() == 1) return f(input, 0, 0, H, W);
    // The actual overlap between neighbours (tiles are spread evenly, so it can exceed `overlap`).
    auto sharedOverlap = [](const std::vector<TileSpan>& spans) {
        int64_t o = 0;
        for (std::size_t i = 1; i < spans.size(); ++i) o = std::max(o, spans[i - 1].end - spans[i].begin);
        return o;
    };
    const int64_t overlapY = sharedOverlap(rows) * scale, overlapX = sharedOverlap(cols) * scale;
    at::Tensor sum, weightSum;
    for (const auto& r : rows) {
        for (const auto& c : cols) {
            const at::Tensor piece = input.slice(2, r.begin, r.end).slice(3, c.begin, c.end);
            const at::Tensor out = f(piece, r.begin, c.begin, r.end, c.end).to(at::kFloat);
            if (!sum.defined()) {
                sum = at::zeros({out.size(0), out.size(1), H * scale, W * scale}, out.options());
                weightSum = at::zeros({1, 1, H * scale, W * scale}, out.options());
            }
            const TileSpan rs{r.begin * scale, r.end * scale}, cs{c.begin * scale, c.end * scale};
            const at::Tensor wy = spanWeights(rs, H * scale, overlapY, out.options());
            const at::Tensor wx = spanWeights(cs, W * scale, overlapX, out.options());
            const at::Tensor w = (wy.unsqueeze(1) * wx.unsqueeze(0)).unsqueeze(0).unsqueeze(0);
            sum.slice(2, rs.begin, rs.end).slice(3, cs.begin, cs.end).add_(out * w);
            weightSum.slice(2, rs.begin, rs.end).slice(3, cs.begin, cs.end).add_(w);
        }
    }
    return (sum / weightSum).to(input.scalar_type());
}

}  // namespace atelier::inference
