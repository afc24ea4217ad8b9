#pragma once
// A piecewise-linear curve: maps an input (pressure, tilt, speed) to a multiplier of a setting.
// Constant beyond its first and last points.
#include <vector>

namespace atelier::brushes {

struct CurvePoint {
    float x = 0.0f;
    float y = 0.0f;
};

class Curve {
public:
    Curve() = default;  // the identity multiplier: 1 everywhere
    // Points sorted by strictly increasing x, all finite, at least one; throws
    // std::invalid_argument otherwise (the preset loader checks first and names the key).
    explicit Curve(std::vector<CurvePoint> points);

    float operator()(float x) const;
    const std::vector<CurvePoint>& points() const { return points_; }

private:
    std::vector<CurvePoint> points_;
};

}  // namespace atelier::brushes
