#pragma once
// Measuring the model core (atelier-cli bench): load time, text encoding, the UNet guided step
// (one forward at batch 2, as classifier-free guidance runs it), VAE decode, peak memory. Speed
// lives here and in docs/BENCHMARKS.md, never in tests.
#include "inference/sd2_model.h"

#include <cstdint>
#include <string>

namespace atelier::inference {

struct BenchRequest {
    int width = 0;   // pixels; 0 = the model's native size
    int height = 0;
    int steps = 3;   // timed guided steps (after one warm-up)
    bool decode = true;
};

struct BenchResult {
    std::string model;
    std::string variant;
    std::string device;
    std::string dtype;
    int width = 0, height = 0, latentWidth = 0, latentHeight = 0;
    int threads = 0;
    double openSeconds = 0;
    double loadSeconds = 0;  // all three networks
    double textEncodeSeconds = 0;  // [negative, prompt]
    double stepMedianSeconds = 0;
    double stepMinSeconds = 0;
    double decodeSeconds = -1;
    int64_t peakRssBytes = 0;
    int64_t unetParameters = 0;
};

BenchResult benchmark(Sd2Model& model, const BenchRequest& request);

// The released 512-base's architecture (865,910,724 UNet parameters) with random weights, for
// timing without a checkpoint.
Sd2Model fullSizeRandomModel(const ModelOptions& options, uint64_t seed = 0);

}  // namespace atelier::inference
