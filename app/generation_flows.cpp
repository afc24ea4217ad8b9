#include "app/generation_flows.h"

#include "app/imaging/image_ops.h"
#include "app/imaging/qimage_conversion.h"

#include <QObject>

#include <algorithm>
#include <cmath>

namespace atelier::app {
namespace {

inference::GenerationRequest baseRequest(const GenerationSettings& s) {
    inference::GenerationRequest r;
    r.prompt = s.prompt.toStdString();
    r.negativePrompt = s.negativePrompt.toStdString();
    r.steps = std::max(1, s.steps);
    r.guidance = s.guidance;
    r.scheduler = s.sampler.toStdString();
    if (s.seed >= 0) r.seed = uint64_t(s.seed);
    return r;
}

InferenceJob makeJob(JobKind kind, const GenerationSettings& s, const QString& modelPath,
                     quint64 revision) {
    InferenceJob job;
    job.kind = kind;
    job.modelPath = modelPath;
    job.request = baseRequest(s);
    job.variations = std::max(1, s.variations);
    job.revision = revision;
    return job;
}

// The selection's pixels over `area` as an inpaint-style region.
document::InpaintRegion regionFromSelection(document::Document& doc, int padding) {
    document::InpaintRegion r;
    r.revision = doc.revision();
    const QRect bounds = doc.selection().contentBounds();
    if (bounds.isEmpty()) return r;
    r.area = bounds.adjusted(-padding, -padding, padding, padding) & doc.bounds();
    if (r.area.isEmpty()) return r;
    r.composite = doc.composite(r.area).convertToFormat(QImage::Format_RGBA8888);
    r.mask = doc.selection().toImage(r.area);
    return r;
}

QImage grey(const inference::ImageF& mask) { return toQImage(mask, QImageDepth::Bits8); }

}  // namespace

std::optional<InpaintPlan> planInpaint(document::Document& doc, const InpaintOptions& options,
                                       QString* whyNot) {
    // Room for prepareInpaint's own context and for growing the crop to the working aspect.
    const int padding = 2 * options.region.padding + options.maskGrow;
    InpaintPlan plan;
    plan.options = options;
    document::InpaintRegion region = doc.inpaintRegion(padding);
    if (region.area.isEmpty() && doc.hasSelection()) {
        region = regionFromSelection(doc, padding);
        plan.fromSelection = true;
    }
    if (region.area.isEmpty()) {
        if (whyNot)
            *whyNot = QObject::tr(
                "Paint a mask with the mask brush, or select an area, to show what to repaint.");
        return std::nullopt;
    }
    plan.area = region.area;
    plan.revision = region.revision;
    try {
        plan.job =
            prepareInpaint(imageFromQImage(region.composite), maskFromQImage(region.mask), options);
    } catch (const InpaintError& e) {
        if (whyNot) *whyNot = QString::fromStdString(e.what());
        return std::nullopt;
    }
    return plan;
}

InferenceJob inpaintJob(const InpaintPlan& plan, const GenerationSettings& settings,
                        const QString& modelPath) {
    InferenceJob job = makeJob(JobKind::Inpaint, settings, modelPath, plan.revision);
    job.request.image = plan.job.workingImage;
    job.request.mask = plan.job.workingMask;
    job.request.strength = std::clamp(settings.strength, 0.01, 1.0);
    return job;
}

InferenceJob txt2imgJob(const GenerationSettings& settings, const QString& modelPath, QSize target,
                        int nativeResolution, quint64 revision) {
    InferenceJob job = makeJob(JobKind::Txt2Img, settings, modelPath, revision);
    if (!target.isEmpty()) {
        InpaintRegionOptions o;
        o.nativeResolution = nativeResolution;
        const PixelSize size = workingSizeFor({target.width(), target.height()}, o);
        job.request.width = size.width;
        job.request.height = size.height;
    }
    return job;
}

InferenceJob depth2imgJob(const GenerationSettings& settings, const QString& modelPath,
                          const QImage& source, const QImage& depth, int nativeResolution,
                          quint64 revision) {
    InferenceJob job = makeJob(JobKind::Depth2Img, settings, modelPath, revision);
    InpaintRegionOptions o;
    o.nativeResolution = nativeResolution;
    const PixelSize working = workingSizeFor({source.width(), source.height()}, o);
    job.request.image = resizeImage(imageFromQImage(source), working);
    if (!depth.isNull()) job.request.depth = maskFromQImage(depth);  // its grey value, any size
    job.request.strength = std::clamp(settings.strength, 0.01, 1.0);
    return job;
}

void setJobMask(InferenceJob& job, const QImage& mask) {
    const inference::ImageF& image = job.request.image;
    job.request.mask = resizeMask(maskFromQImage(mask), {image.width, image.height});
}

QImage StagedVariation::preview() const {
    QImage out = rgb.convertToFormat(QImage::Format_RGBA8888);
    if (alpha.isNull()) return out;
    for (int y = 0; y < out.height(); ++y) {
        uchar* row = out.scanLine(y);
        const uchar* a = alpha.constScanLine(y);
        for (int x = 0; x < out.width(); ++x) row[x * 4 + 3] = a[x];
    }
    return out;
}

QVector<StagedVariation> stageInpaint(const InpaintPlan& plan, const JobResult& result) {
    QVector<StagedVariation> staged;
    for (const inference::GenerationResult& g : result.variations) {
        // The model returns its own size; the compositor wants the working size it was given.
        const PixelSize working = plan.job.region.workingSize;
        const inference::ImageF generated =
            (g.image.width == working.width && g.image.height == working.height)
                ? g.image
                : resizeImage(g.image, working);
        const InpaintPatch patch = finishInpaint(plan.job, generated, plan.options);
        StagedVariation v;
        v.rgb = toQImage(patch.rgb, QImageDepth::Bits8);
        v.alpha = grey(patch.alpha);
        v.topLeft = plan.area.topLeft() + QPoint(patch.rect.x, patch.rect.y);
        v.seed = qint64(g.seed);
        staged.push_back(std::move(v));
    }
    return staged;
}

QVector<StagedVariation> stageImages(const JobResult& result, const QRect& area,
                                     const QImage& selectionMask) {
    QVector<StagedVariation> staged;
    for (const inference::GenerationResult& g : result.variations) {
        StagedVariation v;
        v.rgb = toQImage(resizeImage(g.image, {area.width(), area.height()}), QImageDepth::Bits8);
        if (!selectionMask.isNull())
            v.alpha = selectionMask.convertToFormat(QImage::Format_Grayscale8);
        v.topLeft = area.topLeft();
        v.seed = qint64(g.seed);
        staged.push_back(std::move(v));
    }
    return staged;
}

document::Provenance provenanceFor(const GenerationSettings& settings, const JobResult& result,
                                   int variation, const QString& pipeline) {
    document::Provenance p;
    p.modelHash = result.modelHash;
    p.prompt = settings.prompt;
    p.negativePrompt = settings.negativePrompt;
    p.steps = settings.steps;
    p.guidanceScale = settings.guidance;
    p.pipeline = pipeline;
    if (variation >= 0 && variation < result.variations.size()) {
        const inference::GenerationResult& g = result.variations[variation];
        p.seed = qint64(g.seed);
        p.sampler = QString::fromStdString(g.scheduler);
        p.steps = g.stepsRun > 0 ? g.stepsRun : settings.steps;
    }
    if (p.sampler.isEmpty()) p.sampler = settings.sampler;
    if (pipeline != QLatin1String("txt2img")) p.strength = settings.strength;
    return p;
}

document::LayerPtr acceptAsLayer(document::Document& doc, const StagedVariation& variation,
                                 const document::Provenance& provenance, const QString& name) {
    document::LayerPtr layer = document::Layer::makePaint(name);
    layer->pixels.writeImage(variation.rgb, variation.topLeft);
    if (!variation.alpha.isNull()) {
        layer->mask.emplace(1, 255);  // as addLayerMask: outside the patch nothing is painted
        layer->mask->writeImage(variation.alpha, variation.topLeft);
    }
    layer->provenance = provenance;
    doc.addLayer(layer);  // the one undo step: the layer arrives complete
    return layer;
}

}  // namespace atelier::app
