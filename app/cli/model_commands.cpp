// `atelier-cli inspect` and `encode-prompt`: the model core, headless.
#include "app/cli/commands.h"

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
