#pragma once
// Position smoothing for strokes: an exponential filter in time (time constant tau), exact for a
// pen that holds each reported position until the next event:
//     s += (p - s) * (1 - exp(-dt / tau))
// so the result does not depend on the tablet's event rate. tau = 0 passes positions through.
namespace atelier::brushes {

struct Point {
    double x = 0.0;
    double y = 0.0;
};

class StrokeSmoother {
public:
    explicit StrokeSmoother(double timeConstantMs)
        : tau_(timeConstantMs > 0 ? timeConstantMs : 0) {}

    // The smoothed position after a pen event at `p`, time `timeMs` (the first event is taken
    // as it is; time going backwards counts as no time).
    Point add(Point p, double timeMs);
    bool started() const { return started_; }
    Point position() const { return s_; }

private:
    double tau_;
    bool started_ = false;
    Point s_;
    double lastTimeMs_ = 0.0;
};

}  // namespace atelier::brushes
