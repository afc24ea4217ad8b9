#pragma once
// Private to inference/schedulers/: the concrete schedulers' factories and the pieces of
// arithmetic several of them share, written to reproduce numpy's results exactly.
#include "inference/schedulers/scheduler.h"

#include <ATen/Tensor.h>

#include <memory>
#include <vector>

namespace atelier::inference::schedulers_detail {

// alphas_cumprod-based, integer timesteps (alpha_schedulers.cpp)
std::unique_ptr<Scheduler> makeDdim(const ScheduleConfig& config, double eta);
std::unique_ptr<Scheduler> makeDdpm(const ScheduleConfig& config);
std::unique_ptr<Scheduler> makePndm(const ScheduleConfig& config);
// sigma-based (sigma_schedulers.cpp)
std::unique_ptr<Scheduler> makeEuler(const ScheduleConfig& config, bool ancestral);
std::unique_ptr<Scheduler> makeDpmPP2MKarras(const ScheduleConfig& config);

// numpy.linspace(start, stop, num) (endpoint included, last value exactly `stop`).
std::vector<double> npLinspace(double start, double stop, int num);
// numpy.arange(start, 0, -step) for step > 0: ceil(start / step) values start - i * step.
std::vector<double> npArangeDownToZero(double start, double step);
// numpy.round: to nearest, ties to even.
double npRound(double value);

// The timesteps of DDIM and DDPM for `count` steps (descending, integers), by the config's
// spacing. Euler's "linspace" differs (not rounded): `roundLinspace` false.
std::vector<double> spacedTimesteps(const ScheduleConfig& config, int count, bool roundLinspace);

// The dtype the arithmetic runs in: float64 for float64 samples, float32 otherwise.
at::ScalarType computeType(const at::Tensor& sample);

// Applies the config's clip_sample to a predicted x0.
at::Tensor clipPredictedSample(const ScheduleConfig& config, const at::Tensor& x0);

}  // namespace atelier::inference::schedulers_detail
