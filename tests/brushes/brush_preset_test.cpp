// Presets: the shipped ones load and mean what they say; bad files fail with the file and key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "brushes/brush_preset.h"

using namespace atelier::brushes;
using Catch::Detail::Approx;
namespace fs = std::filesystem;

namespace {

const std::string kPresetDir = std::string(ATELIER_SOURCE_DIR) + "/resources/brushes";

// The message parsePreset() gives for `json`, or "" if it parses.
std::string errorFor(const std::string& json) {
    try {
        parsePreset(json, "bad.json");
    } catch (const PresetError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the shipped presets load, each with its mode and target", "[brushes][preset]") {
    const PresetFolder folder = loadPresetFolder(kPresetDir);
    for (const auto& e : folder.errors) UNSCOPED_INFO(e);
    CHECK(folder.errors.empty());
    REQUIRE(folder.presets.size() == 7);
    auto find = [&](const std::string& name) -> const BrushPreset& {
        for (const auto& p : folder.presets) {
            if (p.name == name) return p;
        }
        FAIL("no preset " << name);
        throw;
    };
    CHECK(find("Eraser").mode == DabMode::Erase);
    CHECK(find("Mask soft").target == PresetTarget::Mask);
    CHECK(find("Mask hard").target == PresetTarget::Mask);
    CHECK(find("Ink").target == PresetTarget::Layer);
    CHECK(find("Ink").smoothingMs > 0);
    CHECK(find("Soft airbrush").settings.base(BrushSetting::Hardness) == 0.0f);
    CHECK(find("Hard round").settings.base(BrushSetting::Hardness) > 0.9f);
    find("Pencil");

    // The mask brushes: pressure = how much (opacity follows pressure from 0).
    for (const char* name : {"Mask soft", "Mask hard"}) {
        const BrushSettings& s = find(name).settings;
        BrushInputs light, full;
        light.pressure = 0.25f;
        CHECK(s.evaluate(BrushSetting::Opacity, light) == Approx(0.25));
        CHECK(s.evaluate(BrushSetting::Opacity, full) == Approx(1.0));
    }
}

TEST_CASE("a preset's settings: numbers, base + curves, defaults for the rest",
          "[brushes][preset]") {
    const BrushPreset p = parsePreset(R"({
        "name": "Test", "mode": "lock-alpha", "target": "mask", "smoothing_ms": 20,
        "description": "for the test",
        "settings": {"radius": {"base": 8, "pressure": [[0, 0.5], [1, 1]], "speed": [[0, 1], [10, 0.5]]},
                     "hardness": 0.25}})",
                                      "test.json");
    CHECK(p.name == "Test");
    CHECK(p.mode == DabMode::LockAlpha);
    CHECK(p.target == PresetTarget::Mask);
    CHECK(p.smoothingMs == 20.0);
    CHECK(p.settings.base(BrushSetting::Hardness) == 0.25f);
    BrushInputs in;
    in.pressure = 0.5f;
    in.speed = 5.0f;
    CHECK(p.settings.evaluate(BrushSetting::Radius, in) == Approx(8 * 0.75 * 0.75));
    CHECK(p.settings.base(BrushSetting::Spacing) ==
          settingInfo(BrushSetting::Spacing).defaultValue);
    CHECK(!p.settings.dynamics(BrushSetting::Radius).curves[size_t(BrushInput::Tilt)]);
}

