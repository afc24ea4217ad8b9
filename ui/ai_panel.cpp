#include "ui/ai_panel.h"

#include "app/imaging/qimage_conversion.h"
#include "inference/sd2_model.h"
#include "ui/model_dialog.h"
#include "ui/staging_strip.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace atelier::ui {
namespace {

QString settingsKey(AiPanel::Mode mode) {
    switch (mode) {
        case AiPanel::Mode::Inpaint:
            return QStringLiteral("models/inpainting");
        case AiPanel::Mode::TextToImage:
            return QStringLiteral("models/txt2img");
        case AiPanel::Mode::DepthRestyle:
            break;
    }
    return QStringLiteral("models/depth");
}
const QString kDepthLayerName = QStringLiteral("Depth");
const QString kUpscalerKey = QStringLiteral("models/upscaler");

QString jobName(AiPanel::Mode mode) {
    switch (mode) {
        case AiPanel::Mode::Inpaint:
            return QObject::tr("inpainting");
        case AiPanel::Mode::TextToImage:
            return QObject::tr("text to image");
        case AiPanel::Mode::DepthRestyle:
            break;
    }
    return QObject::tr("depth restyle");
}

QString modelKind(AiPanel::Mode mode) {
    switch (mode) {
        case AiPanel::Mode::Inpaint:
            return QObject::tr("512-inpainting");
        case AiPanel::Mode::TextToImage:
            return QObject::tr("512-base or 768-v");
        case AiPanel::Mode::DepthRestyle:
            break;
    }
    return QObject::tr("512-depth");
}

// The top-most layer named "Depth": the depth the artist may have painted or replaced.
document::LayerPtr findDepthLayer(const document::Document& doc) {
    const QVector<document::LayerPtr> layers = doc.allLayers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
        if (!(*it)->isGroup() && (*it)->props.name == kDepthLayerName) return *it;
    return nullptr;
}

// depth2img's conditioning depth ([-1, 1], near = high) as a grey picture at `size`.
QImage depthPicture(const inference::ImageF& depth, QSize size) {
    inference::ImageF grey = depth;
    for (float& v : grey.data) v = std::clamp((v + 1.f) * 0.5f, 0.f, 1.f);
    const QImage small = app::toQImage(grey, app::QImageDepth::Bits8);
    return small.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
        .convertToFormat(QImage::Format_RGB888);
}

}  // namespace

// The job in flight, and what its result will be staged against.
struct AiPanel::Pending {
    Mode mode = Mode::Inpaint;
    app::GenerationSettings settings;
    std::optional<app::InpaintPlan> plan;  // inpaint
    QRect area;                            // document pixels the result covers
    QRect previewArea;                     // where the live preview (the working image) lies
    QImage selectionMask;                  // txt2img into a selection
    bool addDepthLayer = false;            // restyle without a "Depth" layer: show the DPT's
    app::JobResult result;
};

AiPanel::AiPanel(app::InferenceWorker* worker, QWidget* parent) : QWidget(parent), worker_(worker) {
    setObjectName(QStringLiteral("aiPanel"));
    buildUi();
    if (worker_) {
        worker_->setRevisionSource([this] { return doc_ ? doc_->revision() : 0; });
        connect(worker_, &app::InferenceWorker::jobProgress, this, &AiPanel::onProgress);
        connect(worker_, &app::InferenceWorker::jobFinished, this, &AiPanel::onFinished);
        connect(worker_, &app::InferenceWorker::jobFailed, this,
                [this](quint64 id, const QString& m) { onEnded(id, m); });
        connect(worker_, &app::InferenceWorker::jobCancelled, this,
                [this](quint64 id) { onEnded(id, tr("Cancelled.")); });
        connect(worker_, &app::InferenceWorker::jobDropped, this, [this](quint64 id) {
            onEnded(id, tr("The picture changed while generating, so the result was dropped. "
                           "Generate again."));
        });
    }
    updateHint();
}

AiPanel::~AiPanel() {
    if (worker_ && currentJob_) worker_->cancel(currentJob_);
    if (worker_) worker_->setRevisionSource({});
}

