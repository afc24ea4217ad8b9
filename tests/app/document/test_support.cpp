#include "test_support.h"

#include <QBuffer>
#include <QImageWriter>

#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace atelier::document::test {

QByteArray makeZip(const std::vector<ZipEntry>& entries) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &ze);
    zip_source_keep(out);
    zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
    if (!za) throw std::runtime_error("zip_open_from_source failed");
    for (const ZipEntry& e : entries) {
        zip_source_t* src =
            zip_source_buffer(za, e.data.constData(), zip_uint64_t(e.data.size()), 0);
        const zip_int64_t idx =
            zip_file_add(za, e.name.toUtf8().constData(), src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) throw std::runtime_error(zip_strerror(za));
        zip_set_file_compression(za, zip_uint64_t(idx), e.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    }
    if (zip_close(za) != 0) throw std::runtime_error("zip_close failed");
    zip_stat_t st;
    zip_source_stat(out, &st);
    zip_source_open(out);
    QByteArray bytes(qsizetype(st.size), '\0');
    zip_source_read(out, bytes.data(), st.size);
    zip_source_close(out);
    zip_source_free(out);
    return bytes;
}

QByteArray pngOf(const QImage& image) {
    QByteArray out;
    QBuffer b(&out);
    b.open(QIODevice::WriteOnly);
    QImageWriter(&b, "png").write(image);
    return out;
}

QByteArray solidPng(int w, int h, QColor color) {
    QImage image(w, h, QImage::Format_RGBA8888);
    image.fill(color);
    return pngOf(image);
}

void fillRect(Layer& layer, const QRect& r, QColor color) {
    QImage image(r.size(), QImage::Format_RGBA8888);
    image.fill(color);
    layer.pixels.writeImage(image.convertToFormat(QImage::Format_RGBA8888_Premultiplied),
                            r.topLeft());
}

QColor straightAt(const QImage& premultiplied, int x, int y) {
    return premultiplied.convertToFormat(QImage::Format_RGBA8888).pixelColor(x, y);
}

bool closeTo(QColor a, QColor b, int tol) {
    return std::abs(a.red() - b.red()) <= tol && std::abs(a.green() - b.green()) <= tol &&
           std::abs(a.blue() - b.blue()) <= tol && std::abs(a.alpha() - b.alpha()) <= tol;
}

int maxDifference(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 256;
    const QImage x = a.convertToFormat(QImage::Format_RGBA8888);
    const QImage y = b.convertToFormat(QImage::Format_RGBA8888);
    int worst = 0;
    for (int row = 0; row < x.height(); ++row) {
        const uchar* p = x.constScanLine(row);
        const uchar* q = y.constScanLine(row);
        for (int i = 0; i < x.width() * 4; ++i) {
            // Colour under zero alpha is meaningless: compare alpha only there.
            const int px = i / 4 * 4;
            if ((i % 4) != 3 && p[px + 3] == 0 && q[px + 3] == 0) continue;
            worst = std::max(worst, std::abs(int(p[i]) - int(q[i])));
        }
    }
    return worst;
}

}  // namespace atelier::document::test
