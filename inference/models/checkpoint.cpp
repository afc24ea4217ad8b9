#include "inference/models/checkpoint.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace atelier::inference {
namespace fs = std::filesystem;
namespace {

constexpr const char* kUNetPrefix = "model.diffusion_model.";
constexpr const char* kVaePrefix = "first_stage_model.";
constexpr const char* kTextPrefix = "cond_stage_model.model.";

// open_clip text architectures SD2 yamls name (`cond_stage_config.params.arch`): heads per arch.
// ViT-H-14 is the released SD2 text tower; SD2-tiny-text is the reference data's tiny test tower
// (shared/reference/README.md: width 8, 2 heads, 3 layers).
struct KnownTextArch {
    const char* name;
    int64_t heads;
};
constexpr KnownTextArch kTextArchs[] = {{"ViT-H-14", 16}, {"ViT-bigG-14", 20}, {"SD2-tiny-text", 2}};

std::string readText(const fs::path& path, uintmax_t maxBytes = 16u << 20) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw WeightsError(path.string() + ": cannot read: " + ec.message());
    if (size > maxBytes) throw WeightsError(path.string() + ": config file is implausibly large");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    if (!in && !in.eof()) throw WeightsError(path.string() + ": cannot read");
    return out.str();
}

nlohmann::json readJson(const fs::path& path) {
    try {
        return nlohmann::json::parse(readText(path));
    } catch (const nlohmann::json::exception& e) {
        throw WeightsError(path.string() + ": not valid JSON: " + e.what());
    }
}

template <typename T>
std::optional<T> jsonField(const nlohmann::json& j, const char* key, const fs::path& file) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::nullopt;
    try {
        return j[key].get<T>();
    } catch (const nlohmann::json::exception&) {
        throw WeightsError(file.string() + ": '" + key + "' has the wrong type");
    }
}

// A file inside `folder`, resolved through symlinks, that must stay inside it (reliability #9).
fs::path insideFolder(const fs::path& folder, const fs::path& relative) {
    const fs::path root = fs::weakly_canonical(folder);
    const fs::path resolved = fs::weakly_canonical(folder / relative);
    const auto rel = resolved.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..")
        throw WeightsError((folder / relative).string() + ": resolves outside the model folder (" +
                           resolved.string() + "); refused");
    return resolved;
}

std::shared_ptr<const SafetensorsFile> openWeights(const fs::path& path) {
    return std::make_shared<const SafetensorsFile>(SafetensorsFile::open(path.string()));
}

ShapeMap shapesWithPrefix(const SafetensorsFile& file, const std::string& prefix) {
    ShapeMap shapes;
    for (const auto& t : file.tensors())
        if (t.name.rfind(prefix, 0) == 0) shapes[t.name.substr(prefix.size())] = t.shape;
    return shapes;
}

ModelVariant variantFromUNet(const UNetConfig& unet, const std::string& what) {
    if (unet.numClasses > 0 && unet.inChannels == 7) return ModelVariant::Upscaler;
    switch (unet.inChannels) {
        case 4: return ModelVariant::TextToImage;
        case 9: return ModelVariant::Inpainting;
        case 5: return ModelVariant::Depth;
        default: break;
    }
    throw WeightsError(what + ": a UNet with " + std::to_string(unet.inChannels) +
                       " input channels is none of the SD2 models (4 base/v, 9 inpainting, 5 depth, "
                       "7 x4 upscaler)");
}

// --- single file --------------------------------------------------------------------------------

fs::path yamlBeside(const fs::path& file) {
    for (const fs::path& candidate : {fs::path(file).replace_extension(".yaml"),
                                     fs::path(file).replace_extension(".yml")}) {
        if (fs::is_regular_file(candidate)) return candidate;
    }
    return {};
}

