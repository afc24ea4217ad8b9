#include "inference/sd2_model.h"

#include "inference/models/layers.h"
#include "inference/sd2_model_impl.h"
#include "inference/weights/safetensors_writer.h"

#include <ATen/Functions.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>

#include <chrono>
#include <set>
#include <thread>

namespace atelier::inference {
namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string fileDtypes(const ComponentSource& s) {
    std::set<std::string> names;
    for (const auto& [name, recipe] : s.recipes)
        for (const auto& source : recipe.sources)
            if (const TensorInfo* info = s.file->find(s.prefix + source)) names.insert(dtypeName(info->dtype));
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string joined(const std::vector<int64_t>& values) {
    std::string out;
    for (auto v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
    return "[" + out + "]";
}

std::string flags(const std::vector<bool>& values) {
    std::string out;
    for (bool v : values) out += (out.empty() ? "" : ",") + std::string(v ? "T" : "F");
    return "[" + out + "]";
}

ComponentSummary summarize(const ComponentSource& s, const torch::nn::Module& metaNet) {
    ComponentSummary c;
    c.name = componentName(s.component);
    c.file = s.file->path();
    c.parameters = parameterCount(metaNet);
    for (const auto& [name, recipe] : s.recipes) c.tensorsInFile += int64_t(recipe.sources.size());
    c.fileDtypes = fileDtypes(s);
    return c;
}

ModelSummary buildSummary(const ModelCheckpoint& m) {
    c10::InferenceMode guard;
    const auto meta = at::TensorOptions().device(at::kMeta);
    ModelSummary s;
    s.path = m.path;
    s.layout = layoutName(m.layout);
    s.variant = variantName(m.variant, m.prediction);
    s.prediction = predictionName(m.prediction);
    s.predictionSource = m.predictionSource;
    s.configSource = m.configSource;
    s.assumptions = m.assumptions;
    s.notes = m.notes;

    const UNetConfig& u = m.unetConfig;
    ComponentSummary unet = summarize(m.unet, *UNetModel(u, meta));
    unet.details = {{"in channels", std::to_string(u.inChannels)},
                    {"model channels", std::to_string(u.modelChannels)},
                    {"channel mult", joined(u.channelMult)},
                    {"res blocks per level", std::to_string(u.numResBlocks)},
                    {"attention at level", flags(u.attentionAtLevel)},
                    {"heads", u.numHeadChannels > 0 ? std::to_string(u.numHeadChannels) + " channels each"
                                                    : std::to_string(u.numHeads) + " per block"},
                    {"context dim", std::to_string(u.contextDim)}};
    if (u.numClasses > 0) unet.details.push_back({"noise-level classes", std::to_string(u.numClasses)});
    bool anyDisabled = false;
    for (bool d : u.disableSelfAttention) anyDisabled = anyDisabled || d;
    if (anyDisabled) unet.details.push_back({"self-attention replaced by cross-attention", flags(u.disableSelfAttention)});
    const VaeConfig& v = m.vaeConfig;
    ComponentSummary vae = summarize(m.vae, *AutoencoderKL(v, meta));
    vae.details = {{"spatial factor", std::to_string(v.spatialFactor())},
                   {"channels", std::to_string(v.ch) + " x " + joined(v.chMult)},
                   {"latent channels", std::to_string(v.embedDim)},
                   {"scale factor", std::to_string(v.scalingFactor)}};
    const TextEncoderConfig& t = m.textConfig;
    ComponentSummary text = summarize(m.text, *OpenClipText(t, meta));
    text.details = {{"width", std::to_string(t.width)},
                    {"heads", std::to_string(t.heads)},
                    {"layers run", std::to_string(t.layersUsed) + " (penultimate, then ln_final)"},
                    {"vocabulary", std::to_string(t.vocabSize)}};
    s.components = {unet, vae, text};
    return s;
}

c10::ScalarType parseDtype(const std::string& dtype) {
    if (dtype == "fp32" || dtype == "float32") return at::kFloat;
    if (dtype == "fp16" || dtype == "float16") return at::kHalf;
    if (dtype == "bf16" || dtype == "bfloat16") return at::kBFloat16;
    throw RequestError("unknown dtype '" + dtype + "' (fp32, fp16 or bf16)");
}

}  // namespace

void applyThreads(int threads) {
    if (threads < 0) throw RequestError("threads must be >= 0");
    const int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
    if (at::get_num_threads() != n) at::set_num_threads(n);
}

NetworkOptions parseNetworkOptions(const std::string& device, const std::string& dtype) {
    NetworkOptions o;
    o.dtype = parseDtype(dtype);
    if (device == "cpu") {
        o.device = c10::kCPU;
    } else if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available()) throw RequestError("device '" + device + "': no CUDA device is available");
        try {
            o.device = c10::Device(device);
        } catch (const c10::Error&) {
            throw RequestError("unknown device '" + device + "'");
        }
    } else {
        throw RequestError("unknown device '" + device + "' (cpu or cuda[:N])");
    }
    if (o.device.is_cpu() && o.dtype == at::kHalf)
        throw RequestError("fp16 is for CUDA; on the CPU use fp32 (or bf16)");
    return o;
}

