#include "brushes/curve.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace atelier::brushes {

Curve::Curve(std::vector<CurvePoint> points) : points_(std::move(points)) {
    if (points_.empty()) throw std::invalid_argument("a curve needs at least one point");
    for (std::size_t i = 0; i < points_.size(); ++i) {
        if (!std::isfinite(points_[i].x) || !std::isfinite(points_[i].y)) {
            throw std::invalid_argument("curve point " + std::to_string(i) + " is not finite");
        }
        if (i > 0 && !(points_[i].x > points_[i - 1].x)) {
            throw std::invalid_argument("curve point " + std::to_string(i) +
                                        ": x must increase strictly");
        }
    }
}

float Curve::operator()(float x) const {
    if (points_.empty()) return 1.0f;
    if (!(x > points_.front().x)) return points_.front().y;  // NaN input reads as the start
    if (x >= points_.back().x) return points_.back().y;
    const auto upper = std::upper_bound(points_.begin(), points_.end(), x,
                                        [](float v, const CurvePoint& p) { return v < p.x; });
    const CurvePoint& p1 = *upper;
    const CurvePoint& p0 = *(upper - 1);
    const float t = (x - p0.x) / (p1.x - p0.x);
    return p0.y + (p1.y - p0.y) * t;
}

}  // namespace atelier::brushes
