// bench_brushes: dabs per second for a 300 px soft brush (radius 150, hardness 0) at 10 %
// spacing, on one thread: the rasteriser into one buffer (8-bit and 16-bit), into 64x64 tiles
// (as the document calls it), and the whole stroke engine. Usage: bench_brushes [seconds]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "brushes/dab_renderer.h"
#include "brushes/pixel_buffer_surface.h"
#include "brushes/stroke_engine.h"

using namespace atelier::brushes;

namespace {

constexpr int kCanvas = 2048;
constexpr float kRadius = 150.0f;
constexpr float kSpacingPixels = 0.1f * kRadius;

// Dab centres along a zigzag over the canvas, kSpacingPixels apart.
Dab dabNumber(long i) {
    const long perRow = long((kCanvas - 2 * kRadius) / kSpacingPixels);
    const long row = (i / perRow) % 12;
    const float along = float(i % perRow) * kSpacingPixels;
    Dab d;
    d.x = kRadius + ((row % 2) ? kCanvas - 2 * kRadius - along : along) + 0.37f;
    d.y = kRadius + row * ((kCanvas - 2 * kRadius) / 11.0f) + 0.61f;
    d.radius = kRadius;
    d.hardness = 0.0f;
    d.opacity = 0.3f;
    d.color = {0.8f, 0.3f, 0.1f, 1.0f};
    return d;
}

// A stand-in for the document's tiled surface: separate 64x64 buffers, renderDab() per tile.
class TiledSurface : public Surface {
public:
    explicit TiledSurface(PixelFormat format) : format_(format) {}
    void drawDab(const Dab& dab) override {
        const PixelRect b = dabBounds(dab);
        for (int ty = floorDiv(b.y); ty <= floorDiv(b.bottom() - 1); ++ty) {
            for (int tx = floorDiv(b.x); tx <= floorDiv(b.right() - 1); ++tx) {
                auto& tile = tiles_[{tx, ty}];
                if (tile.empty()) tile.assign(64 * 64 * bytesPerPixel(format_), 0);
                PixelView v{
                    tile.data(), format_, {tx * 64, ty * 64, 64, 64}, 64 * bytesPerPixel(format_)};
                renderDab(dab, v);
            }
        }
    }
    ColorF sampleColor(float, float, float) override { return {}; }

private:
    static int floorDiv(int v) { return v >= 0 ? v / 64 : -((-v + 63) / 64); }
    PixelFormat format_;
    std::map<std::pair<int, int>, std::vector<std::uint8_t>> tiles_;
};

double seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

// Runs `step` (which paints some dabs and returns how many) until `budget` seconds have passed.
void measure(const char* label, double budget, const std::function<long()>& step) {
    step();  // warm-up: page in the buffers
    long dabs = 0;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpuStart = std::clock();
    double elapsed = 0;
    do {
        dabs += step();
        elapsed = seconds(std::chrono::steady_clock::now() - start);
    } while (elapsed < budget);
    // CPU time as well: on a shared machine the wall clock includes time spent descheduled.
    const double cpu = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    std::printf("%-40s %7ld dabs  wall %6.3f s = %6.0f dabs/s  cpu %6.3f s = %6.0f dabs/s\n", label,
                dabs, elapsed, dabs / elapsed, cpu, dabs / cpu);
}

}  // namespace

int main(int argc, char** argv) {
    const double budget = argc > 1 ? std::atof(argv[1]) : 2.0;
    std::printf(
        "300 px soft dab (radius %.0f, hardness 0), %.0f px apart (10 %% spacing), "
        "%dx%d canvas, one thread\n",
        kRadius, kSpacingPixels, kCanvas, kCanvas);

    for (PixelFormat format : {PixelFormat::Rgba8Premultiplied, PixelFormat::Rgba16Premultiplied}) {
        PixelBufferSurface buffer(kCanvas, kCanvas, format);
        long next = 0;
        const std::string label = std::string("renderDab, one buffer, ") + pixelFormatName(format);
        measure(label.c_str(), budget, [&] {
            for (int i = 0; i < 50; ++i) buffer.drawDab(dabNumber(next++));
            return 50L;
        });
    }
    for (PixelFormat format : {PixelFormat::Rgba8Premultiplied, PixelFormat::Rgba16Premultiplied}) {
        TiledSurface tiles(format);
        long next = 0;
        const std::string label = std::string("renderDab, 64x64 tiles, ") + pixelFormatName(format);
        measure(label.c_str(), budget, [&] {
            for (int i = 0; i < 50; ++i) tiles.drawDab(dabNumber(next++));
            return 50L;
        });
    }
    {
        PixelBufferSurface buffer(kCanvas, kCanvas, PixelFormat::Rgba8Premultiplied);
        BrushPreset preset;
        preset.name = "bench";
        preset.settings.setBase(BrushSetting::Radius, kRadius);
        preset.settings.setBase(BrushSetting::Hardness, 0.0f);
        preset.settings.setBase(BrushSetting::Spacing, 0.1f);
        preset.settings.setBase(BrushSetting::Opacity, 0.5f);  // per-dab alpha solved per stroke
        double time = 0;
        measure("StrokeEngine (events -> dabs), rgba8", budget, [&] {
            StrokeEngine engine(preset, {0.1f, 0.2f, 0.7f, 1.0f}, buffer);
            for (int i = 0; i <= 200; ++i) {  // a diagonal stroke, 8 px per event
                const double s = i / 200.0;
                engine.addEvent({kRadius + s * (kCanvas - 2 * kRadius), kRadius + s * 1200, 1.0f, 0,
                                 0, time += 4});
            }
            engine.finish();
            return long(engine.dabCount());
        });
    }
    {
        // Where per-dab work dominates: a pencil-sized dab whose opacity follows pressure, so
        // every dab solves its alpha anew (stroke_opacity.h).
        PixelBufferSurface buffer(kCanvas, kCanvas, PixelFormat::Rgba8Premultiplied);
        BrushPreset preset;
        preset.name = "pencil";
        preset.settings.setBase(BrushSetting::Radius, 1.6f);
        preset.settings.setBase(BrushSetting::Hardness, 0.8f);
        preset.settings.setBase(BrushSetting::Spacing, 0.25f);
        preset.settings.setBase(BrushSetting::Opacity, 0.9f);
        preset.settings.setCurve(BrushSetting::Opacity, BrushInput::Pressure,
                                 Curve({{0.0f, 0.15f}, {1.0f, 1.0f}}));
        double time = 0;
        measure("StrokeEngine, 3 px pencil, pressure->opacity", budget, [&] {
            StrokeEngine engine(preset, {0.1f, 0.1f, 0.1f, 1.0f}, buffer);
            for (int i = 0; i <= 200; ++i) {
                const double s = i / 200.0;
                engine.addEvent({100 + s * 1800, 100 + s * 1800,
                                 float(0.5 + 0.5 * std::sin(s * 40)), 0, 0, time += 4});
            }
            engine.finish();
            return long(engine.dabCount());
        });
    }
    return 0;
}