void AiPanel::buildUi() {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    modeBox_ = new QComboBox(this);
    modeBox_->addItem(tr("Inpaint (mask or selection)"));
    modeBox_->addItem(tr("Text to image (new layer)"));
    modeBox_->addItem(tr("Depth restyle (current layer)"));
    form->addRow(tr("Job"), modeBox_);
    modelLabel_ = new QLabel(this);
    modelLabel_->setWordWrap(true);
    auto* choose = new QPushButton(tr("Choose model..."), this);
    form->addRow(tr("Model"), modelLabel_);
    form->addRow(QString(), choose);
    hint_ = new QLabel(this);
    hint_->setObjectName(QStringLiteral("modelHint"));
    hint_->setWordWrap(true);
    // Outside the form: a form row gives a wrapped label too little height and clips it.
    auto* formTop = form;
    form = new QFormLayout;
    prompt_ = new QPlainTextEdit(this);
    prompt_->setPlaceholderText(tr("What to paint"));
    prompt_->setMaximumHeight(70);
    form->addRow(tr("Prompt"), prompt_);
    negative_ = new QLineEdit(this);
    negative_->setPlaceholderText(tr("What to avoid"));
    form->addRow(tr("Negative"), negative_);
    strength_ = new QDoubleSpinBox(this);
    strength_->setRange(0.05, 1.0);
    strength_->setSingleStep(0.05);
    strength_->setValue(1.0);
    form->addRow(tr("Strength"), strength_);
    steps_ = new QSpinBox(this);
    steps_->setRange(1, 150);
    steps_->setValue(25);
    form->addRow(tr("Steps"), steps_);
    seed_ = new QSpinBox(this);
    seed_->setRange(-1, std::numeric_limits<int>::max());
    seed_->setValue(-1);
    seed_->setSpecialValueText(tr("random"));
    form->addRow(tr("Seed"), seed_);
    sampler_ = new QComboBox(this);
    sampler_->addItem(tr("model default"), QString());
    for (const char* s : {"ddim", "euler", "euler_a", "dpmpp_2m_karras", "ddpm", "pndm"})
        sampler_->addItem(QString::fromLatin1(s), QString::fromLatin1(s));
    form->addRow(tr("Sampler"), sampler_);
    variations_ = new QSpinBox(this);
    variations_->setRange(1, 8);
    variations_->setValue(2);
    form->addRow(tr("Variations"), variations_);
    layout->addLayout(formTop);
    layout->addWidget(hint_);
    layout->addLayout(form);
    generate_ = new QPushButton(tr("Generate"), this);
    cancel_ = new QPushButton(tr("Cancel (Esc)"), this);
    cancel_->setEnabled(false);
    layout->addWidget(generate_);
    layout->addWidget(cancel_);
    progress_ = new QProgressBar(this);
    progress_->setVisible(false);
    layout->addWidget(progress_);
    previewLabel_ = new QLabel(this);
    previewLabel_->setAlignment(Qt::AlignCenter);
    layout->addWidget(previewLabel_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    layout->addWidget(status_);
    strip_ = new StagingStrip(this);
    layout->addWidget(strip_);
    layout->addStretch(1);

    auto* escape = new QAction(this);
    escape_ = escape;
    escape->setEnabled(false);  // only while a job runs or variations wait: Esc is the tools' too
    escape->setShortcut(Qt::Key_Escape);
    escape->setShortcutContext(Qt::WindowShortcut);
    // Esc cancels the running job, else drops staged variations (the strip's own Esc key never
    // arrives while this window shortcut exists).
    connect(escape, &QAction::triggered, this, [this] {
        if (isRunning())
            cancel();
        else
            discardVariations();
    });
    addAction(escape);

    connect(modeBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this] { updateHint(); });
    connect(choose, &QPushButton::clicked, this, &AiPanel::chooseModel);
    connect(generate_, &QPushButton::clicked, this, [this] { generate(); });
    connect(cancel_, &QPushButton::clicked, this, &AiPanel::cancel);
    connect(strip_, &StagingStrip::currentChanged, this, &AiPanel::showStaged);
    connect(strip_, &StagingStrip::accepted, this, &AiPanel::acceptVariation);
    connect(strip_, &StagingStrip::discarded, this, &AiPanel::discardVariations);
}

