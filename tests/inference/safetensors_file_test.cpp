#include "inference/weights/safetensors_file.h"

#include <catch2/catch.hpp>

#include <cstring>

using namespace atelier::inference;

namespace {

const std::string kRef = ATELIER_TEST_DATA_DIR "/reference";

std::vector<uint8_t> fileImage(const std::string& header, std::size_t dataBytes) {
    std::vector<uint8_t> bytes(8 + header.size() + dataBytes, 0);
    uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) bytes[i] = uint8_t(n >> (8 * i));
    std::memcpy(bytes.data() + 8, header.data(), header.size());
    return bytes;
}

std::string errorOf(const std::string& header, std::size_t dataBytes) {
    const auto bytes = fileImage(header, dataBytes);
    try {
        SafetensorsFile::fromBuffer(bytes.data(), bytes.size(), "probe.safetensors");
    } catch (const WeightsError& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("a reference file opens with every tensor's dtype and shape", "[safetensors]") {
    const auto file = SafetensorsFile::open(kRef + "/unet/txt2img-eps.safetensors");
    const TensorInfo* sample = file.find("case0.sample");
    REQUIRE(sample != nullptr);
    CHECK(sample->dtype == DType::F32);
    CHECK(sample->shape == std::vector<int64_t>{2, 4, 16, 16});
    CHECK(sample->byteSize() == 2 * 4 * 16 * 16 * 4);
    CHECK(file.find("no.such.tensor") == nullptr);
}

TEST_CASE("a well-formed file in memory parses, metadata included", "[safetensors]") {
    const auto bytes = fileImage(
        R"({"__metadata__":{"format":"pt"},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},)"
        R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}   )",
        12);
    const auto file = SafetensorsFile::fromBuffer(bytes.data(), bytes.size(), "ok");
    REQUIRE(file.tensors().size() == 2);
    CHECK(file.tensors()[0].name == "a");  // offset order
    CHECK(file.metadata().at("format") == "pt");
}

TEST_CASE("malformed headers are refused with the file and tensor named", "[safetensors]") {
    const std::string t = R"("t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    struct Case {
        const char* what;
        std::string header;
        std::size_t data;
        const char* expect;
    };
    const Case cases[] = {
        {"not JSON", "{nope", 0, "not valid JSON"},
        {"not an object start", "[1,2]", 0, "does not start with '{'"},
        {"invalid UTF-8", "{\"t\xff\":1}", 0, "not valid JSON"},
        {"duplicate names", "{" + t + "," + t + "}", 8, "appears twice"},
        {"unknown dtype", R"({"t":{"dtype":"F7","shape":[2],"data_offsets":[0,8]}})", 8, "unsupported dtype"},
        {"end < begin", R"({"t":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8, "end < begin"},
        {"past the end", R"({"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8, "past the end"},
        {"dtype x shape", R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8, "needs 12 bytes"},
        {"overflowing shape", R"({"t":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", 8, "overflows"},
        {"negative dim", R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8, "non-negative"},
        {"gap", R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8, "gap"},
        {"overlap", R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8, "overlaps"},
        {"trailing bytes", "{" + t + "}", 12, "after the last tensor"},
        {"metadata not string", R"({"__metadata__":{"k":1}})", 0, "not a string"},
        {"missing fields", R"({"t":{"dtype":"F32"}})", 0, "lacks"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        const std::string error = errorOf(c.header, c.data);
        CHECK_THAT(error, Catch::Contains(c.expect));
        CHECK_THAT(error, Catch::Contains("probe.safetensors"));
    }
}

TEST_CASE("absurd header lengths are refused without allocating", "[safetensors]") {
    for (uint64_t declared : {uint64_t(1) << 63, uint64_t(200) * 1024 * 1024, uint64_t(1000)}) {
        std::vector<uint8_t> bytes(64, ' ');
        for (int i = 0; i < 8; ++i) bytes[i] = uint8_t(declared >> (8 * i));
        bytes[8] = '{';
        CHECK_THROWS_AS(SafetensorsFile::fromBuffer(bytes.data(), bytes.size(), "x"), WeightsError);
    }
    const uint8_t tiny[4] = {1, 0, 0, 0};
    CHECK_THROWS_WITH(SafetensorsFile::fromBuffer(tiny, 4, "x"), Catch::Contains("truncated"));
}

TEST_CASE("every truncation of a valid file fails cleanly", "[safetensors]") {
    const auto full = fileImage(
        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[8,14]}})",
        14);
    REQUIRE_NOTHROW(SafetensorsFile::fromBuffer(full.data(), full.size(), "x"));
    for (std::size_t n = 0; n < full.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        CHECK_THROWS_AS(SafetensorsFile::fromBuffer(full.data(), n, "x"), WeightsError);
    }
}

TEST_CASE("missing files are refused with their path", "[safetensors]") {
    CHECK_THROWS_WITH(SafetensorsFile::open("/nonexistent/model.safetensors"),
                      Catch::Contains("/nonexistent/model.safetensors"));
}
