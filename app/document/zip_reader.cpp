#include "app/document/zip_reader.h"

#include <zip.h>

#include <algorithm>

namespace atelier::document {

struct ZipReader::Impl {
    QByteArray data;  // libzip reads from this buffer; it must outlive the archive
    zip_t* archive = nullptr;
    ~Impl() {
        if (archive) zip_discard(archive);
    }
};

namespace {
QString libzipError(zip_error_t* e) { return QString::fromUtf8(zip_error_strerror(e)); }
}  // namespace

std::unique_ptr<ZipReader> ZipReader::open(QByteArray data, const ZipLimits& limits,
                                           QString* error) {
    std::unique_ptr<ZipReader> reader(new ZipReader);
    reader->limits_ = limits;
    reader->impl_ = std::make_unique<Impl>();
    reader->impl_->data = std::move(data);
    zip_error_t ze;
    zip_error_init(&ze);
    const QByteArray& bytes = reader->impl_->data;
    zip_source_t* src =
        zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &ze);
    if (!src) {
        *error = QStringLiteral("cannot read the archive (%1)").arg(libzipError(&ze));
        zip_error_fini(&ze);
        return nullptr;
    }
    // Without ZIP_CHECKCONS: other programs' writers differ in small ways between local and
    // central headers, and nothing here trusts either (sizes are counted while inflating,
    // members are read only by exact name, CRCs are checked on read).
    zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!za) {
        zip_source_free(src);
        *error = QStringLiteral("not a valid zip archive (%1)").arg(libzipError(&ze));
        zip_error_fini(&ze);
        return nullptr;
    }
    zip_error_fini(&ze);
    reader->impl_->archive = za;
    const zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || n > limits.maxEntries) {
        *error = QStringLiteral("the archive has %1 entries, more than the %2 allowed")
                     .arg(n)
                     .arg(limits.maxEntries);
        return nullptr;
    }
    for (zip_int64_t i = 0; i < n; ++i) {
        const char* name = zip_get_name(za, zip_uint64_t(i), ZIP_FL_ENC_GUESS);
        reader->names_.push_back(name ? QString::fromUtf8(name) : QString());
    }
    return reader;
}

ZipReader::~ZipReader() = default;

bool ZipReader::isStored(int index) const {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(impl_->archive, zip_uint64_t(index), 0, &st) != 0) return false;
    return (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_STORE;
}

std::optional<QByteArray> ZipReader::read(const QString& name, QString* error, qint64 maxBytes) {
    const qint64 cap =
        maxBytes >= 0 ? std::min(maxBytes, limits_.maxEntryBytes) : limits_.maxEntryBytes;
    const int index = indexOf(name);
    if (index < 0) {
        *error = QStringLiteral("%1: no such member in the archive").arg(name);
        return std::nullopt;
    }
    zip_file_t* f = zip_fopen_index(impl_->archive, zip_uint64_t(index), 0);
    if (!f) {
        *error = QStringLiteral("%1: cannot be opened (%2)")
                     .arg(name, QString::fromUtf8(zip_strerror(impl_->archive)));
        return std::nullopt;
    }
    // The sizes in the headers may lie (zip bombs): count what actually comes out.
    QByteArray out;
    char chunk[1 << 16];
    for (;;) {
        const zip_int64_t got = zip_fread(f, chunk, sizeof chunk);
        if (got < 0) {
            *error = QStringLiteral("%1: damaged data (%2)")
                         .arg(name, QString::fromUtf8(zip_file_strerror(f)));
            zip_fclose(f);
            return std::nullopt;
        }
        if (got == 0) break;
        if (out.size() + got > cap) {
            *error =
                cap >= (1 << 20)
                    ? QStringLiteral("%1: decompresses to more than %2 MiB")
                          .arg(name)
                          .arg(cap >> 20)
                    : QStringLiteral("%1: decompresses to more than %2 bytes").arg(name).arg(cap);
            zip_fclose(f);
            return std::nullopt;
        }
        if (totalRead_ + got > limits_.maxTotalBytes) {
            *error = QStringLiteral("%1: the archive decompresses to more than %2 MiB in all")
                         .arg(name)
                         .arg(limits_.maxTotalBytes >> 20);
            zip_fclose(f);
            return std::nullopt;
        }
        out.append(chunk, int(got));
        totalRead_ += got;
    }
    zip_fclose(f);
    return out;
}

}  // namespace atelier::document