void AiPanel::setDocument(document::Document* doc) {
    if (doc_ == doc) return;
    if (currentJob_ && worker_) worker_->cancel(currentJob_);
    discardVariations();
    doc_ = doc;
    updateHint();
}

void AiPanel::setStagingParent(QWidget* canvas) {
    strip_->setParent(canvas ? canvas : this);  // placed when variations arrive
    if (!canvas) layout()->addWidget(strip_);
    strip_->setVisible(!staged_.isEmpty());
}

void AiPanel::setMode(Mode mode) { modeBox_->setCurrentIndex(int(mode)); }
AiPanel::Mode AiPanel::mode() const { return Mode(modeBox_->currentIndex()); }

QString AiPanel::modelFor(Mode mode) const {
    return QSettings().value(settingsKey(mode)).toString();
}
QString AiPanel::upscalerModel() const { return QSettings().value(kUpscalerKey).toString(); }

QString AiPanel::useModel(const QString& path) {
    std::string variant;
    try {
        variant = inference::Sd2Model::open(path.toStdString()).summary().variant;
    } catch (const std::exception& e) {
        const QString error = QString::fromStdString(e.what());
        setStatus(error);
        return error;
    }
    QSettings settings;
    if (variant == "inpainting") {
        settings.setValue(settingsKey(Mode::Inpaint), path);
        setMode(Mode::Inpaint);
    } else if (variant == "txt2img-eps" || variant == "txt2img-v") {
        settings.setValue(settingsKey(Mode::TextToImage), path);
        setMode(Mode::TextToImage);
    } else if (variant == "depth") {
        settings.setValue(settingsKey(Mode::DepthRestyle), path);
        setMode(Mode::DepthRestyle);
    } else if (variant == "x4-upscaler") {
        settings.setValue(kUpscalerKey, path);
    } else {
        const QString error = tr("%1 is a %2 model; this panel uses inpainting, text-to-image and "
                                 "depth models (and the x4 upscaler for prints).")
                                  .arg(QFileInfo(path).fileName(), QString::fromStdString(variant));
        setStatus(error);
        return error;
    }
    ModelDialog::rememberModel(path);
    updateHint();
    return {};
}

void AiPanel::chooseModel() {
    ModelDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted) useModel(dialog.selectedPath());
}

QString AiPanel::hintText() const { return hint_->text(); }
QString AiPanel::statusText() const { return status_->text(); }

void AiPanel::updateHint() {
    const QString path = modelFor(mode());
    const bool needsStrength = mode() != Mode::TextToImage;
    strength_->setEnabled(needsStrength);
    if (path.isEmpty()) {
        modelLabel_->setText(tr("none"));
        hint_->setText(
            tr("No %1 model yet. Click \"Choose model...\" and pick a Stable Diffusion 2 %2 "
               "checkpoint (.safetensors) or a diffusers folder. Painting, layers and files work "
               "without one.")
                .arg(jobName(mode()), modelKind(mode())));
        hint_->setVisible(true);
    } else {
        // A diffusers folder is often just "diffusers": name its parent too.
        const QFileInfo info(path);
        modelLabel_->setText(info.isDir()
                                 ? info.dir().dirName() + QLatin1Char('/') + info.fileName()
                                 : info.fileName());
        modelLabel_->setToolTip(path);
        hint_->clear();
        hint_->setVisible(false);
    }
    generate_->setEnabled(!path.isEmpty() && !isRunning());
}

app::GenerationSettings AiPanel::settings() const {
    app::GenerationSettings s;
    s.prompt = prompt_->toPlainText().trimmed();
    s.negativePrompt = negative_->text().trimmed();
    s.strength = strength_->value();
    s.steps = steps_->value();
    s.seed = seed_->value();
    s.sampler = sampler_->currentData().toString();
    s.variations = variations_->value();
    return s;
}

void AiPanel::setSettings(const app::GenerationSettings& s) {
    prompt_->setPlainText(s.prompt);
    negative_->setText(s.negativePrompt);
    strength_->setValue(s.strength);
    steps_->setValue(s.steps);
    seed_->setValue(int(std::clamp<qint64>(s.seed, -1, std::numeric_limits<int>::max())));
    const int i = sampler_->findData(s.sampler);
    sampler_->setCurrentIndex(i < 0 ? 0 : i);
    variations_->setValue(s.variations);
}