void openSingleFile(ModelCheckpoint& m, const fs::path& path, const CheckpointOptions& options) {
    auto file = openWeights(path);
    const std::string what = path.string();
    const ShapeMap unetShapes = shapesWithPrefix(*file, kUNetPrefix);
    const ShapeMap vaeShapes = shapesWithPrefix(*file, kVaePrefix);
    const ShapeMap textShapes = shapesWithPrefix(*file, kTextPrefix);
    if (unetShapes.empty()) {
        if (file->find("model.diffusion_model.input_blocks.0.0.weight") == nullptr &&
            file->find("conv_in.weight") != nullptr)
            throw WeightsError(what + ": this is a diffusers component file, not a whole model; "
                                      "open the diffusers folder (with model_index.json) instead");
        throw WeightsError(what + ": no 'model.diffusion_model.*' tensors: not an SD2 checkpoint");
    }
    if (textShapes.empty()) {
        if (!shapesWithPrefix(*file, "cond_stage_model.transformer.").empty())
            throw WeightsError(what + ": this is a Stable Diffusion 1.x checkpoint (its text encoder is "
                                      "OpenAI CLIP ViT-L, 'cond_stage_model.transformer.*'); Atelier runs "
                                      "SD2 models, whose text encoder is OpenCLIP ViT-H");
        throw WeightsError(what + ": no 'cond_stage_model.model.*' tensors (the OpenCLIP text encoder)");
    }
    if (vaeShapes.empty()) throw WeightsError(what + ": no 'first_stage_model.*' tensors (the VAE)");

    m.unet = {Component::UNet, file, kUNetPrefix, identityRecipes(unetShapes), {}};
    m.vae = {Component::Vae, file, kVaePrefix, identityRecipes(vaeShapes), {}};
    m.text = {Component::TextEncoder, file, kTextPrefix, identityRecipes(textShapes), {}};
    m.unetConfig = detectUNetConfig(unetShapes, what + " (unet)");
    m.vaeConfig = detectVaeConfig(vaeShapes, what + " (vae)");
    m.textConfig = detectTextEncoderConfig(textShapes, /*lastLayerInFile=*/true, what + " (text encoder)");
    m.variant = variantFromUNet(m.unetConfig, what);

    std::size_t other = 0;
    bool depthModel = false;
    for (const auto& t : file->tensors()) {
        const std::string& n = t.name;
        if (n.rfind(kUNetPrefix, 0) == 0 || n.rfind(kVaePrefix, 0) == 0 || n.rfind(kTextPrefix, 0) == 0) continue;
        if (n.rfind("depth_model.", 0) == 0) depthModel = true;
        ++other;
    }
    if (depthModel)
        m.notes.push_back("the file's 'depth_model.*' (MiDaS in timm naming) is not used: depth comes from a "
                          "DPT estimator in transformers' layout or a supplied depth map");
    if (other > 0)
        m.notes.push_back(std::to_string(other) + " other tensors (schedule buffers, EMA, low_scale_model) "
                          "are not needed for inference and not read");

    const fs::path yaml = options.configPath.empty() ? yamlBeside(path) : fs::path(options.configPath);
    YAML::Node root;
    if (!yaml.empty()) {
        try {
            root = YAML::LoadFile(yaml.string());
        } catch (const YAML::Exception& e) {
            throw WeightsError(yaml.string() + ": not valid YAML: " + e.what());
        }
        m.configSource = yaml.string();
    } else {
        m.configSource = "none (no .yaml beside the file)";
    }
    const auto params = [&](std::initializer_list<const char*> keys) {
        std::vector<const char*> full{"model", "params"};
        full.insert(full.end(), keys.begin(), keys.end());
        YAML::Node node = YAML::Clone(root);
        for (const char* k : full) {
            if (!node.IsMap()) return YAML::Node();
            node = node[k];
            if (!node.IsDefined()) return YAML::Node();
        }
        return node;
    };
    auto number = [&](std::initializer_list<const char*> keys) -> std::optional<double> {
        YAML::Node node = params(keys);
        if (!node.IsDefined() || node.IsNull()) return std::nullopt;
        try {
            return node.as<double>();
        } catch (const YAML::Exception&) {
            throw WeightsError(yaml.string() + ": a number was expected under model.params." + *keys.begin());
        }
    };
    auto text = [&](std::initializer_list<const char*> keys) -> std::optional<std::string> {
        YAML::Node node = params(keys);
        if (!node.IsDefined() || node.IsNull() || !node.IsScalar()) return std::nullopt;
        return node.as<std::string>();
    };

    // Prediction type: the yaml's `parameterization` (LDM's default is eps when it is absent).
    if (!yaml.empty()) {
        const auto parameterization = text({"parameterization"});
        if (parameterization && *parameterization == "v") {
            m.prediction = Prediction::V;
        } else if (!parameterization || *parameterization == "eps") {
            m.prediction = Prediction::Epsilon;
        } else {
            throw WeightsError(yaml.string() + ": unsupported parameterization '" + *parameterization + "'");
        }
        m.predictionSource = yaml.filename().string() + (parameterization ? " (parameterization: " +
                                                          *parameterization + ")" : " (no parameterization: LDM default eps)");
    } else if (m.variant == ModelVariant::Upscaler) {
        m.prediction = Prediction::V;
        m.predictionSource = "assumed: the released x4 upscaler predicts v";
        m.assumptions.push_back("prediction type v assumed (x4-upscaler-ema); put x4-upscaling.yaml beside "
                                "the file or choose it explicitly");
    } else if (m.variant == ModelVariant::TextToImage) {
        m.prediction = Prediction::Epsilon;
        m.predictionSource = "assumed: epsilon (512-base); a 768-v model needs its v2-inference-v.yaml or --prediction v";
        m.assumptions.push_back("prediction type epsilon assumed: the same architecture is released as 512-base "
                                "(epsilon) and 768-v (v); put the model's yaml beside it or choose explicitly");
    } else {
        m.prediction = Prediction::Epsilon;
        m.predictionSource = std::string("assumed: the released ") +
                             (m.variant == ModelVariant::Depth ? "512-depth-ema" : "512-inpainting-ema") +
                             " predicts epsilon";
        m.assumptions.push_back("prediction type epsilon assumed (" +
                                std::string(m.variant == ModelVariant::Depth ? "512-depth-ema" : "512-inpainting-ema") +
                                "); put its yaml beside the file or choose explicitly");
    }

    // Heads are not visible in shapes.
    const auto headChannels = number({"unet_config", "params", "num_head_channels"});
    const auto heads = number({"unet_config", "params", "num_heads"});
    if (headChannels && *headChannels > 0) {
        m.unetConfig.numHeadChannels = int64_t(*headChannels);
        m.unetConfig.numHeads = -1;
    } else if (heads && *heads > 0) {
        m.unetConfig.numHeadChannels = -1;
        m.unetConfig.numHeads = int64_t(*heads);
    } else if (m.variant == ModelVariant::Upscaler) {
        m.unetConfig.numHeadChannels = -1;
        m.unetConfig.numHeads = 8;
        m.assumptions.push_back("UNet attention: 8 heads assumed (x4-upscaling.yaml num_heads)");
    } else {
        m.unetConfig.numHeadChannels = 64;
        m.assumptions.push_back("UNet attention: 64 channels per head assumed (SD2 num_head_channels)");
    }

    if (const auto scale = number({"scale_factor"})) {
        m.vaeConfig.scalingFactor = *scale;
    } else {
        m.vaeConfig.scalingFactor = m.variant == ModelVariant::Upscaler ? 0.08333 : 0.18215;
        m.assumptions.push_back("VAE scale factor " + std::to_string(m.vaeConfig.scalingFactor) +
                                " assumed (the released models')");
    }

    const auto arch = text({"cond_stage_config", "params", "arch"});
    bool archKnown = false;
    if (arch) {
        for (const auto& known : kTextArchs) {
            if (*arch == known.name) {
                m.textConfig.heads = known.heads;
                archKnown = true;
            }
        }
    }
    if (!archKnown)
        m.assumptions.push_back("text encoder: " + std::to_string(m.textConfig.heads) +
                                " heads assumed (open_clip head width 64" + (arch ? ", unknown arch '" + *arch + "'" : "") + ")");
    if (const auto layer = text({"cond_stage_config", "params", "layer"}); layer && *layer != "penultimate") {
        if (*layer == "last") {
            m.textConfig.layersUsed += 1;
        } else {
            throw WeightsError(yaml.string() + ": text encoder layer '" + *layer + "' is not supported");
        }
    }

    if (const auto v = number({"unet_config", "params", "image_size"})) {
        m.sampleSize = int64_t(*v);
    } else if (m.prediction == Prediction::V && m.variant == ModelVariant::TextToImage) {
        m.sampleSize = 96;  // 768-v
    }
    if (const auto v = number({"linear_start"})) m.schedule.betaStart = *v;
    if (const auto v = number({"linear_end"})) m.schedule.betaEnd = *v;
    if (const auto v = number({"timesteps"})) m.schedule.numTrainTimesteps = int64_t(*v);
    if (m.variant == ModelVariant::Upscaler) {
        if (!number({"linear_start"})) {
            m.schedule.betaStart = 0.0001;
            m.schedule.betaEnd = 0.02;
        }
        if (const auto v = number({"low_scale_config", "params", "max_noise_level"})) m.schedule.maxNoiseLevel = int64_t(*v);
        if (const auto v = number({"low_scale_config", "params", "noise_schedule_config", "linear_start"}))
            m.schedule.lowResBetaStart = *v;
        if (const auto v = number({"low_scale_config", "params", "noise_schedule_config", "linear_end"}))
            m.schedule.lowResBetaEnd = *v;
    }
}

