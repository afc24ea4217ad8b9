// OpenRaster loading: every attribute and member is checked before it is used; sizes are
// checked before anything is allocated or decoded. Policy for doubtful values (consistent for
// every attribute): values that are not numbers are refused; numbers out of range are refused
// for geometry (sizes, coordinates) and clamped for opacity; unknown composite ops become
// svg:src-over and unknown attributes are kept, with a warning.
#include "app/document/ora.h"
#include "app/document/ora_members.h"
#include "app/document/ora_names.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QXmlStreamReader>

#include <climits>
#include <cmath>
#include <cstring>
#include <functional>

namespace atelier::document {
namespace {

bool parseBool(const QString& v, bool* out) {
    const QString s = v.trimmed().toLower();
    if (s == QLatin1String("true") || s == QLatin1String("1")) return *out = true, true;
    if (s == QLatin1String("false") || s == QLatin1String("0")) return *out = false, true;
    return false;
}

class Loader {
public:
    Loader(ZipReader& zip, const OraLimits& limits, QStringList& warnings)
        : zip_(zip), limits_(limits), warnings_(warnings) {}

    std::unique_ptr<Document> load(const QByteArray& xml) {
        QXmlStreamReader r(xml);
        // Prefixed attributes of other programs need not declare their namespace: read names
        // literally rather than refusing the file.
        r.setNamespaceProcessing(false);
        if (!r.readNextStartElement()) return failXml(r, QStringLiteral("stack.xml is empty"));
        if (r.name() != QLatin1String("image"))
            return fail(QStringLiteral("stack.xml: the root element is <%1>, not <image>")
                            .arg(r.name().toString()));
        if (!readImage(r)) return nullptr;
        if (r.hasError()) return failXml(r, QString());
        keepForeignMembers(zip_, *doc_, limits_.maxForeignMemberBytes, warnings_);
        return std::move(doc_);
    }

    QString error;

private:
    std::unique_ptr<Document> fail(const QString& why) {
        if (error.isEmpty()) error = why;
        return nullptr;
    }
    std::unique_ptr<Document> failXml(QXmlStreamReader& r, const QString& why) {
        if (!r.hasError()) return fail(why);
        return fail(QStringLiteral("stack.xml is malformed at line %1, column %2: %3")
                        .arg(r.lineNumber())
                        .arg(r.columnNumber())
                        .arg(r.errorString()));
    }
    bool failed(const QString& why) {
        fail(why);
        return false;
    }

    bool parseSize(const QXmlStreamAttributes& a, const char* key, int* out) {
        bool ok = false;
        const QString v = a.value(QLatin1String(key)).toString();
        const qlonglong n = v.trimmed().toLongLong(&ok);
        if (!ok)
            return failed(QStringLiteral("stack.xml: <image %1=\"%2\"> is not a whole number")
                              .arg(QLatin1String(key), v));
        if (n < 1 || n > limits_.maxSide)
            return failed(QStringLiteral("stack.xml: the canvas %1 of %2 is outside 1..%3")
                              .arg(QLatin1String(key))
                              .arg(n)
                              .arg(limits_.maxSide));
        *out = int(n);
        return true;
    }

