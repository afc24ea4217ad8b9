#include "inference/schedulers/noise_source.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

using namespace atelier::inference;
using Catch::Matchers::Contains;

namespace {

std::string tempPath(const char* name) {
    return (std::filesystem::temp_directory_path() / name).string();
}

const at::TensorOptions kFloat = at::TensorOptions().dtype(at::kFloat);

std::string errorOf(NoiseSource& source, at::IntArrayRef shape, const char* site) {
    try {
        source.next(shape, kFloat, site);
    } catch (const NoiseError& e) {
        return e.what();
    }
    FAIL("no error");
    return {};
}

}  // namespace

TEST_CASE("seeded noise is deterministic, device-independent and torch's CPU stream",
          "[schedulers][noise]") {
    SeededNoise a(1234), b(1234), c(1235);
    const at::Tensor a1 = a.next({1, 4, 8, 8}, kFloat, "test");
    const at::Tensor a2 = a.next({1, 4, 8, 8}, kFloat, "test");
    CHECK(at::equal(a1, b.next({1, 4, 8, 8}, kFloat, "test")));
    CHECK(at::equal(a2, b.next({1, 4, 8, 8}, kFloat, "test")));
    CHECK_FALSE(at::equal(a1, a2));
    CHECK_FALSE(at::equal(a1, c.next({1, 4, 8, 8}, kFloat, "test")));
    CHECK(std::abs(a1.mean().item<float>()) < 0.3);
    CHECK(a1.std().item<float>() == Approx(1.0).margin(0.2));

    // torch.manual_seed(0); torch.randn(3) == [1.5410, -0.2934, -2.1788]
    SeededNoise zero(0);
    const at::Tensor first = zero.next({3}, kFloat, "test");
    CHECK(first[0].item<float>() == Approx(1.5410).margin(1e-4));
    CHECK(first[1].item<float>() == Approx(-0.2934).margin(1e-4));
    CHECK(first[2].item<float>() == Approx(-2.1788).margin(1e-4));

    // A half-precision request gets the float32 draw, cast: the same image at any precision.
    SeededNoise h(1234);
    const at::Tensor half = h.next({1, 4, 8, 8}, at::TensorOptions().dtype(at::kHalf), "test");
    CHECK(half.scalar_type() == at::kHalf);
    CHECK(at::equal(half, a1.to(at::kHalf)));
}

TEST_CASE("file noise replays noise.NNN in order and checks every draw", "[schedulers][noise]") {
    const std::string path = tempPath("atelier_file_noise.safetensors");
    const at::Tensor n0 = at::arange(16, at::kFloat).reshape({1, 4, 2, 2});
    const at::Tensor n1 = at::arange(3, at::kFloat).reshape({1, 3});
    writeTensors(path, {{"noise.000", n0}, {"noise.001", n1}, {"prompt_embeds", at::zeros({2})}});

    FileNoise noise(path);
    CHECK(noise.remaining() == 2);
    const at::Tensor got0 =
        noise.next({1, 4, 2, 2}, at::TensorOptions().dtype(at::kDouble), "initial latents");
    CHECK(got0.scalar_type() == at::kDouble);
    CHECK(at::equal(got0, n0.to(at::kDouble)));
    CHECK(noise.remaining() == 1);

    // A draw of another shape names the file, the draw, the site and both shapes.
    const std::string mismatch = errorOf(noise, {1, 4}, "euler_a step");
    CHECK_THAT(mismatch, Contains(path) && Contains("draw 1") && Contains("euler_a step") &&
                             Contains("[1, 4]") && Contains("[1, 3]"));
    CHECK(noise.remaining() == 1);  // a refused draw consumes nothing
    CHECK(at::equal(noise.next({1, 3}, kFloat, "x"), n1));
    CHECK(noise.remaining() == 0);

    const std::string exhausted = errorOf(noise, {1, 3}, "ddpm step");
    CHECK_THAT(exhausted, Contains(path) && Contains("draw 2") && Contains("ddpm step") &&
                              Contains("only 2 noise tensors"));
    std::remove(path.c_str());
}

TEST_CASE("file noise refuses gaps, non-float noise and bad files", "[schedulers][noise]") {
    const std::string path = tempPath("atelier_file_noise_gap.safetensors");
    writeTensors(path, {{"noise.000", at::zeros({2})}, {"noise.002", at::zeros({2})}});
    CHECK_THROWS_WITH(FileNoise(path), Contains(path) && Contains("noise number 1 is missing"));

    writeTensors(path, {{"noise.000", at::zeros({2}, at::kLong)}});
    CHECK_THROWS_WITH(FileNoise(path), Contains("noise.000") && Contains("floating-point"));

    writeTensors(path, {{"latents", at::zeros({2})}});
    FileNoise none(path);
    CHECK(none.remaining() == 0);
    CHECK_THAT(errorOf(none, {2}, "initial latents"), Contains("only 0 noise tensors"));
    std::remove(path.c_str());

    CHECK_THROWS_AS(FileNoise(tempPath("atelier_no_such_noise.safetensors")), WeightsError);
}

TEST_CASE("queued noise serves its tensors once each", "[schedulers][noise]") {
    QueuedNoise q({at::ones({2}), at::full({2}, 2.0)}, "test queue");
    CHECK(q.next({2}, kFloat, "a")[0].item<float>() == 1);
    CHECK(q.drawn() == 1);
    CHECK(q.next({2}, kFloat, "b")[0].item<float>() == 2);
    CHECK_THAT(errorOf(q, {2}, "c"), Contains("test queue") && Contains("draw 2"));
}
