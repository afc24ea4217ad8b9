#include "inference/weights/safetensors_writer.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace atelier::inference;

namespace {
std::string tempPath(const char* name) {
    return (std::filesystem::temp_directory_path() / name).string();
}
}  // namespace

TEST_CASE("a written file reads back with names, dtypes, shapes, bytes and metadata",
          "[safetensors]") {
    const std::string path = tempPath("atelier_writer_roundtrip.safetensors");
    const float values[6] = {0.f, 1.5f, -2.f, 3.25f, 1e-8f, -0.f};
    const uint16_t halves[3] = {0x3c00, 0xc000, 0x7bff};
    writeSafetensors(path,
                     {{"b.values", DType::F32, {2, 3}, values, sizeof values},
                      {"a.half", DType::F16, {3}, halves, sizeof halves},
                      {"empty", DType::F32, {0, 4}, nullptr, 0}},
                     {{"format", "pt"}});
    const auto file = SafetensorsFile::open(path);
    REQUIRE(file.tensors().size() == 3);
    const TensorInfo* v = file.find("b.values");
    REQUIRE(v != nullptr);
    CHECK(v->shape == std::vector<int64_t>{2, 3});
    CHECK(std::memcmp(file.data(*v), values, sizeof values) == 0);
    const TensorInfo* h = file.find("a.half");
    REQUIRE(h != nullptr);
    CHECK(h->dtype == DType::F16);
    CHECK(std::memcmp(file.data(*h), halves, sizeof halves) == 0);
    CHECK(file.metadata().at("format") == "pt");
    std::remove(path.c_str());
}

TEST_CASE("a bad entry is refused and the existing file is left as it was", "[safetensors]") {
    const std::string path = tempPath("atelier_writer_keep.safetensors");
    { std::ofstream(path) << "precious"; }
    const float values[2] = {1.f, 2.f};
    CHECK_THROWS_WITH(writeSafetensors(path, {{"x", DType::F32, {3}, values, sizeof values}}),
                      Catch::Contains("'x'") && Catch::Contains("need 12"));
    CHECK_THROWS_WITH(writeSafetensors(path, {{"x", DType::F32, {2}, values, sizeof values},
                                              {"x", DType::F32, {2}, values, sizeof values}}),
                      Catch::Contains("repeated"));
    CHECK_THROWS_AS(writeSafetensors("/nonexistent-dir/x.safetensors",
                                     {{"x", DType::F32, {2}, values, sizeof values}}),
                    WeightsError);
    std::ifstream in(path);
    std::string text;
    in >> text;
    CHECK(text == "precious");
    std::remove(path.c_str());
}