// --- diffusers folder ---------------------------------------------------------------------------

fs::path componentWeights(const fs::path& folder, const std::string& component) {
    const fs::path dir = insideFolder(folder, component);
    if (!fs::is_directory(dir)) throw WeightsError((folder / component).string() + ": missing component folder");
    for (const char* name : {"diffusion_pytorch_model.safetensors", "model.safetensors",
                             "diffusion_pytorch_model.fp16.safetensors", "model.fp16.safetensors"}) {
        if (fs::exists(dir / name)) return insideFolder(folder, fs::path(component) / name);
    }
    for (const char* pickled : {"diffusion_pytorch_model.bin", "pytorch_model.bin"}) {
        if (fs::exists(dir / pickled))
            throw WeightsError((dir / pickled).string() + ": pickled weights are not loaded (unpickling can run "
                               "code); convert the folder to .safetensors");
    }
    if (fs::exists(dir / "diffusion_pytorch_model.safetensors.index.json") || fs::exists(dir / "model.safetensors.index.json"))
        throw WeightsError(dir.string() + ": sharded weights are not supported; merge them into one .safetensors");
    throw WeightsError(dir.string() + ": no .safetensors weights found");
}

ComponentSource diffusersComponent(const fs::path& folder, const std::string& name, Component component) {
    auto file = openWeights(componentWeights(folder, name));
    ShapeMap shapes;
    for (const auto& t : file->tensors()) shapes[t.name] = t.shape;
    return {component, file, "", diffusersToLdm(component, shapes), {}};
}

