#include "app/document/image_document.h"

#include <QFileInfo>

namespace atelier::document {

LayerPtr layerFromImage(const QImage& image, const QString& name, QPoint at) {
    LayerPtr layer = Layer::makePaint(name);
    layer->pixels.writeImage(image.convertToFormat(QImage::Format_RGBA8888_Premultiplied), at);
    return layer;
}

ImageDocumentResult openImageAsDocument(const QString& path, const ImageLimits& limits) {
    ImageDocumentResult result;
    ImageLoadResult image = loadImage(path, limits);
    if (!image.ok()) {
        result.error = image.error;
        return result;
    }
    result.document = std::make_unique<Document>(image.image.size());
    result.document->root().insertChild(
        0, layerFromImage(image.image, QFileInfo(path).completeBaseName()));
    result.document->markAllDirty();
    return result;
}

}  // namespace atelier::document
