#pragma once
// The AI panel: which model each job uses (picked in ModelDialog, remembered), the prompt and
// generation settings, Generate / Cancel (Esc), progress with the live preview, and the staging
// strip for the variations that come back. Jobs run on the InferenceWorker; the panel never
// waits for one. Without a model it says how to pick one, and nothing else in the app needs it.
//
// Inpaint: the inpaint mask (or the selection) of the document is repainted; each variation is
// staged, and accepting one adds it as a new layer (masked, with provenance) in one undo step.
// Text to image: a new layer over the selection, or the whole canvas.
// Depth restyle: the current layer through depth2img (only inside the inpaint mask when there is
// one); the first run adds the DPT's depth as a hidden "Depth" layer, whose pixels later runs use.
#include "app/generation_flows.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <optional>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace atelier::ui {

class StagingStrip;

class AiPanel : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Inpaint = 0, TextToImage = 1, DepthRestyle = 2 };

    explicit AiPanel(app::InferenceWorker* worker, QWidget* parent = nullptr);
    ~AiPanel() override;

    void setDocument(document::Document* doc);
    // The widget the staging strip floats over (the canvas); without one it sits in the panel.
    void setStagingParent(QWidget* canvas);
    // The layer a depth restyle starts from (the Layers panel's current layer).
    void setCurrentLayerSource(std::function<document::LayerPtr()> source) {
        currentLayer_ = std::move(source);
    }

    void setMode(Mode mode);
    Mode mode() const;
    // Inspects the model and assigns it to the job its variant serves (inpainting, txt2img-*;
    // x4-upscaler is kept for prints). Returns the error, empty on success.
    QString useModel(const QString& path);
    QString modelFor(Mode mode) const;
    QString upscalerModel() const;
    void chooseModel();  // the dialog

    app::GenerationSettings settings() const;
    void setSettings(const app::GenerationSettings& s);
    // The image side of inpainting and txt2img's resolution (tests use the tiny models' scale).
    void setInpaintOptions(const app::InpaintOptions& o) { inpaintOptions_ = o; }
    void setNativeResolution(int pixels) { nativeResolution_ = pixels; }

    // Starts a job for the current mode; returns why not (also shown), empty when started.
    QString generate();
    void cancel();
    bool isRunning() const { return currentJob_ != 0; }

    StagingStrip* stagingStrip() const { return strip_; }
    void acceptVariation(int index);
    void discardVariations();
    QString hintText() const;
    QString statusText() const;
    QPushButton* generateButton() const { return generate_; }

Q_SIGNALS:
    // What the canvas should overlay: a live preview or the staged variation, at document
    // coordinates; a null image removes it.
    void previewChanged(const QImage& image, const QRect& documentArea);
    void variationsStaged(int count);
    void layerAccepted(const atelier::document::LayerPtr& layer);
    void jobEnded();

private:
    struct Pending;
    void buildUi();
    void updateHint();
    void setRunning(bool running);
    void updateEscape();
    void setStatus(const QString& text);
    void onProgress(quint64 id, const app::JobProgress& p);
    void onFinished(const app::JobResult& r);
    void onEnded(quint64 id, const QString& message);
    void showStaged(int index);

    QPointer<app::InferenceWorker> worker_;
    document::Document* doc_ = nullptr;
    app::InpaintOptions inpaintOptions_;
    int nativeResolution_ = 0;  // 0: from the model's variant
    quint64 currentJob_ = 0;
    std::unique_ptr<Pending> pending_;
    std::function<document::LayerPtr()> currentLayer_;
    QVector<app::StagedVariation> staged_;

    QComboBox* modeBox_ = nullptr;
    QLabel* modelLabel_ = nullptr;
    QLabel* hint_ = nullptr;
    QPlainTextEdit* prompt_ = nullptr;
    QLineEdit* negative_ = nullptr;
    QDoubleSpinBox* strength_ = nullptr;
    QSpinBox* steps_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QComboBox* sampler_ = nullptr;
    QSpinBox* variations_ = nullptr;
    QPushButton* generate_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* previewLabel_ = nullptr;
    QLabel* status_ = nullptr;
    StagingStrip* strip_ = nullptr;
    QAction* escape_ = nullptr;
};

}  // namespace atelier::ui
