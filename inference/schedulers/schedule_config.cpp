#include "inference/schedulers/schedule_config.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <vector>

namespace atelier::inference {

ScheduleConfig sd2ScheduleConfig() { return ScheduleConfig{}; }

namespace {

// diffusers' betas_for_alpha_bar (cosine): computed in double in Python, stored as float32.
std::vector<float> squaredCosCapV2Betas(int count) {
    const double pi = std::acos(-1.0);
    auto alphaBar = [pi](double t) {
        const double c = std::cos((t + 0.008) / 1.008 * pi / 2);
        return c * c;
    };
    std::vector<float> betas;
    for (int i = 0; i < count; ++i) {
        const double t1 = double(i) / count;
        const double t2 = double(i + 1) / count;
        betas.push_back(float(std::min(1 - alphaBar(t2) / alphaBar(t1), 0.999)));
    }
    return betas;
}

}  // namespace

at::Tensor alphasCumprod(const ScheduleConfig& config) {
    const int64_t count = config.numTrainTimesteps;
    at::Tensor betas;
    switch (config.betaSchedule) {
        case BetaSchedule::Linear:
            betas = at::linspace(config.betaStart, config.betaEnd, count, at::kFloat);
            break;
        case BetaSchedule::ScaledLinear:
            // Python's `beta_start**0.5` is pow(), not sqrt(); the float32 linspace then squares.
            betas = at::pow(at::linspace(std::pow(config.betaStart, 0.5),
                                         std::pow(config.betaEnd, 0.5), count, at::kFloat),
                            2);
            break;
        case BetaSchedule::SquaredCosCapV2: {
            const auto values = squaredCosCapV2Betas(int(count));
            betas = at::tensor(at::ArrayRef<float>(values), at::kFloat);
            break;
        }
    }
    return at::cumprod(1.0 - betas, 0);
}

const char* predictionTypeName(PredictionType type) {
    switch (type) {
        case PredictionType::Epsilon:
            return "epsilon";
        case PredictionType::VPrediction:
            return "v_prediction";
        case PredictionType::Sample:
            return "sample";
    }
    return "?";
}

std::string quotePythonJsonConstants(const std::string& text) {
    static const char* const words[] = {"-Infinity", "Infinity", "NaN"};
    std::string out;
    out.reserve(text.size() + 16);
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size()) {
                out += text[++i];
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
            out += c;
            continue;
        }
        bool replaced = false;
        for (const char* word : words) {
            const std::string w(word);
            if (text.compare(i, w.size(), w) == 0) {
                out += '"' + w + '"';
                i += w.size() - 1;
                replaced = true;
                break;
            }
        }
        if (!replaced) out += c;
    }
    return out;
}

namespace {

using nlohmann::json;

const char* jsonTypeName(const json& value) {
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (s == "Infinity" || s == "-Infinity" || s == "NaN") return "a non-finite number";
    }
    return value.type_name();
}

// Reads typed keys of one JSON object; every error names the file and the key.
class ConfigReader {
public:
    ConfigReader(const json& object, const std::string& file) : object_(object), file_(file) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw ScheduleConfigError(file_ + ": key \"" + key + "\": " + what);
    }
    const json* find(const std::string& key) const {
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    void number(const std::string& key, double& out, double low, double high) const {
        const json* v = find(key);
        if (!v) return;
        if (!v->is_number()) fail(key, std::string("expected a number, got ") + jsonTypeName(*v));
        const double value = v->get<double>();
        if (!(value >= low && value <= high)) {
            fail(key, "value " + v->dump() + " is outside [" + json(low).dump() + ", " +
                          json(high).dump() + "]");
        }
        out = value;
    }
    void integer(const std::string& key, int& out, int low, int high) const {
        const json* v = find(key);
        if (!v) return;
        // diffusers configs are written by Python; 1000.0 would be a float there, and an error
        // in diffusers' integer arithmetic, so only JSON integers are accepted.
        if (!v->is_number_integer()) {
            fail(key, std::string("expected an integer, got ") + jsonTypeName(*v));
        }
        const auto value = v->get<int64_t>();
        if (value < low || value > high) {
            fail(key, "value " + std::to_string(value) + " is outside [" + std::to_string(low) +
                          ", " + std::to_string(high) + "]");
        }
        out = int(value);
    }
    void boolean(const std::string& key, bool& out) const {
        const json* v = find(key);
        if (!v) return;
        if (!v->is_boolean())
            fail(key, std::string("expected true or false, got ") + v->type_name());
        out = v->get<bool>();
    }
    // Keys whose only supported value is `supported` (false): SD2 never uses the feature.
    void mustBeFalse(const std::string& key) const {
        bool value = false;
        boolean(key, value);
        if (value) fail(key, "true is not supported (SD2 schedules never use it)");
    }
    template <typename Enum, std::size_t N>
    void choice(const std::string& key, Enum& out, const std::pair<const char*, Enum> (&names)[N],
                bool nullKeepsDefault) const {
        const json* v = find(key);
        if (!v || (v->is_null() && nullKeepsDefault)) return;
        std::string valid;
        for (const auto& [name, value] : names)
            valid += std::string(valid.empty() ? "" : ", ") + name;
        if (!v->is_string()) {
            fail(key,
                 std::string("expected a string (one of ") + valid + "), got " + v->type_name());
        }
        const auto& s = v->get_ref<const std::string&>();
        for (const auto& [name, value] : names) {
            if (s == name) {
                out = value;
                return;
            }
        }
        fail(key, "unsupported value \"" + s + "\" (supported: " + valid + ")");
    }

private:
    const json& object_;
    const std::string& file_;
};

}  // namespace