FloatTensor toFloatTensor(const at::Tensor& tensor) {
    const at::Tensor t = tensor.detach().to(at::kCPU, at::kFloat).contiguous();
    FloatTensor out;
    out.shape = t.sizes().vec();
    out.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    return out;
}

UNetModel& Sd2Model::Impl::unet() {
    if (!unetNet) {
        const auto start = Clock::now();
        unetNet = loadUNet(checkpoint, networkOptions);
        summary.components[0].loadSeconds = secondsSince(start);
    }
    return unetNet;
}

AutoencoderKL& Sd2Model::Impl::vae() {
    if (!vaeNet) {
        const auto start = Clock::now();
        vaeNet = loadVae(checkpoint, vaeOptions);
        summary.components[1].loadSeconds = secondsSince(start);
    }
    return vaeNet;
}

OpenClipText& Sd2Model::Impl::text() {
    if (!textNet) {
        const auto start = Clock::now();
        textNet = loadTextEncoder(checkpoint, networkOptions);
        summary.components[2].loadSeconds = secondsSince(start);
    }
    return textNet;
}

const ClipTokenizer& Sd2Model::Impl::tokenizer() {
    if (!tokenizerInstance) tokenizerInstance = ClipTokenizer::load();
    return *tokenizerInstance;
}

at::Tensor Sd2Model::Impl::encode(const std::vector<std::string>& prompts) {
    std::vector<int64_t> ids;
    for (const auto& prompt : prompts) {
        const auto row = tokenizer().encode77(prompt);
        ids.insert(ids.end(), row.begin(), row.end());
    }
    c10::InferenceMode guard;
    const at::Tensor idTensor =
        at::tensor(ids, at::kLong).reshape({int64_t(prompts.size()), int64_t(ClipTokenizer::kContextLength)});
    return text()->forward(idTensor.to(networkOptions.device));
}

Sd2Model::Sd2Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Sd2Model::Sd2Model(Sd2Model&&) noexcept = default;
Sd2Model& Sd2Model::operator=(Sd2Model&&) noexcept = default;
Sd2Model::~Sd2Model() = default;

Sd2Model Sd2Model::open(const std::string& path, const ModelOptions& options) {
    const auto start = Clock::now();
    applyThreads(options.threads);
    auto impl = std::make_unique<Impl>();
    impl->networkOptions = parseNetworkOptions(options.device, options.dtype);
    impl->vaeOptions = parseNetworkOptions(options.device, options.vaeDtype);
    CheckpointOptions checkpointOptions;
    checkpointOptions.configPath = options.configPath;
    if (options.prediction) {
        if (*options.prediction == "epsilon" || *options.prediction == "eps") {
            checkpointOptions.prediction = Prediction::Epsilon;
        } else if (*options.prediction == "v" || *options.prediction == "v_prediction") {
            checkpointOptions.prediction = Prediction::V;
        } else {
            throw RequestError("unknown prediction type '" + *options.prediction + "' (epsilon or v)");
        }
    }
    impl->checkpoint = openCheckpoint(path, checkpointOptions);
    impl->summary = buildSummary(impl->checkpoint);
    impl->summary.openSeconds = secondsSince(start);
    return Sd2Model(std::move(impl));
}

const ModelSummary& Sd2Model::summary() const { return impl_->summary; }

void Sd2Model::loadAll() {
    impl_->unet();
    impl_->vae();
    impl_->text();
}

FloatTensor Sd2Model::encodePrompt(const std::string& prompt) {
    return toFloatTensor(impl_->encode({prompt}));
}

void writeFloatTensors(const std::string& path,
                       const std::vector<std::pair<std::string, const FloatTensor*>>& tensors) {
    std::vector<TensorToWrite> entries;
    for (const auto& [name, tensor] : tensors)
        entries.push_back({name, DType::F32, tensor->shape, tensor->values.data(),
                           uint64_t(tensor->values.size() * sizeof(float))});
    writeSafetensors(path, entries);
}

}  // namespace atelier::inference
