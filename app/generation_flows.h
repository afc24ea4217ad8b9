#pragma once
// The document side of the AI flows, between the document, the image side (app/imaging) and the
// inference worker: what a request takes from the document, and how a result comes back as a
// layer. QtCore/QtGui only, so the flows can be tested without widgets.
//
//   inpaint:  inpaint mask (or the selection) -> planInpaint -> inpaintJob -> worker ->
//             stageInpaint (finishInpaint per variation) -> acceptAsLayer (one undo step)
//   txt2img:  txt2imgJob -> worker -> stageImage (into the selection, or the canvas) -> accept
//   restyle:  depth2imgJob (the current layer, the "Depth" layer's pixels as its depth)
#include "app/document/document.h"
#include "app/imaging/inpaint_compositor.h"
#include "app/inference_worker.h"

#include <QImage>
#include <QPoint>
#include <QString>
#include <QVector>

#include <optional>

namespace atelier::app {

// What the artist set in the AI panel.
struct GenerationSettings {
    QString prompt;
    QString negativePrompt;
    double strength = 1.0;
    int steps = 25;
    qint64 seed = -1;  // -1: random
    QString sampler;   // "" = the model's own scheduler
    int variations = 1;
    double guidance = 7.5;
};

// An inpainting request cut out of the document.
struct InpaintPlan {
    QRect area;  // document pixels the job's images cover (mask bounds + context)
    InpaintJob job;
    InpaintOptions options;
    quint64 revision = 0;
    bool fromSelection = false;
};

// Plans an inpainting request from the inpaint mask, or the selection when no mask is painted.
// Nullopt with *whyNot set when there is neither (or the mask is empty).
std::optional<InpaintPlan> planInpaint(document::Document& doc, const InpaintOptions& options,
                                       QString* whyNot);

InferenceJob inpaintJob(const InpaintPlan& plan, const GenerationSettings& settings,
                        const QString& modelPath);
// Text to image at about the model's native resolution, in the aspect of `target` (the
// selection's bounds or the canvas).
InferenceJob txt2imgJob(const GenerationSettings& settings, const QString& modelPath, QSize target,
                        int nativeResolution, quint64 revision);
// Depth restyle of `source` (a layer's pixels over the canvas), resized to about the model's
// native resolution in its aspect; depth: a supplied depth map (any size; grey, white = near),
// empty: the model's DPT estimates it.
InferenceJob depth2imgJob(const GenerationSettings& settings, const QString& modelPath,
                          const QImage& source, const QImage& depth, int nativeResolution,
                          quint64 revision);
// Restricts an image job to a mask (grey, white = repaint) over the job's source image.
void setJobMask(InferenceJob& job, const QImage& mask);

// One variation ready to be accepted: RGB (opaque) at `topLeft` with a paste alpha.
struct StagedVariation {
    QImage rgb;    // Format_RGB888
    QImage alpha;  // Format_Grayscale8, same size; null = fully opaque
    QPoint topLeft;
    qint64 seed = -1;
    QImage preview() const;  // the variation as it would look (RGBA8888, straight alpha)
};

// finishInpaint for every variation of the result (colour-matched, feathered).
QVector<StagedVariation> stageInpaint(const InpaintPlan& plan, const JobResult& result);
// The results resized to `area` (alpha from the selection when `selectionMask` is not null).
QVector<StagedVariation> stageImages(const JobResult& result, const QRect& area,
                                     const QImage& selectionMask = {});

document::Provenance provenanceFor(const GenerationSettings& settings, const JobResult& result,
                                   int variation, const QString& pipeline);

// Adds the variation as a new layer on top: its pixels over the variation's rectangle and its
// alpha as the layer mask (so the artist can refine the edge), carrying `provenance`. One undo
// step; returns the layer.
document::LayerPtr acceptAsLayer(document::Document& doc, const StagedVariation& variation,
                                 const document::Provenance& provenance, const QString& name);

}  // namespace atelier::app
