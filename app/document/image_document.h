#pragma once
// Opening flat images (PNG, JPEG, TIFF, WebP) as documents and as new layers, through
// app/image_io's pixel budget.
#include "app/document/document.h"
#include "app/image_io.h"

#include <QString>

#include <memory>

namespace atelier::document {

struct ImageDocumentResult {
    std::unique_ptr<Document> document;  // null on failure
    QString error;                       // names the file and what is wrong
    bool ok() const { return document != nullptr; }
};

// A document the size of the image with one layer named after the file.
ImageDocumentResult openImageAsDocument(const QString& path, const ImageLimits& limits = {});
// A paint layer holding the image at `at` (not yet in any document).
LayerPtr layerFromImage(const QImage& image, const QString& name, QPoint at = {});

}  // namespace atelier::document
