#include "app/cli/cli_images.h"

#include "app/cli/commands.h"
#include "inference/depth_map.h"
#include "inference/weights/safetensors_file.h"
#include "inference/weights/safetensors_writer.h"

#ifdef ATELIER_WITH_APP
#include "app/depth_image_io.h"
#include "app/image_io.h"
#endif

#include <algorithm>
#include <cmath>
#include <cstring>

namespace atelier::cli {
namespace {

[[noreturn, maybe_unused]] void noQt(const std::string& path, const char* what) {
    throw BadInput(path + ": this atelier-cli is built without Qt (ATELIER_INFERENCE_ONLY), so it " + what +
                   " only .safetensors");
}

const inference::TensorInfo* pickTensor(const inference::SafetensorsFile& file, std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (const auto* info = file.find(name)) return info;
    return file.tensors().size() == 1 ? &file.tensors().front() : nullptr;
}

// Any float or uint8 tensor of H x W x C values (a leading batch of 1 allowed) as ImageF.
inference::ImageF imageFromTensor(const inference::SafetensorsFile& file, const inference::TensorInfo& info,
                                  int channels, const std::string& path) {
    std::vector<int64_t> shape = info.shape;
    if (shape.size() == 4 && shape[0] == 1) shape.erase(shape.begin());
    if (shape.size() == 2) shape.push_back(1);
    const bool u8 = info.dtype == inference::DType::U8, f32 = info.dtype == inference::DType::F32;
    if (shape.size() != 3 || shape[2] != channels || shape[0] <= 0 || shape[1] <= 0 || (!u8 && !f32))
        throw BadInput(path + ": tensor '" + info.name + "' must be uint8 or float32 [H, W" +
                       (channels == 1 ? "" : ", " + std::to_string(channels)) + "]");
    inference::ImageF image{int(shape[1]), int(shape[0]), channels};
    std::vector<uint8_t> bytes(info.byteSize());
    file.readBytes(info, bytes.data());
    for (std::size_t i = 0; i < image.data.size(); ++i) {
        float v;
        if (u8) {
            v = bytes[i] / 255.f;
        } else {
            std::memcpy(&v, bytes.data() + 4 * i, 4);
        }
        if (!std::isfinite(v)) throw BadInput(path + ": tensor '" + info.name + "' holds NaN or infinite values");
        image.data[i] = v;
    }
    return image;
}

}  // namespace

bool endsWith(const std::string& text, const std::string& suffix) {
    if (text.size() < suffix.size()) return false;
    return std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(),
                      [](char a, char b) { return std::tolower((unsigned char)a) == b; });
}

inference::Rgb8Image readRgb8(const std::string& path) {
    if (endsWith(path, ".safetensors")) {
        const auto file = inference::SafetensorsFile::open(path);
        const auto* info = pickTensor(file, {"image", "image_uint8_hwc"});
        if (!info) throw BadInput(path + ": holds no tensor named image or image_uint8_hwc");
        if (info->dtype != inference::DType::U8 || info->shape.size() != 3 || info->shape[2] != 3 || info->shape[0] <= 0 ||
            info->shape[1] <= 0)
            throw BadInput(path + ": tensor " + info->name + " must be uint8 [height, width, 3]");
        inference::Rgb8Image image{int(info->shape[1]), int(info->shape[0]), {}};
        image.rgb.resize(info->byteSize());
        file.readBytes(*info, image.rgb.data());
        return image;
    }
#ifdef ATELIER_WITH_APP
    const ImageLoadResult loaded = loadImage(QString::fromStdString(path));
    if (!loaded.ok()) throw BadInput(loaded.error.toStdString());
    const QImage rgb = loaded.image.convertToFormat(QImage::Format_RGB888);
    inference::Rgb8Image image{rgb.width(), rgb.height(), {}};
    image.rgb.resize(std::size_t(image.width) * image.height * 3);
    for (int y = 0; y < image.height; ++y)
        std::memcpy(image.rgb.data() + std::size_t(y) * image.width * 3, rgb.constScanLine(y), std::size_t(image.width) * 3);
    return image;
#else
    noQt(path, "reads images from");
#endif
}

inference::ImageF readImageF(const std::string& path, int channels) {
    if (endsWith(path, ".safetensors")) {
        const auto file = inference::SafetensorsFile::open(path);
        const auto* info = pickTensor(file, {channels == 1 ? "mask" : "image", "image_uint8_hwc", "image"});
        if (!info) throw BadInput(path + ": holds no tensor named image or mask");
        return imageFromTensor(file, *info, channels, path);
    }
#ifdef ATELIER_WITH_APP
    const ImageLoadResult loaded = loadImage(QString::fromStdString(path));
    if (!loaded.ok()) throw BadInput(loaded.error.toStdString());
    // 16 bits per channel keeps 16-bit sources exact; straight (not premultiplied) colour.
    const QImage img = loaded.image.convertToFormat(channels == 1 ? QImage::Format_Grayscale16 : QImage::Format_RGBX64);
    inference::ImageF image(img.width(), img.height(), channels);
    for (int y = 0; y < img.height(); ++y) {
        const auto* row = reinterpret_cast<const uint16_t*>(img.constScanLine(y));
        for (int x = 0; x < img.width(); ++x)
            for (int c = 0; c < channels; ++c)
                image.at(x, y, c) = row[channels == 1 ? x : 4 * x + c] / 65535.f;
    }
    return image;
#else
    noQt(path, "reads images from");
#endif
}

inference::ImageF readDepth(const std::string& path) {
    if (endsWith(path, ".safetensors")) {
        const auto file = inference::SafetensorsFile::open(path);
        const auto* info = pickTensor(file, {"depth"});
        if (!info) throw BadInput(path + ": holds no float tensor 'depth'");
        std::vector<int64_t> shape = info->shape;
        if (shape.size() == 3 && shape[0] == 1) shape.erase(shape.begin());
        if (shape.size() != 2 || info->dtype != inference::DType::F32)
            throw BadInput(path + ": tensor '" + info->name + "' must be float32 [1, H, W] or [H, W]");
        return imageFromTensor(file, *info, 1, path);
    }
#ifdef ATELIER_WITH_APP
    const DepthImageLoadResult loaded = loadDepthImage(QString::fromStdString(path));
    if (!loaded.ok()) throw BadInput(loaded.error.toStdString());
    inference::ImageF depth(loaded.width, loaded.height, 1);
    for (std::size_t i = 0; i < loaded.grey.size(); ++i) depth.data[i] = loaded.grey[i] / 65535.f;
    return depth;
#else
    noQt(path, "reads depth maps from");
#endif
}

void writeImageF(const std::string& path, const inference::ImageF& image) {
    if (endsWith(path, ".safetensors")) {
        inference::writeSafetensors(path, {{"image", inference::DType::F32, {1, image.height, image.width, image.channels},
                                            image.data.data(), image.data.size() * sizeof(float)}});
        return;
    }
#ifdef ATELIER_WITH_APP
    QImage out(image.width, image.height, QImage::Format_RGB888);
    for (int y = 0; y < image.height; ++y) {
        uchar* row = out.scanLine(y);
        for (int x = 0; x < image.width; ++x)
            for (int c = 0; c < 3; ++c)
                row[3 * x + c] = uchar(std::lround(std::clamp(image.at(x, y, image.channels == 1 ? 0 : c), 0.f, 1.f) * 255.f));
    }
    const QString error = savePngAtomically(out, QString::fromStdString(path));
    if (!error.isEmpty()) throw BadInput(error.toStdString());
#else
    noQt(path, "writes");
#endif
}

}  // namespace atelier::cli
