#include "inference/bench.h"

#include "inference/models/layers.h"
#include "inference/sd2_model_impl.h"

#include <ATen/Functions.h>
#include <ATen/Parallel.h>
#include <ATen/TensorOperators.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>

namespace atelier::inference {
namespace {

using Clock = std::chrono::steady_clock;

void sync(const c10::Device& device) {
    if (device.is_cuda()) torch::cuda::synchronize();
}

template <typename F>
double timed(const c10::Device& device, F&& f) {
    sync(device);
    const auto start = Clock::now();
    f();
    sync(device);
    return std::chrono::duration<double>(Clock::now() - start).count();
}

int64_t peakRss() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return int64_t(usage.ru_maxrss) * 1024;
}

const char* dtypeText(c10::ScalarType t) {
    return t == at::kHalf ? "fp16" : t == at::kBFloat16 ? "bf16" : "fp32";
}

// Fills every parameter with small random values (std 0.02, norms at 1): a network that computes
// like a trained one (no denormals, no zeros for BLAS to skip).
void randomize(torch::nn::Module& net, uint64_t seed) {
    c10::InferenceMode off(false);
    at::NoGradGuard noGrad;
    auto generator = at::detail::createCPUGenerator(seed);
    for (auto& item : net.named_parameters(true)) {
        at::Tensor& p = item.value();
        const bool norm = item.key().find("norm") != std::string::npos || item.key().find("ln_") != std::string::npos;
        if (norm && item.key().size() >= 6 && item.key().compare(item.key().size() - 6, 6, "weight") == 0) {
            p.fill_(1.0);
        } else {
            p.copy_(at::normal(0.0, 0.02, p.sizes(), generator, at::TensorOptions().dtype(at::kFloat)));
        }
    }
}

}  // namespace

BenchResult benchmark(Sd2Model& model, const BenchRequest& request) {
    Sd2Model::Impl& m = model.impl();
    const ModelCheckpoint& ck = m.checkpoint;
    BenchResult r;
    r.model = ck.path;
    r.variant = variantName(ck.variant, ck.prediction);
    r.device = m.networkOptions.device.str();
    r.dtype = dtypeText(m.networkOptions.dtype);
    r.threads = at::get_num_threads();
    r.openSeconds = m.summary.openSeconds;
    const int64_t f = ck.vaeConfig.spatialFactor();
    const int64_t native = ck.variant == ModelVariant::Upscaler ? 128 : ck.sampleSize * f;
    r.width = request.width > 0 ? request.width : int(native);
    r.height = request.height > 0 ? request.height : int(native);
    // The upscaler's UNet runs at the low-res size (its latent equals the input image).
    const int64_t unetScale = ck.variant == ModelVariant::Upscaler ? 1 : f;
    r.latentWidth = int(r.width / unetScale);
    r.latentHeight = int(r.height / unetScale);
    const c10::Device device = m.networkOptions.device;
    r.loadSeconds = timed(device, [&] { model.loadAll(); });
    r.unetParameters = parameterCount(*m.unet());

    c10::InferenceMode guard;
    at::Tensor context;
    r.textEncodeSeconds = timed(device, [&] { context = m.encode({"", "a benchmark prompt"}); });
    const auto options = at::TensorOptions().device(device).dtype(m.networkOptions.dtype);
    auto generator = at::detail::createCPUGenerator(0);
    const at::Tensor x = at::randn({2, ck.unetConfig.inChannels, r.latentHeight, r.latentWidth}, generator,
                                   at::TensorOptions().dtype(at::kFloat)).to(options);
    const at::Tensor t = at::full({2}, 500.0, options.dtype(at::kFloat));
    const at::Tensor labels = ck.unetConfig.numClasses > 0 ? at::full({2}, int64_t(20), options.dtype(at::kLong)) : at::Tensor();
    UNetModel& unet = m.unet();
    unet->forward(x, t, context, labels);  // warm-up (allocator, kernels)
    std::vector<double> steps;
    for (int i = 0; i < std::max(1, request.steps); ++i)
        steps.push_back(timed(device, [&] { unet->forward(x, t, context, labels); }));
    std::sort(steps.begin(), steps.end());
    r.stepMedianSeconds = steps[steps.size() / 2];
    r.stepMinSeconds = steps.front();
    if (request.decode) {
        const int64_t lh = r.height / f, lw = r.width / f;
        const at::Tensor z = at::randn({1, ck.vaeConfig.zChannels, lh, lw}, generator, at::TensorOptions().dtype(at::kFloat))
                                 .to(m.vaeOptions.device, m.vaeOptions.dtype);
        r.decodeSeconds = timed(device, [&] { m.vae()->decode(z); });
    }
    r.peakRssBytes = peakRss();
    return r;
}

Sd2Model fullSizeRandomModel(const ModelOptions& options, uint64_t seed) {
    applyThreads(options.threads);
    auto impl = std::make_unique<Sd2Model::Impl>();
    impl->networkOptions = parseNetworkOptions(options.device, options.dtype);
    impl->vaeOptions = parseNetworkOptions(options.device, options.vaeDtype);
    ModelCheckpoint& ck = impl->checkpoint;
    ck.path = "(512-base architecture, random weights)";
    ck.variant = ModelVariant::TextToImage;
    ck.prediction = Prediction::Epsilon;
    ck.unetConfig = UNetConfig{};      // the defaults are 512-base's
    ck.vaeConfig = VaeConfig{};
    ck.textConfig = TextEncoderConfig{};
    ck.sampleSize = 64;
    {
        c10::InferenceMode off(false);
        const auto o = at::TensorOptions().device(impl->networkOptions.device).dtype(impl->networkOptions.dtype);
        const auto vo = at::TensorOptions().device(impl->vaeOptions.device).dtype(impl->vaeOptions.dtype);
        impl->unetNet = UNetModel(ck.unetConfig, o);
        impl->vaeNet = AutoencoderKL(ck.vaeConfig, vo);
        impl->textNet = OpenClipText(ck.textConfig, o);
        randomize(*impl->unetNet, seed);
        randomize(*impl->vaeNet, seed + 1);
        randomize(*impl->textNet, seed + 2);
    }
    impl->summary.path = ck.path;
    impl->summary.variant = "txt2img-eps";
    impl->summary.components.resize(3);
    return Sd2Model(std::move(impl));
}

}  // namespace atelier::inference