    bool readImage(QXmlStreamReader& r) {
        const QXmlStreamAttributes a = r.attributes();
        int w = 0, h = 0;
        if (!parseSize(a, "w", &w) || !parseSize(a, "h", &h)) return false;
        if (qint64(w) * h > limits_.maxCanvasPixels)
            return failed(QStringLiteral("stack.xml: the canvas is %1 x %2, more than Atelier "
                                         "opens (at most %3 megapixels)")
                              .arg(w)
                              .arg(h)
                              .arg(limits_.maxCanvasPixels / 1000000));
        doc_ = std::make_unique<Document>(QSize(w, h));
        QString inpaintSrc;
        QPoint inpaintAt;
        for (const QXmlStreamAttribute& at : a) {
            const QString n = at.qualifiedName().toString();
            const QString v = at.value().toString();
            if (n == QLatin1String("w") || n == QLatin1String("h") || n == ora::kXmlnsAtelier ||
                n == QLatin1String("version"))
                continue;
            if (n == QLatin1String("xres") || n == QLatin1String("yres")) {
                bool ok = false;
                const double d = v.toDouble(&ok);
                if (ok && std::isfinite(d) && d > 0 && d < 1e6)
                    (n == QLatin1String("xres") ? doc_->xResolution : doc_->yResolution) = d;
                else
                    warnings_ << QStringLiteral("ignored resolution %1=\"%2\"").arg(n, v);
                continue;
            }
            if (n == ora::kInpaintMaskSrc)
                inpaintSrc = v;
            else if (n == ora::kInpaintMaskX)
                inpaintAt.setX(v.toInt());
            else if (n == ora::kInpaintMaskY)
                inpaintAt.setY(v.toInt());
            else
                doc_->imageForeignAttributes.push_back({n, v});
        }
        bool sawStack = false;
        while (r.readNextStartElement()) {
            if (r.name() == QLatin1String("stack") && !sawStack) {
                sawStack = true;
                Layer& root = doc_->root();
                if (!readCommon(root, r.attributes(), true, nullptr)) return false;
                if (!readStack(r, root, 1, QPoint(0, 0))) return false;
            } else {
                warnings_ << QStringLiteral("ignored <%1> in <image>").arg(r.name().toString());
                r.skipCurrentElement();
            }
        }
        if (r.hasError()) return failXml(r, QString()), false;
        if (!sawStack) return failed(QStringLiteral("stack.xml has no <stack> in <image>"));
        if (!inpaintSrc.isEmpty()) {
            TileGrid mask(1, 0);
            if (!readPixels(inpaintSrc, QStringLiteral("the inpaint mask"), inpaintAt, mask))
                return false;
            doc_->replaceInpaintMask(mask);
        }
        return true;
    }

    // Children of a stack, top first in the file; inserted bottom to top.
    bool readStack(QXmlStreamReader& r, Layer& group, int depth, QPoint origin) {
        while (r.readNextStartElement()) {
            const bool isStack = r.name() == QLatin1String("stack");
            const bool isLayer = r.name() == QLatin1String("layer");
            if (!isStack && !isLayer) {
                warnings_ << QStringLiteral("ignored <%1> (not a layer Atelier knows)")
                                 .arg(r.name().toString());
                r.skipCurrentElement();
                continue;
            }
            if (++layerCount_ > limits_.maxLayers)
                return failed(
                    QStringLiteral("stack.xml has more than %1 layers").arg(limits_.maxLayers));
            LayerPtr layer = isStack ? Layer::makeGroup(QString()) : Layer::makePaint(QString());
            QPoint at;
            if (!readCommon(*layer, r.attributes(), isStack, &at)) return false;
            at += origin;
            // Children's attributes replace the pending ones: keep the mask's for later.
            const QString maskSrc = pendingMaskSrc_;
            const QPoint maskAt = pendingMaskAt_ + origin;
            if (isStack) {
                if (depth + 1 > limits_.maxDepth)
                    return failed(QStringLiteral("stack.xml nests stacks deeper than %1 levels")
                                      .arg(limits_.maxDepth));
                if (!readStack(r, *layer, depth + 1, at)) return false;
            } else {
                if (!pendingSrc_.isEmpty() &&
                    !pendingSrc_.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
                    // e.g. MyPaint's vector layers (SVG): like GIMP, keep the layer, empty.
                    warnings_ << QStringLiteral(
                                     "layer \"%1\": %2 is not a PNG; the layer is "
                                     "left empty")
                                     .arg(layer->props.name, pendingSrc_);
                } else if (!pendingUnmaskedSrc_.isEmpty()) {
                    // Atelier's own masked layer: its src is the masked preview for others.
                    if (!readPixels(pendingUnmaskedSrc_,
                                    QStringLiteral("layer \"%1\"").arg(layer->props.name),
                                    pendingUnmaskedAt_ + origin, layer->pixels))
                        return false;
                } else if (!pendingSrc_.isEmpty() &&
                           !readPixels(pendingSrc_,
                                       QStringLiteral("layer \"%1\"").arg(layer->props.name), at,
                                       layer->pixels)) {
                    return false;
                }
                QString why;
                if (!expandMyPaintBackground(*layer, doc_->bounds(), decoder_, &why))
                    return failed(
                        QStringLiteral("the background of \"%1\": %2").arg(layer->props.name, why));
                r.skipCurrentElement();
            }
            if (!maskSrc.isEmpty()) {
                layer->mask = TileGrid(1, 255);
                if (!readPixels(maskSrc,
                                QStringLiteral("the mask of \"%1\"").arg(layer->props.name), maskAt,
                                *layer->mask))
                    return false;
            }
            group.insertChild(0, std::move(layer));
        }
        return !r.hasError() || (failXml(r, QString()), false);
    }

