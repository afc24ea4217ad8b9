#pragma once
// The brush engine's Surface over a document channel: each dab is rasterised tile by tile
// through PixelEdit::paintTiles (brushes/README.md, "The seam with the document"). One stroke is
// one BrushSurface over one PixelEdit, so one undo step; endAtomic() previews the tiles the
// event's dabs touched, so the canvas recomposites only those.
#include "app/document/pixel_edit.h"
#include "brushes/surface.h"

namespace atelier::document {

class BrushSurface : public brushes::Surface {
public:
    explicit BrushSurface(PixelEdit& edit);

    void drawDab(const brushes::Dab& dab) override;
    // Averages the channel as this stroke left it so far (a grey channel reads as white with
    // the mask value as alpha).
    brushes::ColorF sampleColor(float x, float y, float radius) override;
    void endAtomic() override;

    // Pixel area the dabs touched since the stroke began.
    QRect paintedArea() const { return painted_; }

private:
    PixelEdit& edit_;
    brushes::PixelFormat format_;
    QRect painted_;
};

}  // namespace atelier::document