ScheduleConfig scheduleConfigFromDiffusersJson(const std::string& jsonText,
                                               const std::string& fileForErrors) {
    json root;
    try {
        root = json::parse(quotePythonJsonConstants(jsonText));
    } catch (const json::exception& e) {
        throw ScheduleConfigError(fileForErrors + ": not valid JSON: " + e.what());
    }
    if (!root.is_object()) {
        throw ScheduleConfigError(fileForErrors + ": expected a JSON object, got " +
                                  root.type_name());
    }
    const ConfigReader r(root, fileForErrors);
    ScheduleConfig c;
    r.integer("num_train_timesteps", c.numTrainTimesteps, 2, 100000);
    r.number("beta_start", c.betaStart, 0.0, 1.0);
    r.number("beta_end", c.betaEnd, 0.0, 1.0);
    r.choice("beta_schedule", c.betaSchedule,
             {std::pair{"linear", BetaSchedule::Linear},
              std::pair{"scaled_linear", BetaSchedule::ScaledLinear},
              std::pair{"squaredcos_cap_v2", BetaSchedule::SquaredCosCapV2}},
             false);
    if (const json* betas = r.find("trained_betas"); betas && !betas->is_null()) {
        r.fail("trained_betas", "explicit betas are not supported (expected null)");
    }
    r.choice("prediction_type", c.predictionType,
             {std::pair{"epsilon", PredictionType::Epsilon},
              std::pair{"v_prediction", PredictionType::VPrediction},
              std::pair{"sample", PredictionType::Sample}},
             false);
    r.integer("steps_offset", c.stepsOffset, 0, c.numTrainTimesteps - 1);
    r.boolean("set_alpha_to_one", c.setAlphaToOne);
    r.choice("timestep_spacing", c.timestepSpacing,
             {std::pair{"leading", TimestepSpacing::Leading},
              std::pair{"trailing", TimestepSpacing::Trailing},
              std::pair{"linspace", TimestepSpacing::Linspace}},
             false);
    r.boolean("clip_sample", c.clipSample);
    r.number("clip_sample_range", c.clipSampleRange, 0.0, std::numeric_limits<double>::max());
    r.choice("variance_type", c.varianceType,
             {std::pair{"fixed_small", DdpmVarianceType::FixedSmall},
              std::pair{"fixed_large", DdpmVarianceType::FixedLarge}},
             true);
    r.integer("solver_order", c.solverOrder, 1, 2);
    r.boolean("lower_order_final", c.lowerOrderFinal);
    r.boolean("euler_at_final", c.eulerAtFinal);
    r.choice("final_sigmas_type", c.finalSigmasType,
             {std::pair{"zero", FinalSigmas::Zero}, std::pair{"sigma_min", FinalSigmas::SigmaMin}},
             false);
    r.mustBeFalse("thresholding");
    r.mustBeFalse("rescale_betas_zero_snr");
    if (c.betaStart > c.betaEnd) {
        r.fail("beta_start", "beta_start " + json(c.betaStart).dump() + " is above beta_end " +
                                 json(c.betaEnd).dump());
    }
    return c;
}

ScheduleConfig scheduleConfigFromDiffusersFile(const std::string& path) {
    constexpr std::streamoff kMaxBytes = 1 << 20;
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw ScheduleConfigError(path + ": cannot open the scheduler config");
    const std::streamoff size = in.tellg();
    if (size < 0 || size > kMaxBytes) {
        throw ScheduleConfigError(path + ": " + std::to_string(size) +
                                  " bytes is too large for a scheduler config");
    }
    in.seekg(0);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), size)) {
        throw ScheduleConfigError(path + ": cannot read the scheduler config");
    }
    return scheduleConfigFromDiffusersJson(text, path);
}

}  // namespace atelier::inference