    bool parseCoordinate(const QString& what, const QString& v, int* out) {
        bool ok = false;
        const qlonglong n = v.trimmed().toLongLong(&ok);
        if (!ok)
            return failed(
                QStringLiteral("stack.xml: %1=\"%2\" is not a whole number").arg(what, v));
        if (n < -limits_.maxCoordinate || n > limits_.maxCoordinate)
            return failed(QStringLiteral("stack.xml: %1=%2 is outside +-%3")
                              .arg(what)
                              .arg(n)
                              .arg(limits_.maxCoordinate));
        *out = int(n);
        return true;
    }

    bool readCommon(Layer& layer, const QXmlStreamAttributes& attrs, bool isStack, QPoint* at) {
        pendingSrc_.clear();
        pendingUnmaskedSrc_.clear();
        pendingUnmaskedAt_ = QPoint();
        pendingMaskSrc_.clear();
        pendingMaskAt_ = QPoint();
        // Names first, so that messages can name the layer.
        if (attrs.hasAttribute(QLatin1String("name")))
            layer.props.name = attrs.value(QLatin1String("name")).toString();
        const QString who = QStringLiteral("layer \"%1\"").arg(layer.props.name);
        Provenance& p = layer.provenance;
        bool sawIsolation = false;
        for (const QXmlStreamAttribute& a : attrs) {
            const QString n = a.qualifiedName().toString();
            const QString v = a.value().toString();
            bool flag = false;
            if (n == QLatin1String("name")) {
            } else if (n == QLatin1String("opacity")) {
                bool ok = false;
                const double o = v.toDouble(&ok);
                if (!ok || !std::isfinite(o))
                    return failed(QStringLiteral("stack.xml: %1 has opacity \"%2\", not a number")
                                      .arg(who, v));
                if (o < 0 || o > 1)
                    warnings_ << QStringLiteral("%1: opacity %2 clamped to 0..1").arg(who, v);
                layer.props.opacity = float(std::clamp(o, 0.0, 1.0));
            } else if (n == QLatin1String("visibility")) {
                layer.props.visible = v.trimmed() != QLatin1String("hidden");
            } else if (n == QLatin1String("composite-op")) {
                if (isStack && v == ora::kPassThroughOp) {
                    layer.props.passThrough = true;
                } else if (auto mode = blendModeFromOra(v)) {
                    layer.props.mode = *mode;
                } else {
                    layer.unknownCompositeOp = v;
                    warnings_ << QStringLiteral("%1: composite op \"%2\" is drawn as svg:src-over")
                                     .arg(who, v);
                }
            } else if (n == QLatin1String("isolation") && isStack) {
                // Krita and MyPaint write "auto" for pass-through groups, "isolate" otherwise.
                sawIsolation = true;
                if (v == QLatin1String("auto")) layer.props.passThrough = true;
            } else if (n == QLatin1String("x") || n == QLatin1String("y")) {
                int c = 0;
                if (!parseCoordinate(QStringLiteral("%1 %2").arg(who, n), v, &c)) return false;
                if (at) (n == QLatin1String("x") ? at->rx() : at->ry()) = c;
            } else if (n == QLatin1String("src") && !isStack) {
                if (!isSafeMemberName(v))
                    return failed(QStringLiteral("stack.xml: %1 has src=\"%2\", which is not a "
                                                 "plain name inside the archive")
                                      .arg(who, v));
                pendingSrc_ = v;
            } else if (n == QLatin1String("selected") && parseBool(v, &flag)) {
                layer.selected = flag;
            } else if (n == QLatin1String("edit-locked") && parseBool(v, &flag)) {
                layer.props.editLocked = flag;
            } else if (n == QLatin1String("alpha-preserve") && parseBool(v, &flag)) {
                layer.props.lockAlpha = flag;
            } else if (n == ora::kModelHash) {
                p.modelHash = v;
            } else if (n == ora::kPrompt) {
                p.prompt = v;
            } else if (n == ora::kNegativePrompt) {
                p.negativePrompt = v;
            } else if (n == ora::kSampler) {
                p.sampler = v;
            } else if (n == ora::kPipeline) {
                p.pipeline = v;
            } else if (n == ora::kSeed || n == ora::kSteps || n == ora::kStrength ||
                       n == ora::kGuidanceScale) {
                bool ok = false;
                const double d = v.toDouble(&ok);
                if (!ok || !std::isfinite(d) || d < 0 || d > 1e19) {
                    warnings_ << QStringLiteral("%1: ignored %2=\"%3\"").arg(who, n, v);
                } else if (n == ora::kSeed) {
                    p.seed = v.toLongLong(&ok);
                    if (!ok) p.seed = -1, warnings_ << QStringLiteral("%1: ignored seed").arg(who);
                } else if (n == ora::kSteps) {
                    p.steps = int(std::min(d, 1e6));
                } else if (n == ora::kStrength) {
                    p.strength = d;
                } else {
                    p.guidanceScale = d;
                }
            } else if (n == ora::kMaskSrc) {
                if (!isSafeMemberName(v))
                    return failed(QStringLiteral("stack.xml: %1 has a mask src=\"%2\", which is "
                                                 "not a plain name inside the archive")
                                      .arg(who, v));
                pendingMaskSrc_ = v;
            } else if (n == ora::kUnmaskedSrc && !isStack) {
                if (!isSafeMemberName(v))
                    return failed(QStringLiteral("stack.xml: %1 has src=\"%2\", which is not a "
                                                 "plain name inside the archive")
                                      .arg(who, v));
                pendingUnmaskedSrc_ = v;
            } else if (n == ora::kUnmaskedX || n == ora::kUnmaskedY) {
                int c = 0;
                if (!parseCoordinate(QStringLiteral("%1 %2").arg(who, n), v, &c)) return false;
                (n == ora::kUnmaskedX ? pendingUnmaskedAt_.rx() : pendingUnmaskedAt_.ry()) = c;
            } else if (n == ora::kMaskX || n == ora::kMaskY) {
                int c = 0;
                if (!parseCoordinate(QStringLiteral("%1 %2").arg(who, n), v, &c)) return false;
                (n == ora::kMaskX ? pendingMaskAt_.rx() : pendingMaskAt_.ry()) = c;
            } else {
                layer.foreignAttributes.push_back({n, v});
            }
        }
        // Without an isolation attribute (GIMP writes none) the spec infers it: a stack is
        // isolated only if its opacity is below 1 or its op is not svg:src-over.
        if (isStack && at && !sawIsolation && !layer.props.passThrough)
            layer.props.passThrough = layer.props.opacity >= 1.f &&
                                      layer.props.mode == BlendMode::Normal &&
                                      layer.unknownCompositeOp.isEmpty();
        return true;
    }

