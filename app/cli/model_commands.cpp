// `atelier-cli inspect` and `encode-prompt`: the model core, headless.
#include "app/cli/commands.h"

#include "inference/bench.h"
#include "inference/runtime_info.h"
#include "inference/sd2_model.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace atelier::cli {
namespace {

struct ModelArgs {
    std::string model;
    std::string device = "cpu";
    std::string dtype = "fp32";
    std::string prediction;
    std::string config;
    int threads = 0;
};

void addModelOptions(CLI::App* cmd, ModelArgs& args, bool positional) {
    if (positional) {
        cmd->add_option("MODEL", args.model, "single-file .safetensors (its .yaml beside it) or diffusers folder")
            ->required();
    } else {
        cmd->add_option("--model", args.model, "single-file .safetensors or diffusers folder")->required();
    }
    cmd->add_option("--device", args.device, "cpu or cuda[:N]");
    cmd->add_option("--dtype", args.dtype, "fp32, fp16 or bf16");
    cmd->add_option("--prediction", args.prediction, "epsilon or v: overrides what the model's files say");
    cmd->add_option("--config", args.config, "the .yaml of a single-file model, if not beside it");
    cmd->add_option("--threads", args.threads, "CPU threads (default: every logical CPU)");
}

// Model and request errors are the user's to fix: exit status 2.
template <typename F>
void asBadInput(F&& f) {
    try {
        f();
    } catch (const inference::WeightsError& e) {
        throw BadInput(e.what());
    } catch (const inference::RequestError& e) {
        throw BadInput(e.what());
    }
}

inference::Sd2Model openModel(const ModelArgs& args) {
    inference::ModelOptions options;
    options.device = args.device;
    options.dtype = args.dtype;
    options.configPath = args.config;
    options.threads = args.threads;
    if (!args.prediction.empty()) options.prediction = args.prediction;
    return inference::Sd2Model::open(args.model, options);
}

std::string withThousands(int64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

void printSummary(const inference::ModelSummary& s) {
    std::cout << "model:       " << s.path << "\n"
              << "layout:      " << s.layout << "\n"
              << "variant:     " << s.variant << "\n"
              << "prediction:  " << s.prediction << " (" << s.predictionSource << ")\n"
              << "config:      " << s.configSource << "\n";
    for (const auto& c : s.components) {
        std::cout << c.name << ": " << withThousands(c.parameters) << " parameters, " << c.tensorsInFile
                  << " tensors (" << c.fileDtypes << ") in " << c.file;
        if (c.loadSeconds >= 0) std::cout << ", loaded in " << std::fixed << std::setprecision(3) << c.loadSeconds << " s";
        std::cout << "\n";
        for (const auto& [key, value] : c.details) std::cout << "    " << key << ": " << value << "\n";
    }
    for (const auto& a : s.assumptions) std::cout << "assumed: " << a << "\n";
    for (const auto& n : s.notes) std::cout << "note: " << n << "\n";
    std::cout << "opened in " << std::fixed << std::setprecision(3) << s.openSeconds << " s\n";
}

nlohmann::ordered_json summaryJson(const inference::ModelSummary& s) {
    nlohmann::ordered_json j;
    j["model"] = s.path;
    j["layout"] = s.layout;
    j["variant"] = s.variant;
    j["prediction"] = s.prediction;
    j["prediction_source"] = s.predictionSource;
    j["config"] = s.configSource;
    j["components"] = nlohmann::ordered_json::array();
    for (const auto& c : s.components) {
        nlohmann::ordered_json cj;
        cj["name"] = c.name;
        cj["file"] = c.file;
        cj["parameters"] = c.parameters;
        cj["tensors_in_file"] = c.tensorsInFile;
        cj["file_dtypes"] = c.fileDtypes;
        for (const auto& [key, value] : c.details) cj["details"][key] = value;
        if (c.loadSeconds >= 0) cj["load_seconds"] = c.loadSeconds;
        j["components"].push_back(cj);
    }
    j["assumptions"] = s.assumptions;
    j["notes"] = s.notes;
    j["open_seconds"] = s.openSeconds;
    return j;
}

}  // namespace

void printBench(const inference::BenchResult& r, bool json) {
    const inference::RuntimeInfo runtime = inference::queryRuntimeInfo();
    if (json) {
        nlohmann::ordered_json j;
        j["model"] = r.model;
        j["variant"] = r.variant;
        j["device"] = r.device;
        j["dtype"] = r.dtype;
        j["threads"] = r.threads;
        j["blas"] = inference::blasKindName(runtime.blasKind);
        j["torch"] = runtime.torchVersion;
        j["width"] = r.width;
        j["height"] = r.height;
        j["latent"] = {r.latentWidth, r.latentHeight};
        j["unet_parameters"] = r.unetParameters;
        j["open_seconds"] = r.openSeconds;
        j["load_seconds"] = r.loadSeconds;
        j["text_encode_seconds"] = r.textEncodeSeconds;
        j["guided_step_median_seconds"] = r.stepMedianSeconds;
        j["guided_step_min_seconds"] = r.stepMinSeconds;
        if (r.decodeSeconds >= 0) j["vae_decode_seconds"] = r.decodeSeconds;
        j["peak_rss_bytes"] = r.peakRssBytes;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << std::fixed << std::setprecision(3) << "model:        " << r.model << " (" << r.variant << ")\n"
              << "runtime:      libtorch " << runtime.torchVersion << ", " << inference::blasKindName(runtime.blasKind)
              << ", " << r.threads << " threads, " << r.device << " " << r.dtype << "\n"
              << "size:         " << r.width << "x" << r.height << " px, UNet latent " << r.latentWidth << "x"
              << r.latentHeight << ", " << withThousands(r.unetParameters) << " UNet parameters\n"
              << "open / load:  " << r.openSeconds << " s / " << r.loadSeconds << " s\n"
              << "text encode:  " << r.textEncodeSeconds << " s (negative + prompt)\n"
              << "guided step:  median " << r.stepMedianSeconds << " s, min " << r.stepMinSeconds << " s (UNet at batch 2)\n";
    if (r.decodeSeconds >= 0) std::cout << "VAE decode:   " << r.decodeSeconds << " s\n";
    std::cout << "peak RSS:     " << std::setprecision(1) << double(r.peakRssBytes) / (1 << 20) << " MiB\n";
}

void addModelCommands(CLI::App& app) {
    static ModelArgs inspectArgs;
    static bool inspectJson = false, inspectLoad = false;
    CLI::App* inspect = app.add_subcommand("inspect", "what a model is: variant, prediction type, components");
    addModelOptions(inspect, inspectArgs, /*positional=*/true);
    inspect->add_flag("--json", inspectJson, "print JSON");
    inspect->add_flag("--load", inspectLoad, "also load every network and report load times");
    inspect->callback([] {
        asBadInput([] {
            inference::Sd2Model model = openModel(inspectArgs);
            if (inspectLoad) model.loadAll();
            if (inspectJson) {
                std::cout << summaryJson(model.summary()).dump(2) << "\n";
            } else {
                printSummary(model.summary());
            }
        });
    });

    static ModelArgs benchArgs;
    static inference::BenchRequest benchRequest;
    static bool benchJson = false, benchFullSize = false;
    CLI::App* bench = app.add_subcommand("bench", "time a model: load, text encode, UNet guided step, VAE decode, peak memory");
    bench->add_option("--model", benchArgs.model, "single-file .safetensors or diffusers folder");
    bench->add_option("--threads", benchArgs.threads, "CPU threads (default: every logical CPU)");
    bench->add_flag("--full-size", benchFullSize, "the released 512-base architecture with random weights (no --model)");
    bench->add_option("--device", benchArgs.device, "cpu or cuda[:N]");
    bench->add_option("--dtype", benchArgs.dtype, "fp32, fp16 or bf16");
    bench->add_option("--width", benchRequest.width, "pixels (default: the model's native size)");
    bench->add_option("--height", benchRequest.height, "pixels");
    bench->add_option("--steps", benchRequest.steps, "timed guided steps after a warm-up (default 3)");
    bench->add_flag("--json", benchJson, "print JSON");
    bench->callback([] {
        asBadInput([] {
            if (benchFullSize == !benchArgs.model.empty()) throw BadInput("bench needs either --model or --full-size");
            inference::ModelOptions options;
            options.device = benchArgs.device;
            options.dtype = benchArgs.dtype;
            options.threads = benchArgs.threads;
            inference::Sd2Model model = benchFullSize ? inference::fullSizeRandomModel(options) : openModel(benchArgs);
            printBench(inference::benchmark(model, benchRequest), benchJson);
        });
    });

    static ModelArgs encodeArgs;
    static std::string prompt, out;
    CLI::App* encode = app.add_subcommand("encode-prompt", "the UNet's conditioning for a prompt, as .safetensors");
    addModelOptions(encode, encodeArgs, /*positional=*/false);
    encode->add_option("--prompt", prompt, "the prompt (UTF-8)")->required();
    encode->add_option("--out", out, "output .safetensors (tensor 'context', float32 [1, 77, width])")->required();
    encode->callback([] {
        asBadInput([] {
            inference::Sd2Model model = openModel(encodeArgs);
            const inference::FloatTensor context = model.encodePrompt(prompt);
            inference::writeFloatTensors(out, {{"context", &context}});
        });
    });
}

}  // namespace atelier::cli
