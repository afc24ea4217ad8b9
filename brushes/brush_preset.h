#pragma once
// A brush preset: settings plus what the engine does with them. Presets are JSON files in
// resources/brushes/ (format in brushes/README.md); the loader names the file and the key of
// anything wrong.
#include <stdexcept>
#include <string>
#include <vector>

#include "brushes/brush_settings.h"
#include "brushes/dab.h"

namespace atelier::brushes {

// What the tool paints on: a layer's pixels (RGBA) or a grey mask (layer mask, selection,
// inpaint mask). The engine is the same; the app picks the surface.
enum class PresetTarget { Layer, Mask };

struct BrushPreset {
    std::string name;
    DabMode mode = DabMode::Paint;
    PresetTarget target = PresetTarget::Layer;
    double smoothingMs = 0.0;  // time constant of position smoothing, see stroke_smoother.h
    BrushSettings settings;
};

// A preset file that cannot be used; what() is "FILE: KEY: problem".
struct PresetError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parses preset JSON; `displayName` (usually the file name) starts every error message.
BrushPreset parsePreset(const std::string& jsonText, const std::string& displayName);
BrushPreset loadPresetFile(const std::string& path);

// Every *.json in a folder, sorted by file name; bad files are reported and skipped, so one
// broken preset does not take the others with it.
struct PresetFolder {
    std::vector<BrushPreset> presets;
    std::vector<std::string> errors;  // one PresetError message per bad file
};
PresetFolder loadPresetFolder(const std::string& folder);

}  // namespace atelier::brushes
