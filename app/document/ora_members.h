#pragma once
// Archive members of an OpenRaster file beyond stack.xml: decoding image members under the
// pixel budgets, keeping the members other programs' attributes refer to, and MyPaint's tiled
// background layer.
#include "app/document/document.h"
#include "app/document/ora.h"
#include "app/document/zip_reader.h"

#include <QImage>
#include <QString>
#include <QStringList>

namespace atelier::document {

// A member name as stack.xml may use it: relative, forward slashes, no "..", no drive letter.
bool isSafeMemberName(const QString& name);

// Decodes image members after checking their declared size; counts pixels across members
// against limits.maxTotalLayerPixels.
struct MemberDecoder {
    ZipReader& zip;
    const OraLimits& limits;
    qint64 totalPixels = 0;
    qint64 tileBytes = 0;
    // false with *error ("src: what is wrong") on failure.
    bool decode(const QString& src, QImage& image, QString* error);
    // Counts the tiles that storing `area` in a grid of `channels` takes against
    // limits.maxTileBytes (an upper bound: tiles already stored are counted again).
    bool reserveTiles(const QRect& area, int channels, QString* error);
};

// Copies into document.foreignMembers every member named by a foreign attribute (of the image
// or any layer), so that writing those attributes back keeps them valid. At most maxBytes in all;
// what does not fit is reported in warnings.
void keepForeignMembers(ZipReader& zip, Document& document, qint64 maxBytes, QStringList& warnings);

// MyPaint's background layer (attribute background_tile or mypaint:background-tile) is one tile
// repeated over the canvas; newer versions store only the tile as src. Fills the canvas with it
// unless the layer already covers the canvas. false with *error if the tile cannot be decoded.
bool expandMyPaintBackground(Layer& layer, const QRect& canvas, MemberDecoder& decoder,
                             QString* error);

}  // namespace atelier::document