TEST_CASE("bad presets name the file and the key", "[brushes][preset][errors]") {
    CHECK_THAT(errorFor("{\"name\": \"x\", "), Catch::StartsWith("bad.json: not valid JSON"));
    CHECK_THAT(errorFor("[1, 2]"), Catch::StartsWith("bad.json: expected an object"));
    CHECK(errorFor("{}") == "bad.json: name: missing");
    CHECK(errorFor(R"({"name": ""})") == "bad.json: name: must not be empty");
    CHECK(errorFor(R"({"name": 3})") == "bad.json: name: expected a string, got number 3");
    CHECK(errorFor(R"({"name": "x", "colour": 1})") == "bad.json: colour: unknown key");
    CHECK(errorFor(R"({"name": "x", "mode": "smudge"})") ==
          "bad.json: mode: unknown mode \"smudge\" (expected paint, erase or lock-alpha)");
    CHECK(errorFor(R"({"name": "x", "target": "sky"})") ==
          "bad.json: target: unknown target \"sky\" (expected layer or mask)");
    CHECK(errorFor(R"({"name": "x", "smoothing_ms": -1})") ==
          "bad.json: smoothing_ms: -1 is out of range [0, 1000]");
    CHECK(errorFor(R"({"name": "x", "settings": []})") ==
          "bad.json: settings: expected an object, got array []");
    CHECK(errorFor(R"({"name": "x", "settings": {"sise": 3}})") ==
          "bad.json: settings.sise: unknown setting");
    CHECK(errorFor(R"({"name": "x", "settings": {"radius": 5000}})") ==
          "bad.json: settings.radius: 5000 is out of range [0.5, 1000]");
    CHECK(errorFor(R"({"name": "x", "settings": {"radius": {"base": 0.1}}})") ==
          "bad.json: settings.radius.base: 0.1 is out of range [0.5, 1000]");
    CHECK(errorFor(R"({"name": "x", "settings": {"hardness": true}})") ==
          "bad.json: settings.hardness: expected a number or {\"base\": ..., <input>: curve}, got "
          "boolean true");
    CHECK(errorFor(R"({"name": "x", "settings": {"radius": {"pressure": [[0, 1], [1, 1]]}}})") ==
          "bad.json: settings.radius: missing \"base\"");
    CHECK(
        errorFor(R"({"name": "x", "settings": {"radius": {"base": 3, "pressur": []}}})") ==
        "bad.json: settings.radius.pressur: unknown key (expected base, pressure, tilt or speed)");
    CHECK(
        errorFor(R"({"name": "x", "settings": {"opacity": {"base": 1, "pressure": [[0, 1]]}}})") ==
        "bad.json: settings.opacity.pressure: a curve needs at least 2 points");
    CHECK(
        errorFor(
            R"({"name": "x", "settings": {"opacity": {"base": 1, "pressure": [[0, 1], [0.5]]}}})") ==
        "bad.json: settings.opacity.pressure[1]: expected [x, y], got array [0.5]");
    CHECK(
        errorFor(
            R"({"name": "x", "settings": {"opacity": {"base": 1, "pressure": [[0.5, 1], [0.2, 1]]}}})") ==
        "bad.json: settings.opacity.pressure[1]: x must increase strictly (0.2 after 0.5)");
    CHECK(
        errorFor(
            R"({"name": "x", "settings": {"opacity": {"base": 1, "tilt": [[0, 1], [1.5, 1]]}}})") ==
        "bad.json: settings.opacity.tilt[1].x: 1.5 is out of range [0, 1]");
    CHECK(
        errorFor(
            R"({"name": "x", "settings": {"opacity": {"base": 1, "speed": [[0, -1], [1, 1]]}}})") ==
        "bad.json: settings.opacity.speed[0].y: -1 is out of range [0, 100]");
    CHECK(errorFor(R"({"name": "x", "settings": {"opacity": {"base": 1, "speed": "fast"}}})") ==
          "bad.json: settings.opacity.speed: expected an array of [x, y] points, got string "
          "\"fast\"");
    // A number no double can hold is a JSON error, not a crash.
    CHECK_THAT(errorFor(R"({"name": "x", "settings": {"angle": 1e400}})"),
               Catch::StartsWith("bad.json: not valid JSON") && Catch::Contains("1e400"));
}

TEST_CASE("preset files: unreadable, too large, and a folder with one bad file",
          "[brushes][preset][errors]") {
    const fs::path dir = fs::temp_directory_path() / "atelier_brush_presets_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    CHECK_THROWS_WITH(loadPresetFile((dir / "missing.json").string()),
                      Catch::StartsWith((dir / "missing.json").string() + ": cannot read"));
    {
        std::ofstream(dir / "huge.json") << std::string(2 << 20, ' ');
        std::ofstream(dir / "good.json") << R"({"name": "Good"})";
        std::ofstream(dir / "typo.json") << R"({"name": "Typo", "settings": {"raduis": 3}})";
        std::ofstream(dir / "notes.txt") << "not a preset";
    }
    CHECK_THROWS_WITH(loadPresetFile((dir / "huge.json").string()),
                      Catch::Contains("too large for a preset"));
    const PresetFolder folder = loadPresetFolder(dir.string());
    REQUIRE(folder.presets.size() == 1);
    CHECK(folder.presets[0].name == "Good");
    REQUIRE(folder.errors.size() == 2);
    CHECK_THAT(folder.errors[0], Catch::Contains("huge.json: ") && Catch::Contains("too large"));
    CHECK(folder.errors[1] == (dir / "typo.json").string() + ": settings.raduis: unknown setting");
    CHECK(loadPresetFolder((dir / "nope").string()).errors.size() == 1);
    fs::remove_all(dir);
}
