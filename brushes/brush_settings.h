#pragma once
// Brush settings as data (libmypaint's brushsettings): each setting is a base value times one
// curve per input. value = clamp(base * pressureCurve(pressure) * tiltCurve(tilt) *
// speedCurve(speed), min, max); an input without a curve multiplies by 1.
#include <array>
#include <cstddef>
#include <optional>

#include "brushes/curve.h"

namespace atelier::brushes {

enum class BrushSetting {
    Radius,       // pixels
    Hardness,     // 0..1, see dab_renderer.h
    Opacity,      // 0..1, the alpha a stroke reaches on its centre line (stroke_opacity.h)
    Flow,         // 0..1, multiplies each dab's alpha (below 1: strokes build up)
    Spacing,      // distance between dabs as a fraction of the radius
    AspectRatio,  // >= 1, major / minor axis
    Angle,        // degrees
};
constexpr std::size_t kBrushSettingCount = 7;

enum class BrushInput {
    Pressure,  // 0..1
    Tilt,      // 0 = pen upright, 1 = lying flat (declination / 90 degrees)
    Speed,     // pixels per millisecond, smoothed
};
constexpr std::size_t kBrushInputCount = 3;

struct SettingInfo {
    const char* key;  // as in preset files
    float min;
    float max;
    float defaultValue;
};
const SettingInfo& settingInfo(BrushSetting setting);
const char* inputKey(BrushInput input);
// The domain an input's curve may cover (x values of its points).
float inputMax(BrushInput input);

struct BrushInputs {
    float pressure = 1.0f;
    float tilt = 0.0f;
    float speed = 0.0f;
    float operator[](BrushInput input) const;
};

struct SettingDynamics {
    float base = 0.0f;
    std::array<std::optional<Curve>, kBrushInputCount> curves;
};

class BrushSettings {
public:
    BrushSettings();  // every setting at its default, no curves

    void setBase(BrushSetting setting, float value);
    void setCurve(BrushSetting setting, BrushInput input, Curve curve);
    const SettingDynamics& dynamics(BrushSetting setting) const {
        return settings_[std::size_t(setting)];
    }
    float base(BrushSetting setting) const { return dynamics(setting).base; }
    float evaluate(BrushSetting setting, const BrushInputs& inputs) const;

private:
    std::array<SettingDynamics, kBrushSettingCount> settings_;
};

}  // namespace atelier::brushes
