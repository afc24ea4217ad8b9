// `atelier-cli flatten` and `atelier-cli ora-info`: OpenRaster documents as Atelier reads and
// composites them, so files written by other programs can be checked against their own
// merged images.
#include "app/cli/commands.h"

#include "app/document/ora.h"
#include "app/image_io.h"

#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <iostream>

namespace atelier::cli {
namespace {

using document::Document;
using document::Layer;

struct LoadedOra {
    QByteArray bytes;
    document::OraLoadResult result;
};

LoadedOra loadOrThrow(const std::string& path) {
    const QString p = QString::fromStdString(path);
    QFile file(p);
    if (!QFileInfo(p).isFile() || !file.open(QIODevice::ReadOnly))
        throw BadInput(path + ": cannot be opened");
    const document::OraLimits limits;
    if (file.size() > limits.maxFileBytes) throw BadInput(path + ": the file is too large");
    LoadedOra out;
    out.bytes = file.readAll();
    out.result = document::loadOraFromBytes(out.bytes, QFileInfo(p).fileName(), limits);
    if (!out.result.ok()) throw BadInput(out.result.error.toStdString());
    for (const QString& w : out.result.warnings)
        std::cerr << "atelier-cli: warning: " << path << ": " << w.toStdString() << "\n";
    return out;
}

// Largest and mean per-channel difference, colour ignored where both are fully transparent.
std::pair<int, double> difference(const QImage& a, const QImage& b) {
    const QImage x = a.convertToFormat(QImage::Format_RGBA8888);
    const QImage y = b.convertToFormat(QImage::Format_RGBA8888);
    int worst = 0;
    double sum = 0;
    qint64 n = 0;
    for (int row = 0; row < x.height(); ++row) {
        const uchar* p = x.constScanLine(row);
        const uchar* q = y.constScanLine(row);
        for (int i = 0; i < x.width() * 4; ++i, ++n) {
            const int px = i / 4 * 4;
            if (i % 4 != 3 && p[px + 3] == 0 && q[px + 3] == 0) continue;
            const int d = std::abs(int(p[i]) - int(q[i]));
            worst = std::max(worst, d);
            sum += d;
        }
    }
    return {worst, n ? sum / double(n) : 0.0};
}

std::string opOf(const Layer& l) {
    if (l.props.mode == document::BlendMode::Normal && !l.unknownCompositeOp.isEmpty())
        return l.unknownCompositeOp.toStdString() + " (drawn as svg:src-over)";
    return document::oraCompositeOp(l.props.mode).toStdString();
}

nlohmann::json layerJson(const Layer& l) {
    nlohmann::json j;
    j["kind"] = l.isGroup() ? "stack" : "layer";
    j["name"] = l.props.name.toStdString();
    j["opacity"] = l.props.opacity;
    j["visible"] = l.props.visible;
    j["composite_op"] = document::oraCompositeOp(l.props.mode).toStdString();
    if (!l.unknownCompositeOp.isEmpty())
        j["unknown_composite_op"] = l.unknownCompositeOp.toStdString();
    j["edit_locked"] = l.props.editLocked;
    j["alpha_preserve"] = l.props.lockAlpha;
    j["selected"] = l.selected;
    const QRect b = l.contentBounds();
    j["bounds"] = {b.x(), b.y(), b.width(), b.height()};
    if (l.isGroup()) {
        j["isolation"] = l.props.passThrough ? "pass-through" : "isolate";
        nlohmann::json kids = nlohmann::json::array();
        for (auto it = l.children().rbegin(); it != l.children().rend(); ++it)
            kids.push_back(layerJson(**it));
        j["children"] = kids;
    } else {
        j["has_mask"] = l.mask.has_value();
    }
    const document::Provenance& p = l.provenance;
    if (!p.isEmpty()) {
        j["provenance"] = {{"model_hash", p.modelHash.toStdString()},
                           {"prompt", p.prompt.toStdString()},
                           {"negative_prompt", p.negativePrompt.toStdString()},
                           {"seed", p.seed},
                           {"sampler", p.sampler.toStdString()},
                           {"steps", p.steps},
                           {"strength", p.strength},
                           {"guidance_scale", p.guidanceScale},
                           {"pipeline", p.pipeline.toStdString()}};
    }
    nlohmann::json foreign = nlohmann::json::object();
    for (const auto& a : l.foreignAttributes)
        foreign[a.qualifiedName.toStdString()] = a.value.toStdString();
    if (!foreign.empty()) j["other_attributes"] = foreign;
    return j;
}

void printLayer(const Layer& l, int depth) {
    const std::string indent(size_t(depth) * 2, ' ');
    const QRect b = l.contentBounds();
    std::cout << indent << "- " << (l.isGroup() ? "stack" : "layer") << " \""
              << l.props.name.toStdString() << "\"  opacity=" << l.props.opacity
              << " visibility=" << (l.props.visible ? "visible" : "hidden")
              << " composite-op=" << opOf(l);
    if (l.isGroup()) std::cout << " isolation=" << (l.props.passThrough ? "auto" : "isolate");
    if (!b.isEmpty())
        std::cout << " bounds=" << b.x() << "," << b.y() << " " << b.width() << "x" << b.height();
    else
        std::cout << " empty";
    if (l.props.editLocked) std::cout << " edit-locked";
    if (l.props.lockAlpha) std::cout << " alpha-preserve";
    if (l.selected) std::cout << " selected";
    if (l.mask) std::cout << " mask";
    for (const auto& a : l.foreignAttributes)
        std::cout << " " << a.qualifiedName.toStdString() << "=\"" << a.value.toStdString() << "\"";
    std::cout << "\n";
    const document::Provenance& p = l.provenance;
    if (!p.isEmpty()) {
        std::cout << indent << "    provenance: model " << p.modelHash.toStdString() << ", seed "
                  << p.seed << ", sampler " << p.sampler.toStdString() << ", steps " << p.steps
                  << ", prompt \"" << p.prompt.toStdString() << "\"\n";
    }
    for (auto it = l.children().rbegin(); it != l.children().rend(); ++it)
        printLayer(**it, depth + 1);
}

void runOraInfo(const std::string& path, bool json) {
    LoadedOra ora = loadOrThrow(path);
    Document& doc = *ora.result.document;
    QString mergedError;
    const QImage merged = document::readOraMergedImage(ora.bytes, &mergedError);
    const QImage flat = doc.flatten();
    int layers = 0, groups = 0;
    for (const auto& l : doc.allLayers()) (l->isGroup() ? groups : layers)++;
    std::pair<int, double> diff{-1, 0};
    if (!merged.isNull() && merged.size() == flat.size()) diff = difference(flat, merged);

    if (json) {
        nlohmann::json j;
        j["file"] = path;
        j["width"] = doc.size().width();
        j["height"] = doc.size().height();
        j["xres"] = doc.xResolution;
        j["yres"] = doc.yResolution;
        j["layers"] = layers;
        j["groups"] = groups;
        nlohmann::json w = nlohmann::json::array();
        for (const QString& s : ora.result.warnings) w.push_back(s.toStdString());
        j["warnings"] = w;
        if (merged.isNull()) {
            j["merged_image"] = nullptr;
        } else {
            j["merged_image"] = {{"width", merged.width()}, {"height", merged.height()}};
            if (diff.first >= 0) {
                j["merged_image"]["max_difference"] = diff.first;
                j["merged_image"]["mean_difference"] = diff.second;
            }
        }
        nlohmann::json other = nlohmann::json::object();
        for (const auto& a : doc.imageForeignAttributes)
            other[a.qualifiedName.toStdString()] = a.value.toStdString();
        j["image_attributes"] = other;
        j["has_inpaint_mask"] = !doc.inpaintMask().isEmpty();
        j["stack"] = layerJson(doc.root());
        // Names come from foreign files: never let odd text abort the dump.
        std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return;
    }
    std::cout << "file: " << path << "\n"
              << "canvas: " << doc.size().width() << " x " << doc.size().height() << ", "
              << doc.xResolution << " x " << doc.yResolution << " dpi\n"
              << "layers: " << layers << ", groups: " << groups << "\n";
    if (merged.isNull()) {
        std::cout << "merged image: none (" << mergedError.toStdString() << ")\n";
    } else {
        std::cout << "merged image: " << merged.width() << " x " << merged.height();
        if (diff.first >= 0)
            std::cout << ", Atelier's composite differs by at most " << diff.first
                      << " levels (mean " << diff.second << ")";
        else
            std::cout << ", not the canvas size";
        std::cout << "\n";
    }
    for (const auto& a : doc.imageForeignAttributes)
        std::cout << "image attribute: " << a.qualifiedName.toStdString() << "=\""
                  << a.value.toStdString() << "\"\n";
    if (!doc.inpaintMask().isEmpty()) std::cout << "inpaint mask: yes\n";
    for (const QString& s : ora.result.warnings)
        std::cout << "warning: " << s.toStdString() << "\n";
    printLayer(doc.root(), 0);
}

void runFlatten(const std::string& in, const std::string& out) {
    LoadedOra ora = loadOrThrow(in);
    const QImage flat = ora.result.document->flatten().convertToFormat(QImage::Format_RGBA8888);
    const QString error = saveImageAtomically(flat, QString::fromStdString(out));
    if (!error.isEmpty()) {
        std::cerr << "atelier-cli: " << error.toStdString() << "\n";
        exitStatus() = kExitInternal;
    }
}

}  // namespace

void addDocumentCommands(CLI::App& app) {
    auto in = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    CLI::App* flatten =
        app.add_subcommand("flatten",
                           "Write the composite of an OpenRaster document as Atelier computes it "
                           "(PNG, or JPEG/TIFF/WebP by the output's extension)");
    flatten->add_option("input", *in, "The .ora document")->required();
    flatten->add_option("output", *out, "The image to write")->required();
    flatten->callback([in, out] { runFlatten(*in, *out); });

    auto infoPath = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    CLI::App* info =
        app.add_subcommand("ora-info",
                           "Print an OpenRaster document's layer tree with its attributes, and how "
                           "Atelier's composite compares with the file's own merged image");
    info->add_option("input", *infoPath, "The .ora document")->required();
    info->add_flag("--json", *json, "Print JSON");
    info->callback([infoPath, json] { runOraInfo(*infoPath, *json); });
}

}  // namespace atelier::cli