void AiPanel::setStatus(const QString& text) { status_->setText(text); }

void AiPanel::updateEscape() { escape_->setEnabled(isRunning() || !staged_.isEmpty()); }

void AiPanel::setRunning(bool running) {
    cancel_->setEnabled(running);
    escape_->setEnabled(running || !staged_.isEmpty());
    progress_->setVisible(running);
    if (!running) previewLabel_->clear();
    generate_->setEnabled(!running && !modelFor(mode()).isEmpty());
}

QString AiPanel::generate() {
    QString why;
    const QString model = modelFor(mode());
    if (!worker_)
        why = tr("AI jobs are not available.");
    else if (!doc_)
        why = tr("Open or create an image first.");
    else if (model.isEmpty())
        why = hintText();
    else if (isRunning())
        why = tr("A job is already running (Esc cancels it).");
    if (!why.isEmpty()) {
        setStatus(why);
        return why;
    }
    discardVariations();
    auto pending = std::make_unique<Pending>();
    pending->mode = mode();
    pending->settings = settings();
    app::InferenceJob job;
    if (mode() == Mode::Inpaint) {
        pending->plan = app::planInpaint(*doc_, inpaintOptions_, &why);
        if (!pending->plan) {
            setStatus(why);
            return why;
        }
        pending->area = pending->plan->area;
        const app::PixelRect crop = pending->plan->job.region.crop;
        pending->previewArea =
            QRect(pending->area.topLeft() + QPoint(crop.x, crop.y), QSize(crop.width, crop.height));
        job = app::inpaintJob(*pending->plan, pending->settings, model);
    } else if (mode() == Mode::DepthRestyle) {
        document::LayerPtr source = currentLayer_ ? currentLayer_() : nullptr;
        const document::LayerPtr depthLayer = findDepthLayer(*doc_);
        if (!source || source->isGroup() || source == depthLayer) {
            setStatus(why = tr("Select the paint layer to restyle in the Layers panel."));
            return why;
        }
        pending->area = doc_->bounds();
        pending->previewArea = pending->area;
        pending->addDepthLayer = !depthLayer;
        const QImage depth = depthLayer ? depthLayer->pixels.toImage(doc_->bounds()) : QImage();
        const int native = nativeResolution_ > 0 ? nativeResolution_ : 512;
        job = app::depth2imgJob(pending->settings, model, source->pixels.toImage(doc_->bounds()),
                                depth, native, doc_->revision());
        if (!doc_->inpaintMask().contentBounds().isEmpty())  // restyle only inside the mask
            app::setJobMask(job, doc_->inpaintMask().toImage(doc_->bounds()));
    } else {
        pending->area = doc_->bounds();
        if (doc_->hasSelection()) {
            const QRect sel = doc_->selection().contentBounds() & doc_->bounds();
            if (!sel.isEmpty()) {
                pending->area = sel;
                pending->selectionMask = doc_->selection().toImage(sel);
            }
        }
        const int native = nativeResolution_ > 0 ? nativeResolution_ : 512;
        job = app::txt2imgJob(pending->settings, model, pending->area.size(), native,
                              doc_->revision());
        pending->previewArea = pending->area;
    }
    pending_ = std::move(pending);
    currentJob_ = worker_->submit(std::move(job));
    progress_->setRange(0, 0);
    setRunning(true);
    setStatus(tr("Generating..."));
    return {};
}

void AiPanel::cancel() {
    if (worker_ && currentJob_) worker_->cancel(currentJob_);
}

