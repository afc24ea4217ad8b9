#include "brushes/brush_settings.h"

#include <algorithm>
#include <cmath>

namespace atelier::brushes {

namespace {

constexpr std::array<SettingInfo, kBrushSettingCount> kSettings = {{
    {"radius", 0.5f, 1000.0f, 5.0f},
    {"hardness", 0.0f, 1.0f, 0.8f},
    {"opacity", 0.0f, 1.0f, 1.0f},
    {"flow", 0.0f, 1.0f, 1.0f},
    {"spacing", 0.02f, 10.0f, 0.2f},
    {"aspect_ratio", 1.0f, 20.0f, 1.0f},
    {"angle", -360.0f, 360.0f, 0.0f},
}};

}  // namespace

const SettingInfo& settingInfo(BrushSetting setting) { return kSettings[std::size_t(setting)]; }

const char* inputKey(BrushInput input) {
    switch (input) {
        case BrushInput::Pressure:
            return "pressure";
        case BrushInput::Tilt:
            return "tilt";
        case BrushInput::Speed:
            return "speed";
    }
    return "?";
}

float inputMax(BrushInput input) {
    // Speed in px/ms: 50 is a fast flick on a 4K canvas; curves stay constant beyond their ends.
    return input == BrushInput::Speed ? 50.0f : 1.0f;
}

float BrushInputs::operator[](BrushInput input) const {
    switch (input) {
        case BrushInput::Pressure:
            return pressure;
        case BrushInput::Tilt:
            return tilt;
        case BrushInput::Speed:
            return speed;
    }
    return 0.0f;
}

BrushSettings::BrushSettings() {
    for (std::size_t i = 0; i < kBrushSettingCount; ++i)
        settings_[i].base = kSettings[i].defaultValue;
}

void BrushSettings::setBase(BrushSetting setting, float value) {
    settings_[std::size_t(setting)].base = value;
}

void BrushSettings::setCurve(BrushSetting setting, BrushInput input, Curve curve) {
    settings_[std::size_t(setting)].curves[std::size_t(input)] = std::move(curve);
}

float BrushSettings::evaluate(BrushSetting setting, const BrushInputs& inputs) const {
    const SettingDynamics& d = dynamics(setting);
    float value = d.base;
    for (std::size_t i = 0; i < kBrushInputCount; ++i) {
        if (d.curves[i]) value *= (*d.curves[i])(inputs[BrushInput(i)]);
    }
    const SettingInfo& info = settingInfo(setting);
    if (!std::isfinite(value)) return info.defaultValue;
    return std::clamp(value, info.min, info.max);
}

}  // namespace atelier::brushes