    bool decodeMember(const QString& src, const QString& what, QImage& image) {
        QString why;
        if (!decoder_.decode(src, image, &why))
            return failed(QStringLiteral("%1: %2").arg(what, why));
        return true;
    }

    // Decodes an image member into grid at `at`.
    bool readPixels(const QString& src, const QString& what, QPoint at, TileGrid& grid) {
        QImage image;
        if (!decodeMember(src, what, image)) return false;
        QString why;
        if (!decoder_.reserveTiles(QRect(at, image.size()), grid.channels(), &why))
            return failed(QStringLiteral("%1: %2").arg(what, why));
        // In place where Qt can (no second full-size copy of a large layer).
        // PNG layers are straight alpha; tiles are premultiplied.
        image.convertTo(grid.channels() == 1 ? QImage::Format_Grayscale8
                                             : QImage::Format_RGBA8888_Premultiplied);
        grid.writeImage(image, at);
        return true;
    }

    ZipReader& zip_;
    const OraLimits& limits_;
    QStringList& warnings_;
    std::unique_ptr<Document> doc_;
    MemberDecoder decoder_{zip_, limits_};
    int layerCount_ = 0;
    QString pendingSrc_, pendingMaskSrc_, pendingUnmaskedSrc_;
    QPoint pendingUnmaskedAt_;
    QPoint pendingMaskAt_;
};

}  // namespace

OraLoadResult loadOraFromBytes(const QByteArray& bytes, const QString& name,
                               const OraLimits& limits) {
    OraLoadResult result;
    auto fail = [&](const QString& why) {
        result.error = QStringLiteral("%1: %2").arg(name, why);
        result.document.reset();
        return std::move(result);
    };
    QString why;
    std::unique_ptr<ZipReader> zip = ZipReader::open(bytes, limits.zip, &why);
    if (!zip) return fail(QStringLiteral("not an OpenRaster file: %1").arg(why));
    const int mimeIndex = zip->indexOf(QStringLiteral("mimetype"));
    if (mimeIndex < 0) return fail(QStringLiteral("not an OpenRaster file: no mimetype entry"));
    const std::optional<QByteArray> mime = zip->read(QStringLiteral("mimetype"), &why, 256);
    if (!mime) return fail(why);
    if (mime->trimmed() != QByteArray(ora::kMimetype.data(), ora::kMimetype.size()))
        return fail(QStringLiteral("not an OpenRaster file: its mimetype is \"%1\"")
                        .arg(QString::fromUtf8(mime->left(64))));
    if (mimeIndex != 0)
        result.warnings << QStringLiteral("mimetype is not the first entry of the archive");
    else if (!zip->isStored(0))
        result.warnings << QStringLiteral("mimetype is compressed (it should be stored)");
    const std::optional<QByteArray> xml =
        zip->read(QStringLiteral("stack.xml"), &why, limits.maxStackXmlBytes);
    if (!xml) return fail(why);
    Loader loader(*zip, limits, result.warnings);
    result.document = loader.load(*xml);
    if (!result.document) return fail(loader.error);
    result.document->history().setClean();
    return result;
}

QImage readOraMergedImage(const QByteArray& bytes, QString* error, const OraLimits& limits) {
    std::unique_ptr<ZipReader> zip = ZipReader::open(bytes, limits.zip, error);
    if (!zip) return {};
    OraLimits canvas = limits;
    canvas.maxLayerPixels = limits.maxCanvasPixels;
    MemberDecoder decoder{*zip, canvas};
    QImage image;
    if (!decoder.decode(QStringLiteral("mergedimage.png"), image, error)) return {};
    image.convertTo(QImage::Format_RGBA8888);
    return image;
}

OraLoadResult loadOra(const QString& path, const OraLimits& limits) {
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    OraLoadResult result;
    if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("%1: cannot be opened (%2)").arg(path, file.errorString());
        return result;
    }
    if (file.size() > limits.maxFileBytes) {
        result.error =
            QStringLiteral("%1: is larger than %2 MiB").arg(name).arg(limits.maxFileBytes >> 20);
        return result;
    }
    const QByteArray bytes = file.readAll();
    if (bytes.size() != file.size()) {
        result.error = QStringLiteral("%1: could not be read completely").arg(name);
        return result;
    }
    return loadOraFromBytes(bytes, name, limits);
}

}  // namespace atelier::document
