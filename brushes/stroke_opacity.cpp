#include "brushes/stroke_opacity.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "brushes/dab_renderer.h"

namespace atelier::brushes {

namespace {

float solve(float opacity, float hardness, float spacing, float radius) {
    if (!(opacity > 0.0f)) return 0.0f;
    if (opacity >= 1.0f) return 1.0f;
    // Coverage of the dabs over one centre-line pixel (symmetric: k and -k).
    Dab probe;
    probe.radius = radius;
    probe.hardness = hardness;
    probe.opacity = 1.0f;
    std::vector<double> f;
    for (int k = 0; k * double(spacing) < 1.0 && k < 1000; ++k) {
        const double distance = k * double(spacing) * radius;
        probe.x = 0.5f - float(distance);  // pixel (0, 0)'s centre is `distance` away
        probe.y = 0.5f;
        const double v = dabAlphaAt(probe, 0, 0);
        if (v <= 0.0) break;
        f.push_back(v);
        if (k > 0) f.push_back(v);
    }
    // F(a) = -sum ln(1 - a f_k) rises from 0; find F(a) = T.
    const double target = -std::log1p(-double(opacity));
    auto F = [&](double a, double& slope) -> double {
        double sum = 0.0;
        slope = 0.0;
        for (double v : f) {
            const double rest = 1.0 - a * v;
            if (rest <= 0.0) return HUGE_VAL;
            sum -= std::log(rest);
            slope += v / rest;
        }
        return sum;
    };
    double slope = 0.0;
    if (f.empty() || F(1.0, slope) <= target) return 1.0f;  // even opaque dabs do not get there
    double lo = 0.0, hi = 1.0;
    double total = 0.0;
    for (double v : f) total += v;
    double a = 1.0 - std::pow(1.0 - opacity, 1.0 / total);  // the answer for flat dabs
    for (int i = 0; i < 60; ++i) {
        const double value = F(a, slope);
        if (std::abs(value - target) <= 1e-7 * target) break;
        if (value > target)
            hi = a;
        else
            lo = a;
        double next = a - (value - target) / slope;  // Newton, kept inside the bracket
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        a = next;
    }
    return float(a);
}

}  // namespace

float dabOpacityForStroke(float strokeOpacity, float hardness, float spacing, float radius) {
    // Strokes mostly repeat the same settings dab after dab: remember the last answer.
    thread_local float lastKey[4] = {-1, -1, -1, -1};
    thread_local float lastValue = 0;
    const float key[4] = {strokeOpacity, hardness, spacing, radius};
    if (std::equal(key, key + 4, lastKey)) return lastValue;
    lastValue = solve(strokeOpacity, hardness, spacing, radius);
    std::copy(key, key + 4, lastKey);
    return lastValue;
}

}  // namespace atelier::brushes
