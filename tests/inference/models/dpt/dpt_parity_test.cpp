// DPT-Hybrid against the reference (transformers 4.38.2 / diffusers 0.27.2 on the tiny model):
// pre-processing, predicted depth, and depth2img's depth channel, within the README's 1e-4.
#include "inference/depth_estimator.h"
#include "inference/depth_map.h"
#include "inference/models/dpt/depth_conditioning.h"
#include "inference/models/dpt/dpt_model.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <catch2/catch.hpp>

#include <string>

using namespace atelier::inference;

namespace {

const std::string kData = ATELIER_TEST_DATA_DIR;
const std::string kReference = kData + "/reference";
const std::string kDepthModel = kReference + "/models/depth/diffusers";
constexpr double kTolerance = 1e-4;  // reference README: DPT outputs

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
    REQUIRE(a.sizes() == b.sizes());
    return (a.to(at::kFloat) - b.to(at::kFloat)).abs().max().item<double>();
}

Rgb8Image imageOf(const at::Tensor& hwc) {
    const at::Tensor c = hwc.contiguous();
    Rgb8Image image{int(c.size(1)), int(c.size(0)), {}};
    image.rgb.assign(c.data_ptr<uint8_t>(), c.data_ptr<uint8_t>() + c.numel());
    return image;
}

at::Tensor tensorOf(const FloatImage& image) {
    return at::tensor(at::ArrayRef<float>(image.values)).reshape({1, image.height, image.width});
}

}  // namespace

TEST_CASE("DPT pre-processing reproduces the processor's pixel values", "[dpt][parity]") {
    const auto ref = readTensors(kReference + "/dpt/tiny_dpt_hybrid.safetensors");
    const LoadedDpt dpt = loadDpt(kDepthModel);
    const Rgb8Image image = imageOf(ref.at("image_uint8_hwc"));
    const at::Tensor pixels = dptPixelValues(image.rgb, image.width, image.height, dpt.processor);
    CHECK(maxAbsDiff(pixels, ref.at("pixel_values")) == 0.0);
}

TEST_CASE("Tiny DPT-Hybrid predicts the reference depth", "[dpt][parity]") {
    const auto ref = readTensors(kReference + "/dpt/tiny_dpt_hybrid.safetensors");
    for (const std::string& path : {kDepthModel, kDepthModel + "/depth_estimator",
                                    kDepthModel + "/depth_estimator/model.safetensors"}) {
        INFO(path);
        const LoadedDpt dpt = loadDpt(path);
        const at::Tensor depth = dpt.model->forward(ref.at("pixel_values"));
        CHECK(maxAbsDiff(depth, ref.at("predicted_depth")) <= kTolerance);
    }
    // Through the public API, from the uint8 image.
    const DepthEstimator estimator = DepthEstimator::load(kDepthModel);
    const FloatImage depth = estimator.estimate(imageOf(ref.at("image_uint8_hwc")));
    REQUIRE(depth.width == 64);
    REQUIRE(depth.height == 64);
    CHECK(maxAbsDiff(tensorOf(depth), ref.at("predicted_depth")) <= kTolerance);
    // The reference depth is not trivially flat (the comparison above could not pass by accident).
    CHECK(ref.at("predicted_depth").max().item<double>() > 1.0);
}

TEST_CASE("depth2img through the tiny DPT: pixel values, depth and the UNet's depth channel",
          "[dpt][parity]") {
    const auto ref = readTensors(kReference + "/pipelines/depth2img_dpt.safetensors");
    const DepthEstimator estimator = DepthEstimator::load(kDepthModel);
    const LoadedDpt dpt = loadDpt(kDepthModel);
    const Rgb8Image image = imageOf(ref.at("input.image_uint8_hwc"));
    const at::Tensor pixels = dptPixelValues(image.rgb, image.width, image.height, dpt.processor);
    CHECK(maxAbsDiff(pixels, ref.at("input.dpt_pixel_values")) == 0.0);

    const FloatImage depth = estimator.estimate(image);
    CHECK(maxAbsDiff(tensorOf(depth), ref.at("input.dpt_predicted_depth")) <= kTolerance);

    // Latent 32x32: the tiny VAE has a spatial factor of 2.
    const at::Tensor expected = ref.at("input.depth_map_normalized_latent_res");
    const FloatImage conditioning = depthConditioning(depth, 32, 32);
    CHECK(maxAbsDiff(tensorOf(conditioning).unsqueeze(0), expected) <= kTolerance);
    // The tensor form, on the reference's own predicted depth.
    CHECK(maxAbsDiff(depthConditioning(ref.at("input.dpt_predicted_depth"), 32, 32), expected) <=
          1e-6);
    CHECK(expected.min().item<double>() == Approx(-1.0));
    CHECK(expected.max().item<double>() == Approx(1.0));
}

TEST_CASE("depth2img with a given depth map: the UNet's depth channel", "[dpt][parity]") {
    const auto ref = readTensors(kReference + "/pipelines/depth2img_given_depth.safetensors");
    const at::Tensor given = ref.at("input.depth_map");  // [1, 48, 48], resized to 32x32
    const at::Tensor expected = ref.at("input.depth_map_normalized_latent_res");
    CHECK(maxAbsDiff(depthConditioning(given, 32, 32), expected) <= 1e-6);
    FloatImage map{48, 48, {}};
    const at::Tensor c = given.contiguous();
    map.values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    CHECK(maxAbsDiff(tensorOf(depthConditioning(map, 32, 32)).unsqueeze(0), expected) <= 1e-6);
    // Any positive scale and offset of the map give the same conditioning.
    FloatImage scaled = map;
    for (float& v : scaled.values) v = v * 250.0f + 3.0f;
    CHECK(maxAbsDiff(tensorOf(depthConditioning(scaled, 32, 32)).unsqueeze(0), expected) <=
          kTolerance);
}

TEST_CASE("A depth map exported as 16-bit grey and brought back conditions depth2img the same",
          "[dpt][parity]") {
    const auto ref = readTensors(kReference + "/pipelines/depth2img_dpt.safetensors");
    const DepthEstimator estimator = DepthEstimator::load(kDepthModel);
    const Rgb8Image image = imageOf(ref.at("input.image_uint8_hwc"));
    const FloatImage depth = estimator.estimate(image);
    // What `atelier-cli depth` writes: the depth at the image's size (here the working size),
    // min -> 0, max -> 65535; then what `depth2img --depth` reads.
    const FloatImage atImageSize = resizeDepthBicubic(depth, image.width, image.height);
    const std::vector<uint16_t> grey = depthToGrey16(atImageSize);
    const FloatImage back = depthFromGrey16(image.width, image.height, grey);
    const at::Tensor expected = ref.at("input.depth_map_normalized_latent_res");
    CHECK(maxAbsDiff(tensorOf(depthConditioning(back, 32, 32)).unsqueeze(0), expected) <=
          kTolerance);
}
