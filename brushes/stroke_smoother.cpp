#include "brushes/stroke_smoother.h"

#include <cmath>

namespace atelier::brushes {

Point StrokeSmoother::add(Point p, double timeMs) {
    if (!started_ || tau_ <= 0.0) {
        started_ = true;
        s_ = p;
        lastTimeMs_ = timeMs;
        return s_;
    }
    const double dt = timeMs > lastTimeMs_ ? timeMs - lastTimeMs_ : 0.0;
    if (timeMs > lastTimeMs_) lastTimeMs_ = timeMs;
    const double k = 1.0 - std::exp(-dt / tau_);
    s_.x += (p.x - s_.x) * k;
    s_.y += (p.y - s_.y) * k;
    return s_;
}

}  // namespace atelier::brushes