void AiPanel::onProgress(quint64 id, const app::JobProgress& p) {
    if (id != currentJob_) return;
    if (p.phase == QLatin1String("load")) {
        setStatus(tr("Loading the model..."));
        return;
    }
    if (p.total > 0) {
        progress_->setRange(0, p.total * p.variations);
        progress_->setValue(p.variation * p.total + p.step);
        setStatus(tr("Variation %1 of %2: %3 %4/%5")
                      .arg(p.variation + 1)
                      .arg(p.variations)
                      .arg(p.phase)
                      .arg(p.step)
                      .arg(p.total));
    }
    if (!p.preview.isNull() && pending_) {
        previewLabel_->setPixmap(QPixmap::fromImage(
            p.preview.scaled(160, 160, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        Q_EMIT previewChanged(p.preview, pending_->previewArea);
    }
}

void AiPanel::onFinished(const app::JobResult& r) {
    if (r.id != currentJob_ || !pending_) return;
    currentJob_ = 0;
    setRunning(false);
    pending_->result = r;
    if (pending_->addDepthLayer && doc_ && !r.variations.isEmpty() &&
        !r.variations.front().depthUsed.empty()) {
        // The estimated depth becomes a layer the artist can paint on or replace; the next
        // restyle uses its pixels. Hidden, so the picture stays as it was.
        auto depth = document::Layer::makePaint(kDepthLayerName);
        depth->pixels.writeImage(depthPicture(r.variations.front().depthUsed, doc_->size()),
                                 {0, 0});
        depth->props.visible = false;
        doc_->addLayer(depth);
    }
    try {
        staged_ = pending_->mode == Mode::Inpaint
                      ? app::stageInpaint(*pending_->plan, r)
                      : app::stageImages(r, pending_->area, pending_->selectionMask);
    } catch (const std::exception& e) {
        staged_.clear();
        setStatus(tr("The result cannot be used: %1").arg(QString::fromStdString(e.what())));
        Q_EMIT jobEnded();
        return;
    }
    QVector<QImage> previews;
    QStringList captions;
    for (const app::StagedVariation& v : staged_) {
        previews.push_back(v.preview());
        captions << tr("Seed %1").arg(v.seed);
    }
    strip_->setVariations(previews, captions);
    updateEscape();
    setStatus(
        tr("%n variation(s) in %1 s: pick one and Accept, or Discard.", nullptr, staged_.size())
            .arg(r.seconds, 0, 'f', 1));
    Q_EMIT variationsStaged(staged_.size());
    Q_EMIT jobEnded();
}

void AiPanel::onEnded(quint64 id, const QString& message) {
    if (id != currentJob_) return;
    currentJob_ = 0;
    pending_.reset();
    setRunning(false);
    setStatus(message);
    Q_EMIT previewChanged({}, {});
    Q_EMIT jobEnded();
}

void AiPanel::showStaged(int index) {
    if (index < 0 || index >= staged_.size()) return;
    const app::StagedVariation& v = staged_[index];
    Q_EMIT previewChanged(v.preview(), QRect(v.topLeft, v.rgb.size()));
}

void AiPanel::acceptVariation(int index) {
    if (!doc_ || !pending_ || index < 0 || index >= staged_.size()) return;
    const bool inpaint = pending_->mode == Mode::Inpaint;
    const bool restyle = pending_->mode == Mode::DepthRestyle;
    const QString pipeline = inpaint   ? QStringLiteral("inpaint")
                             : restyle ? QStringLiteral("depth")
                                       : QStringLiteral("txt2img");
    const app::GenerationSettings& s = pending_->settings;
    const QString prompt = s.prompt.isEmpty() ? tr("(no prompt)") : s.prompt.left(40);
    const QString name = (inpaint   ? tr("Inpaint: %1")
                          : restyle ? tr("Restyle: %1")
                                    : tr("Generated: %1"))
                             .arg(prompt);
    const document::LayerPtr layer = app::acceptAsLayer(
        *doc_, staged_[index], app::provenanceFor(s, pending_->result, index, pipeline), name);
    staged_.clear();
    pending_.reset();
    strip_->clear();
    updateEscape();
    Q_EMIT previewChanged({}, {});
    setStatus(tr("Added layer \"%1\" (Ctrl+Z removes it).").arg(name));
    Q_EMIT layerAccepted(layer);
}

void AiPanel::discardVariations() {
    const bool had = !staged_.isEmpty();
    staged_.clear();
    if (!isRunning()) pending_.reset();
    strip_->clear();
    updateEscape();
    if (had) {
        Q_EMIT previewChanged({}, {});
        setStatus(tr("Variations discarded."));
    }
}

}  // namespace atelier::ui
