#include "brushes/brush_preset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace atelier::brushes {

namespace {

using nlohmann::json;

// Presets are a few hundred bytes; a multi-megabyte "preset" is not one.
constexpr std::uintmax_t kMaxPresetBytes = 1 << 20;
constexpr std::size_t kMaxCurvePoints = 64;
constexpr float kMaxCurveValue = 100.0f;

class Reader {
public:
    explicit Reader(std::string displayName) : file_(std::move(displayName)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw PresetError(file_ + ": " + (key.empty() ? "" : key + ": ") + what);
    }

    double number(const json& v, const std::string& key, double min, double max) const {
        if (!v.is_number()) fail(key, "expected a number, got " + describe(v));
        const double d = v.get<double>();
        if (!std::isfinite(d)) fail(key, "not a finite number");
        if (d < min || d > max) {
            fail(key, formatNumber(d) + " is out of range [" + formatNumber(min) + ", " +
                          formatNumber(max) + "]");
        }
        return d;
    }

    std::string string(const json& v, const std::string& key) const {
        if (!v.is_string()) fail(key, "expected a string, got " + describe(v));
        return v.get<std::string>();
    }

    void requireObject(const json& v, const std::string& key) const {
        if (!v.is_object()) fail(key, "expected an object, got " + describe(v));
    }

    static std::string describe(const json& v) {
        std::string text = v.dump();
        if (text.size() > 40) text = text.substr(0, 37) + "...";
        return std::string(v.type_name()) + " " + text;
    }

    static std::string formatNumber(double d) {
        std::ostringstream out;
        out << d;
        return out.str();
    }

private:
    std::string file_;
};

std::string join(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

Curve readCurve(const Reader& r, const json& v, const std::string& key, BrushInput input) {
    if (!v.is_array())
        r.fail(key, "expected an array of [x, y] points, got " + Reader::describe(v));
    if (v.size() < 2) r.fail(key, "a curve needs at least 2 points");
    if (v.size() > kMaxCurvePoints) {
        r.fail(key, "a curve has at most " + std::to_string(kMaxCurvePoints) + " points");
    }
    std::vector<CurvePoint> points;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string pointKey = key + "[" + std::to_string(i) + "]";
        const json& p = v[i];
        if (!p.is_array() || p.size() != 2) {
            r.fail(pointKey, "expected [x, y], got " + Reader::describe(p));
        }
        const float x = float(r.number(p[0], pointKey + ".x", 0.0, inputMax(input)));
        const float y = float(r.number(p[1], pointKey + ".y", 0.0, kMaxCurveValue));
        if (!points.empty() && !(x > points.back().x)) {
            r.fail(pointKey, "x must increase strictly (" + Reader::formatNumber(x) + " after " +
                                 Reader::formatNumber(points.back().x) + ")");
        }
        points.push_back({x, y});
    }
    return Curve(std::move(points));
}

void readSetting(const Reader& r, const json& v, const std::string& key, BrushSetting setting,
                 BrushSettings& settings) {
    const SettingInfo& info = settingInfo(setting);
    if (v.is_number()) {  // shorthand: a plain number is the base value, no curves
        settings.setBase(setting, float(r.number(v, key, info.min, info.max)));
        return;
    }
    if (!v.is_object()) {
        r.fail(key,
               "expected a number or {\"base\": ..., <input>: curve}, got " + Reader::describe(v));
    }
    if (!v.contains("base")) r.fail(key, "missing \"base\"");
    for (const auto& [name, value] : v.items()) {
        const std::string childKey = key + "." + name;
        if (name == "base") {
            settings.setBase(setting, float(r.number(value, childKey, info.min, info.max)));
            continue;
        }
        bool known = false;
        for (std::size_t i = 0; i < kBrushInputCount; ++i) {
            if (name == inputKey(BrushInput(i))) {
                settings.setCurve(setting, BrushInput(i),
                                  readCurve(r, value, childKey, BrushInput(i)));
                known = true;
            }
        }
        if (!known) r.fail(childKey, "unknown key (expected base, pressure, tilt or speed)");
    }
}

}  // namespace

BrushPreset parsePreset(const std::string& jsonText, const std::string& displayName) {
    const Reader r(displayName);
    json doc;
    try {
        doc = json::parse(jsonText);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e400
        r.fail("", std::string("not valid JSON: ") + e.what());
    }
    r.requireObject(doc, "");

    BrushPreset preset;
    if (!doc.contains("name")) r.fail("name", "missing");
    for (const auto& [key, value] : doc.items()) {
        if (key == "name") {
            preset.name = r.string(value, key);
            if (preset.name.empty()) r.fail(key, "must not be empty");
        } else if (key == "description") {
            r.string(value, key);
        } else if (key == "mode") {
            const std::string mode = r.string(value, key);
            if (mode == "paint")
                preset.mode = DabMode::Paint;
            else if (mode == "erase")
                preset.mode = DabMode::Erase;
            else if (mode == "lock-alpha")
                preset.mode = DabMode::LockAlpha;
            else
                r.fail(key, "unknown mode \"" + mode + "\" (expected paint, erase or lock-alpha)");
        } else if (key == "target") {
            const std::string target = r.string(value, key);
            if (target == "layer")
                preset.target = PresetTarget::Layer;
            else if (target == "mask")
                preset.target = PresetTarget::Mask;
            else
                r.fail(key, "unknown target \"" + target + "\" (expected layer or mask)");
        } else if (key == "smoothing_ms") {
            preset.smoothingMs = r.number(value, key, 0.0, 1000.0);
        } else if (key == "settings") {
            r.requireObject(value, key);
            for (const auto& [name, settingValue] : value.items()) {
                const std::string settingKey = join(key, name);
                bool known = false;
                for (std::size_t i = 0; i < kBrushSettingCount; ++i) {
                    if (name == settingInfo(BrushSetting(i)).key) {
                        readSetting(r, settingValue, settingKey, BrushSetting(i), preset.settings);
                        known = true;
                    }
                }
                if (!known) r.fail(settingKey, "unknown setting");
            }
        } else {
            r.fail(key, "unknown key");
        }
    }
    return preset;
}

BrushPreset loadPresetFile(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw PresetError(path + ": cannot read (" + ec.message() + ")");
    if (size > kMaxPresetBytes) {
        throw PresetError(path + ": " + std::to_string(size) + " bytes is too large for a preset");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw PresetError(path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) throw PresetError(path + ": read error");
    return parsePreset(text.str(), path);
}

PresetFolder loadPresetFolder(const std::string& folder) {
    PresetFolder result;
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".json") files.push_back(it->path());
    }
    if (ec) {
        result.errors.push_back(folder + ": cannot list (" + ec.message() + ")");
        return result;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        try {
            result.presets.push_back(loadPresetFile(file.string()));
        } catch (const PresetError& e) {
            result.errors.push_back(e.what());
        }
    }
    return result;
}

}  // namespace atelier::brushes