void openDiffusers(ModelCheckpoint& m, const fs::path& folder, const CheckpointOptions&) {
    const fs::path index = insideFolder(folder, "model_index.json");
    const nlohmann::json modelIndex = readJson(index);
    if (!modelIndex.is_object()) throw WeightsError(index.string() + ": not a JSON object");
    m.configSource = "diffusers configs in " + folder.string();
    m.unet = diffusersComponent(folder, "unet", Component::UNet);
    m.vae = diffusersComponent(folder, "vae", Component::Vae);
    m.text = diffusersComponent(folder, "text_encoder", Component::TextEncoder);
    const std::string what = folder.string();
    m.unetConfig = detectUNetConfig(shapesOf(m.unet.recipes), what + "/unet");
    m.vaeConfig = detectVaeConfig(shapesOf(m.vae.recipes), what + "/vae");
    m.textConfig = detectTextEncoderConfig(shapesOf(m.text.recipes), /*lastLayerInFile=*/false, what + "/text_encoder");
    m.variant = variantFromUNet(m.unetConfig, what);

    // diffusers' `attention_head_dim` holds the number of heads for SD2 (an int or one per block).
    const fs::path unetConfigPath = insideFolder(folder, "unet/config.json");
    const nlohmann::json unetJson = readJson(unetConfigPath);
    nlohmann::json heads = unetJson.contains("num_attention_heads") && !unetJson["num_attention_heads"].is_null()
                               ? unetJson["num_attention_heads"]
                               : unetJson.value("attention_head_dim", nlohmann::json());
    if (heads.is_number_integer() && heads.get<int64_t>() > 0) {
        m.unetConfig.numHeads = heads.get<int64_t>();
        m.unetConfig.numHeadChannels = -1;
    } else if (heads.is_array() && !heads.empty()) {
        std::vector<int64_t> perBlock;
        for (const auto& h : heads) {
            if (!h.is_number_integer() || h.get<int64_t>() <= 0)
                throw WeightsError(unetConfigPath.string() + ": 'attention_head_dim' must hold positive integers");
            perBlock.push_back(h.get<int64_t>());
        }
        if (perBlock.size() != m.unetConfig.levels())
            throw WeightsError(unetConfigPath.string() + ": 'attention_head_dim' has " + std::to_string(perBlock.size()) +
                               " entries for " + std::to_string(m.unetConfig.levels()) + " levels");
        bool sameHeads = true, sameWidth = true;
        const int64_t width0 = m.unetConfig.modelChannels * m.unetConfig.channelMult[0] / perBlock[0];
        for (std::size_t l = 0; l < perBlock.size(); ++l) {
            sameHeads = sameHeads && perBlock[l] == perBlock[0];
            sameWidth = sameWidth && m.unetConfig.modelChannels * m.unetConfig.channelMult[l] / perBlock[l] == width0;
        }
        if (sameWidth) {
            m.unetConfig.numHeadChannels = width0;
            m.unetConfig.numHeads = -1;
        } else if (sameHeads) {
            m.unetConfig.numHeads = perBlock[0];
            m.unetConfig.numHeadChannels = -1;
        } else {
            throw WeightsError(unetConfigPath.string() + ": per-block head counts fit neither a fixed head width nor a fixed count");
        }
    } else {
        throw WeightsError(unetConfigPath.string() + ": no 'attention_head_dim' (heads)");
    }

    if (const auto size = jsonField<int64_t>(unetJson, "sample_size", unetConfigPath)) m.sampleSize = *size;

    const fs::path vaeConfigPath = insideFolder(folder, "vae/config.json");
    if (const auto scale = jsonField<double>(readJson(vaeConfigPath), "scaling_factor", vaeConfigPath)) {
        m.vaeConfig.scalingFactor = *scale;
    } else {
        m.vaeConfig.scalingFactor = 0.18215;
        m.assumptions.push_back("VAE scaling factor 0.18215 assumed (vae/config.json has none)");
    }
    const fs::path textConfigPath = insideFolder(folder, "text_encoder/config.json");
    const nlohmann::json textJson = readJson(textConfigPath);
    if (const auto h = jsonField<int64_t>(textJson, "num_attention_heads", textConfigPath)) {
        m.textConfig.heads = *h;
    } else {
        m.assumptions.push_back("text encoder heads assumed from width (text_encoder/config.json has none)");
    }
    if (const auto act = jsonField<std::string>(textJson, "hidden_act", textConfigPath); act && *act != "gelu")
        throw WeightsError(textConfigPath.string() + ": hidden_act '" + *act + "' is not SD2's OpenCLIP (gelu)");

    const fs::path schedulerPath = insideFolder(folder, "scheduler/scheduler_config.json");
    m.schedule.schedulerConfigJson = readText(schedulerPath);
    const nlohmann::json scheduler = readJson(schedulerPath);
    if (const auto v = jsonField<double>(scheduler, "beta_start", schedulerPath)) m.schedule.betaStart = *v;
    if (const auto v = jsonField<double>(scheduler, "beta_end", schedulerPath)) m.schedule.betaEnd = *v;
    if (const auto v = jsonField<int64_t>(scheduler, "num_train_timesteps", schedulerPath)) m.schedule.numTrainTimesteps = *v;
    if (const auto name = jsonField<std::string>(scheduler, "_class_name", schedulerPath)) m.schedulerClass = *name;
    const auto prediction = jsonField<std::string>(scheduler, "prediction_type", schedulerPath);
    if (!prediction) {
        m.prediction = Prediction::Epsilon;
        m.predictionSource = "scheduler/scheduler_config.json has no prediction_type: diffusers' default epsilon";
        m.assumptions.push_back("prediction type epsilon (diffusers' default; the scheduler config names none)");
    } else if (*prediction == "epsilon" || *prediction == "v_prediction") {
        m.prediction = *prediction == "epsilon" ? Prediction::Epsilon : Prediction::V;
        m.predictionSource = "scheduler/scheduler_config.json (prediction_type: " + *prediction + ")";
    } else {
        throw WeightsError(schedulerPath.string() + ": unsupported prediction_type '" + *prediction + "'");
    }
    if (m.variant == ModelVariant::Upscaler) {
        if (const auto v = jsonField<int64_t>(modelIndex, "max_noise_level", index)) m.schedule.maxNoiseLevel = *v;
        const fs::path lowRes = folder / "low_res_scheduler" / "scheduler_config.json";
        if (fs::exists(lowRes)) {
            const fs::path inside = insideFolder(folder, "low_res_scheduler/scheduler_config.json");
            const nlohmann::json j = readJson(inside);
            if (const auto v = jsonField<double>(j, "beta_start", inside)) m.schedule.lowResBetaStart = *v;
            if (const auto v = jsonField<double>(j, "beta_end", inside)) m.schedule.lowResBetaEnd = *v;
        } else {
            m.assumptions.push_back("low-resolution noise schedule 1e-4..0.02 assumed (no low_res_scheduler/)");
        }
    }
    if (fs::exists(folder / "depth_estimator"))
        m.notes.push_back("depth_estimator/ (DPT) is loaded separately, when depth is estimated");
}

}  // namespace

