// `atelier-cli depth`: SD2-depth's MiDaS depth map of an image, as a 16-bit grey PNG to edit
// elsewhere (and bring back with `depth2img --depth`) or as the estimator's raw output.
#include "app/cli/cli_images.h"
#include "app/cli/commands.h"

#include "inference/depth_estimator.h"
#include "inference/depth_map.h"
#include "inference/weights/safetensors_file.h"
#include "inference/weights/safetensors_writer.h"

#ifdef ATELIER_WITH_APP
#include "app/depth_image_io.h"
#include "app/image_io.h"
#endif

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <stdexcept>

namespace atelier::cli {
namespace {

struct DepthOptions {
    std::string model;
    std::string image;
    std::string out;
    bool bench = false;
    bool randomWeights = false;
    std::string randomConfig;  // with --random-weights: a config.json (empty: the real sizes)
    int size = 512;
    int rounds = 3;
};

inference::DepthEstimator loadEstimator(const DepthOptions& o) {
    try {
        if (o.randomWeights) return inference::DepthEstimator::withRandomWeights(o.randomConfig);
        return inference::DepthEstimator::load(o.model);
    } catch (const inference::WeightsError& e) {
        throw BadInput(e.what());
    }
}

void writeDepth(const inference::FloatImage& depth, const inference::Rgb8Image& image,
                const std::string& out) {
    if (endsWith(out, ".safetensors")) {
        inference::writeSafetensors(
            out,
            {{"depth",
              inference::DType::F32,
              {1, depth.height, depth.width},
              depth.values.data(),
              depth.values.size() * sizeof(float)}},
            {{"convention", "relative inverse depth (larger = nearer), DPT predicted_depth"}});
        std::cout << "wrote " << out << " (float depth [1, " << depth.height << ", " << depth.width
                  << "], the estimator's working resolution)\n";
        return;
    }
#ifdef ATELIER_WITH_APP
    const inference::FloatImage atImageSize =
        inference::resizeDepthBicubic(depth, image.width, image.height);
    const QString error =
        saveGrey16PngAtomically(image.width, image.height, inference::depthToGrey16(atImageSize),
                                QString::fromStdString(out));
    if (!error.isEmpty()) throw BadInput(error.toStdString());
    std::cout << "wrote " << out << " (16-bit grey, " << image.width << "x" << image.height
              << ", min depth -> 0, max -> 65535, white = near)\n";
#else
    (void)image;
    throw BadInput(out +
                   ": this atelier-cli is built without Qt (ATELIER_INFERENCE_ONLY) and "
                   "cannot write PNG; use an --out ending in .safetensors");
#endif
}

void runDepth(const DepthOptions& o) {
    if (!endsWith(o.out, ".png") && !endsWith(o.out, ".safetensors")) {
        throw BadInput("--out must end in .png (16-bit depth map) or .safetensors (raw depth)");
    }
    const inference::Rgb8Image image = readRgb8(o.image);
    const inference::DepthEstimator estimator = loadEstimator(o);
    inference::FloatImage depth;
    try {
        depth = estimator.estimate(image);
    } catch (const std::invalid_argument& e) {
        throw BadInput(o.image + ": " + e.what());
    }
    const auto [lo, hi] = std::minmax_element(depth.values.begin(), depth.values.end());
    std::cout << std::fixed << std::setprecision(4) << "depth: " << depth.width << "x"
              << depth.height << " at the working resolution, min " << *lo << ", max " << *hi
              << "\n";
    writeDepth(depth, image, o.out);
}

// Load, then `rounds` estimates of a size x size image (the processor resizes it to the working
// resolution) and depth2img's conditioning at size / 8.
void runBench(const DepthOptions& o) {
    using Clock = std::chrono::steady_clock;
    const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
    const auto loadStart = Clock::now();
    const inference::DepthEstimator estimator = loadEstimator(o);
    const double loadSeconds = seconds(Clock::now() - loadStart);
    inference::Rgb8Image image{o.size, o.size, std::vector<uint8_t>(size_t(o.size) * o.size * 3)};
    for (size_t i = 0; i < image.rgb.size(); ++i) image.rgb[i] = uint8_t((i * 2654435761u) >> 24);
    std::vector<double> times;
    inference::FloatImage depth;
    for (int r = 0; r < o.rounds; ++r) {
        const auto start = Clock::now();
        depth = estimator.estimate(image);
        times.push_back(seconds(Clock::now() - start));
    }
    const auto condStart = Clock::now();
    const inference::FloatImage conditioning =
        inference::depthConditioning(depth, o.size / 8, o.size / 8);
    const double condSeconds = seconds(Clock::now() - condStart);
    std::sort(times.begin(), times.end());
    std::cout << std::setprecision(3) << std::fixed
              << "estimator:    " << (o.randomWeights ? "random weights, " : o.model + ", ")
              << estimator.parameterCount() << " parameters, working resolution "
              << estimator.workingWidth() << "x" << estimator.workingHeight() << "\n"
              << "load:         " << loadSeconds << " s\n"
              << "estimate:     " << o.size << "x" << o.size << " image, median "
              << times[times.size() / 2] << " s, min " << times.front() << " s over " << o.rounds
              << " rounds\n"
              << "conditioning: " << condSeconds * 1e3 << " ms to " << conditioning.width << "x"
              << conditioning.height << "\n";
}

}  // namespace

void addDepthCommands(CLI::App& app) {
    auto options = std::make_shared<DepthOptions>();
    CLI::App* depth = app.add_subcommand(
        "depth", "Estimate SD2-depth's depth map (DPT-Hybrid / MiDaS) of an image");
    depth->add_option(
        "--model", options->model,
        "depth model folder (with depth_estimator/), the estimator's folder, or its .safetensors");
    depth->add_option("--image", options->image,
                      "the image (PNG/JPEG/..., or .safetensors uint8 [H, W, 3])");
    depth->add_option(
        "--out", options->out,
        ".png: 16-bit depth map at the image's size (min -> 0, max -> 65535, white = near); "
        ".safetensors: the raw float depth [1, H, W] at the working resolution");
    depth->add_flag("--bench", options->bench, "time loading, estimation and conditioning instead");
    depth->add_flag("--random-weights", options->randomWeights,
                    "with --bench: random weights of the real DPT-Hybrid (or of --config)");
    depth->add_option("--config", options->randomConfig,
                      "with --random-weights: a DPT config.json");
    depth->add_option("--size", options->size, "with --bench: the image's side in pixels")
        ->check(CLI::Range(8, 4096));
    depth->add_option("--rounds", options->rounds, "with --bench: estimates to time")
        ->check(CLI::Range(1, 1000));
    depth->callback([options] {
        const DepthOptions& o = *options;
        if (!o.randomWeights && o.model.empty()) throw BadInput("depth needs --model");
        if (o.bench) {
            runBench(o);
            return;
        }
        if (o.image.empty() || o.out.empty()) throw BadInput("depth needs --image and --out");
        runDepth(o);
    });
}

}  // namespace atelier::cli
