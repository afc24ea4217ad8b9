// OpenRaster saving, written the way Krita, GIMP and MyPaint read it: mimetype first and stored,
// layers top first in stack.xml, straight-alpha PNGs cropped to their content with x/y offsets.
#include "app/document/ora.h"
#include "app/document/ora_names.h"

#include <QBuffer>
#include <QImageWriter>
#include <QXmlStreamWriter>

#include <zip.h>

#include <algorithm>
#include <vector>

namespace atelier::document {
namespace {

struct Member {
    QString name;
    QByteArray data;
    bool store;  // PNGs are compressed already; mimetype must be stored
};

QByteArray encodePng(const QImage& image, QString* error) {
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    if (!writer.write(image)) *error = writer.errorString();
    return out;
}

QString number(double v) { return QString::number(v, 'g', 6); }

class Writer {
public:
    explicit Writer(Document& doc) : doc_(doc) {}

    bool run(QString* error) {
        members_.push_back({QStringLiteral("mimetype"), QByteArray(ora::kMimetype.data()), true});
        QByteArray xml;
        QXmlStreamWriter w(&xml);
        w.setAutoFormatting(true);
        w.setAutoFormattingIndent(1);
        w.writeStartDocument();
        w.writeStartElement(QStringLiteral("image"));
        w.writeAttribute(QStringLiteral("version"), QStringLiteral("0.0.5"));
        w.writeAttribute(QStringLiteral("w"), QString::number(doc_.size().width()));
        w.writeAttribute(QStringLiteral("h"), QString::number(doc_.size().height()));
        // xsd:int, at least 1, as the spec says.
        w.writeAttribute(QStringLiteral("xres"),
                         QString::number(std::max(1, qRound(doc_.xResolution))));
        w.writeAttribute(QStringLiteral("yres"),
                         QString::number(std::max(1, qRound(doc_.yResolution))));
        w.writeAttribute(ora::kXmlnsAtelier, QLatin1String(kAtelierNamespace));
        if (!doc_.inpaintMask().isEmpty()) {
            const QRect r = doc_.inpaintMask().contentBounds();
            if (!r.isEmpty()) {
                const QString src = QStringLiteral("data/inpaint-mask.png");
                if (!addPng(src, doc_.inpaintMask().toImage(r), error)) return false;
                w.writeAttribute(ora::kInpaintMaskSrc, src);
                w.writeAttribute(ora::kInpaintMaskX, QString::number(r.x()));
                w.writeAttribute(ora::kInpaintMaskY, QString::number(r.y()));
            }
        }
        writeForeign(w, doc_.imageForeignAttributes);
        w.writeStartElement(QStringLiteral("stack"));
        writeForeign(w, doc_.root().foreignAttributes);
        if (!writeChildren(w, doc_.root(), error)) return false;
        w.writeEndElement();  // stack
        w.writeEndElement();  // image
        w.writeEndDocument();
        members_.insert(members_.begin() + 1, {QStringLiteral("stack.xml"), xml, false});

        // Other programs' members (strokemaps, background tiles) go back under their names,
        // unless Atelier now writes a member of that name itself.
        for (auto it = doc_.foreignMembers.cbegin(); it != doc_.foreignMembers.cend(); ++it) {
            const bool taken = std::any_of(members_.begin(), members_.end(),
                                           [&](const Member& m) { return m.name == it.key(); });
            const bool reserved = it.key() == QLatin1String("mergedimage.png") ||
                                  it.key() == QLatin1String("Thumbnails/thumbnail.png");
            if (!taken && !reserved) members_.push_back({it.key(), it.value(), false});
        }
        const QImage merged = doc_.flatten().convertToFormat(QImage::Format_RGBA8888);
        if (!addPng(QStringLiteral("mergedimage.png"), merged, error)) return false;
        const QImage thumb =
            (merged.width() > 256 || merged.height() > 256)
                ? doc_.flatten()
                      .scaled(256, 256, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                      .convertToFormat(QImage::Format_RGBA8888)
                : merged;
        return addPng(QStringLiteral("Thumbnails/thumbnail.png"), thumb, error);
    }

    const std::vector<Member>& members() const { return members_; }

private:
    bool addPng(const QString& name, const QImage& image, QString* error) {
        QString why;
        QByteArray png = encodePng(image, &why);
        if (!why.isEmpty() || png.isEmpty()) {
            *error = QStringLiteral("%1: PNG encoding failed (%2)").arg(name, why);
            return false;
        }
        members_.push_back({name, std::move(png), true});
        return true;
    }

    static void writeForeign(QXmlStreamWriter& w, const QVector<ForeignAttribute>& attrs) {
        for (const ForeignAttribute& a : attrs) {
            if (a.qualifiedName == ora::kXmlnsAtelier) continue;
            w.writeAttribute(a.qualifiedName, a.value);
        }
    }

    void writeCommon(QXmlStreamWriter& w, const Layer& l) {
        w.writeAttribute(QStringLiteral("name"), l.props.name);
        w.writeAttribute(QStringLiteral("visibility"),
                         l.props.visible ? QStringLiteral("visible") : QStringLiteral("hidden"));
        w.writeAttribute(QStringLiteral("opacity"), number(l.props.opacity));
        QString op = oraCompositeOp(l.props.mode);
        if (l.props.mode == BlendMode::Normal && !l.unknownCompositeOp.isEmpty())
            op = l.unknownCompositeOp;
        w.writeAttribute(QStringLiteral("composite-op"), op);
        if (l.selected) w.writeAttribute(QStringLiteral("selected"), QStringLiteral("true"));
        if (l.props.editLocked)
            w.writeAttribute(QStringLiteral("edit-locked"), QStringLiteral("true"));
        const Provenance& p = l.provenance;
        auto text = [&](const QLatin1String& key, const QString& v) {
            if (!v.isEmpty()) w.writeAttribute(key, v);
        };
        text(ora::kModelHash, p.modelHash);
        text(ora::kPrompt, p.prompt);
        text(ora::kNegativePrompt, p.negativePrompt);
        text(ora::kSampler, p.sampler);
        text(ora::kPipeline, p.pipeline);
        if (p.seed >= 0) w.writeAttribute(ora::kSeed, QString::number(p.seed));
        if (p.steps > 0) w.writeAttribute(ora::kSteps, QString::number(p.steps));
        if (p.strength >= 0) w.writeAttribute(ora::kStrength, number(p.strength));
        if (p.guidanceScale >= 0) w.writeAttribute(ora::kGuidanceScale, number(p.guidanceScale));
    }

    // A layer's pixels as a straight-alpha PNG cropped to their content (*at: where it goes).
    bool addLayerPng(const QString& src, const TileGrid& pixels, QRect* at, QString* error) {
        QRect r = pixels.contentBounds();
        if (r.isEmpty()) r = QRect(0, 0, 1, 1);
        *at = r;
        QImage image = pixels.toImage(r);
        image.convertTo(QImage::Format_RGBA8888);  // straight alpha, in place
        return addPng(src, image, error);
    }

    static TileGrid masked(const TileGrid& pixels, const TileGrid& mask) {
        TileGrid out = pixels;
        for (const TileCoord& c : pixels.tileCoords()) {
            const TilePtr m = mask.tile(c);
            if (!m && mask.fill() == 255) continue;
            Tile* t = out.writableTile(c);
            for (int p = 0; p < kTileSize * kTileSize; ++p) {
                const int k = m ? m->bytes[size_t(p)] : mask.fill();
                for (int ch = 0; ch < 4; ++ch) {
                    uint8_t& v = t->bytes[size_t(p) * 4 + ch];
                    v = uint8_t((v * k + 127) / 255);
                }
            }
        }
        out.dropFillTiles();
        return out;
    }

    // A layer mask as a grey PNG cropped to where it hides anything, with atelier:* attributes.
    bool writeMask(QXmlStreamWriter& w, const TileGrid& mask, const QString& src, QString* error) {
        QRect m = mask.contentBounds();
        if (m.isEmpty()) m = QRect(0, 0, 1, 1);
        if (!addPng(src, mask.toImage(m), error)) return false;
        w.writeAttribute(ora::kMaskSrc, src);
        w.writeAttribute(ora::kMaskX, QString::number(m.x()));
        w.writeAttribute(ora::kMaskY, QString::number(m.y()));
        return true;
    }

    bool writeChildren(QXmlStreamWriter& w, const Layer& group, QString* error) {
        const auto& kids = group.children();
        for (auto it = kids.rbegin(); it != kids.rend(); ++it) {  // stack.xml lists the top first
            const Layer& l = **it;
            if (l.isGroup()) {
                w.writeStartElement(QStringLiteral("stack"));
                writeCommon(w, l);
                w.writeAttribute(QStringLiteral("isolation"), l.props.passThrough
                                                                  ? QStringLiteral("auto")
                                                                  : QStringLiteral("isolate"));
                if (l.mask && !writeMask(w, *l.mask,
                                         QStringLiteral("data/group-mask-%1.png")
                                             .arg(groupNumber_++, 3, 10, QLatin1Char('0')),
                                         error))
                    return false;
                writeForeign(w, l.foreignAttributes);
                if (!writeChildren(w, l, error)) return false;
                w.writeEndElement();
                continue;
            }
            const int n = layerNumber_++;
            const QString number = QStringLiteral("%1").arg(n, 3, 10, QLatin1Char('0'));
            // Other programs do not know Atelier's masks: src shows them the masked pixels,
            // and the pixels themselves go beside it.
            const TileGrid shown = l.mask ? masked(l.pixels, *l.mask) : l.pixels;
            QRect r;
            const QString src = QStringLiteral("data/layer-%1.png").arg(number);
            if (!addLayerPng(src, shown, &r, error)) return false;
            w.writeStartElement(QStringLiteral("layer"));
            w.writeAttribute(QStringLiteral("src"), src);
            w.writeAttribute(QStringLiteral("x"), QString::number(r.x()));
            w.writeAttribute(QStringLiteral("y"), QString::number(r.y()));
            if (l.mask) {
                const QString raw = QStringLiteral("data/layer-%1-unmasked.png").arg(number);
                QRect u;
                if (!addLayerPng(raw, l.pixels, &u, error)) return false;
                w.writeAttribute(ora::kUnmaskedSrc, raw);
                w.writeAttribute(ora::kUnmaskedX, QString::number(u.x()));
                w.writeAttribute(ora::kUnmaskedY, QString::number(u.y()));
            }
            writeCommon(w, l);
            if (l.props.lockAlpha)
                w.writeAttribute(QStringLiteral("alpha-preserve"), QStringLiteral("true"));
            if (l.mask &&
                !writeMask(w, *l.mask,
                           QStringLiteral("data/mask-%1.png").arg(n, 3, 10, QLatin1Char('0')),
                           error))
                return false;
            writeForeign(w, l.foreignAttributes);
            w.writeEndElement();
        }
        return true;
    }

    Document& doc_;
    std::vector<Member> members_;
    int layerNumber_ = 0;
    int groupNumber_ = 0;
};

QByteArray zipMembers(const std::vector<Member>& members, QString* error) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &ze);
    if (!out) {
        *error = QStringLiteral("cannot create the archive (%1)")
                     .arg(QString::fromUtf8(zip_error_strerror(&ze)));
        zip_error_fini(&ze);
        return {};
    }
    zip_source_keep(out);  // it must survive zip_close to be read back
    zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
    auto fail = [&](const QString& why) {
        *error = QStringLiteral("cannot create the archive (%1)").arg(why);
        if (za) zip_discard(za);
        zip_source_free(out);
        zip_error_fini(&ze);
        return QByteArray();
    };
    if (!za) return fail(QString::fromUtf8(zip_error_strerror(&ze)));
    for (const Member& m : members) {
        // The data outlives zip_close (members is alive), so libzip need not copy it.
        zip_source_t* src =
            zip_source_buffer(za, m.data.constData(), zip_uint64_t(m.data.size()), 0);
        const QByteArray name = m.name.toUtf8();
        const zip_int64_t idx =
            src ? zip_file_add(za, name.constData(), src, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (src) zip_source_free(src);
            return fail(QString::fromUtf8(zip_strerror(za)));
        }
        zip_set_file_compression(za, zip_uint64_t(idx), m.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    }
    if (zip_close(za) != 0) return fail(QString::fromUtf8(zip_strerror(za)));
    za = nullptr;
    QByteArray bytes;
    zip_stat_t st;
    if (zip_source_stat(out, &st) == 0 && zip_source_open(out) == 0) {
        bytes.resize(qsizetype(st.size));
        const zip_int64_t got = zip_source_read(out, bytes.data(), st.size);
        zip_source_close(out);
        if (got != zip_int64_t(st.size)) bytes.clear();
    }
    zip_source_free(out);
    zip_error_fini(&ze);
    if (bytes.isEmpty()) *error = QStringLiteral("cannot read back the archive");
    return bytes;
}

}  // namespace

QByteArray encodeOra(Document& document, QString* error) {
    Writer writer(document);
    if (!writer.run(error)) return {};
    return zipMembers(writer.members(), error);
}

QString saveOra(Document& document, const QString& path, const AtomicWriteOptions& options) {
    QString error;
    // A stroke still being painted is not saved half-done: encode the last completed state.
    const std::unique_ptr<Document> state = document.snapshot();
    const QByteArray bytes = encodeOra(*state, &error);
    if (bytes.isEmpty()) return QStringLiteral("%1: %2").arg(path, error);
    return writeFileAtomically(path, bytes, options);
}

}  // namespace atelier::document