const char* layoutName(CheckpointLayout layout) {
    return layout == CheckpointLayout::SingleFile ? "single file (original layout)" : "diffusers folder";
}

const char* predictionName(Prediction prediction) {
    return prediction == Prediction::Epsilon ? "epsilon" : "v";
}

std::string variantName(ModelVariant variant, Prediction prediction) {
    switch (variant) {
        case ModelVariant::TextToImage: return prediction == Prediction::V ? "txt2img-v" : "txt2img-eps";
        case ModelVariant::Inpainting: return "inpainting";
        case ModelVariant::Depth: return "depth";
        case ModelVariant::Upscaler: return "x4-upscaler";
    }
    return "?";
}

ModelCheckpoint openCheckpoint(const std::string& pathText, const CheckpointOptions& options) {
    const fs::path path(pathText);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw WeightsError(pathText + ": no such file or folder");
    ModelCheckpoint m;
    m.path = pathText;
    if (fs::is_directory(status)) {
        if (!fs::exists(path / "model_index.json"))
            throw WeightsError(pathText + ": a folder without model_index.json is not a diffusers model");
        m.layout = CheckpointLayout::Diffusers;
        openDiffusers(m, path, options);
    } else {
        const std::string ext = path.extension().string();
        if (ext == ".ckpt" || ext == ".pt" || ext == ".pth" || ext == ".bin")
            throw WeightsError(pathText + ": pickled checkpoints are not loaded (unpickling can run code); "
                                          "use the .safetensors release of the model");
        m.layout = CheckpointLayout::SingleFile;
        openSingleFile(m, path, options);
    }
    if (options.prediction) {
        m.prediction = *options.prediction;
        m.predictionSource = std::string("chosen explicitly (") + predictionName(*options.prediction) + ")";
        m.assumptions.erase(std::remove_if(m.assumptions.begin(), m.assumptions.end(),
                                           [](const std::string& a) { return a.rfind("prediction type", 0) == 0; }),
                            m.assumptions.end());
    }
    validateCheckpointLayout(m);
    return m;
}

}  // namespace atelier::inference
