#include "inference/depth_estimator.h"

#include "inference/models/dpt/dpt_model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Functions.h>
#include <ATen/core/Generator.h>
#include <c10/core/InferenceMode.h>

#include <mutex>
#include <stdexcept>

namespace atelier::inference {

struct DepthEstimator::Impl {
    LoadedDpt dpt;
};

DepthEstimator::DepthEstimator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DepthEstimator::DepthEstimator(DepthEstimator&&) noexcept = default;
DepthEstimator& DepthEstimator::operator=(DepthEstimator&&) noexcept = default;
DepthEstimator::~DepthEstimator() = default;

DepthEstimator DepthEstimator::load(const std::string& path) {
    c10::InferenceMode normalTensors(false);  // callers may be in inference mode; parameters must not be
    auto impl = std::make_unique<Impl>();
    impl->dpt = loadDpt(path);
    return DepthEstimator(std::move(impl));
}

DepthEstimator DepthEstimator::withRandomWeights(const std::string& configJson, uint64_t seed) {
    c10::InferenceMode normalTensors(false);
    auto impl = std::make_unique<Impl>();
    const DptConfig config =
        configJson.empty() ? DptConfig::dptHybridMidas() : DptConfig::fromJsonFile(configJson);
    {
        // The modules initialise from torch's global generator.
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_current_seed(seed);
    }
    impl->dpt.model = std::make_shared<DptForDepthEstimation>(config);
    impl->dpt.model->eval();
    impl->dpt.processor = DptProcessorConfig::defaultsFor(config);
    impl->dpt.files.config = configJson;
    return DepthEstimator(std::move(impl));
}

FloatImage DepthEstimator::estimate(const Rgb8Image& image) const {
    if (image.width <= 0 || image.height <= 0) throw std::invalid_argument("the image is empty");
    const at::Tensor pixels =
        dptPixelValues(image.rgb, image.width, image.height, impl_->dpt.processor);
    const at::Tensor depth = impl_->dpt.model->forward(pixels).contiguous();
    FloatImage out;
    out.height = int(depth.size(1));
    out.width = int(depth.size(2));
    const float* data = depth.data_ptr<float>();
    out.values.assign(data, data + depth.numel());
    return out;
}

int DepthEstimator::workingWidth() const { return int(impl_->dpt.model->config().imageSize); }
int DepthEstimator::workingHeight() const { return int(impl_->dpt.model->config().imageSize); }
int64_t DepthEstimator::parameterCount() const { return impl_->dpt.model->parameterCount(); }
const std::string& DepthEstimator::weightsPath() const { return impl_->dpt.files.weights; }

}  // namespace atelier::inference
