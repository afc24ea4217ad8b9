#include "ui/print_dialog.h"

#include "app/imaging/qimage_conversion.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace atelier::ui {

PrintDialog::PrintDialog(app::InferenceWorker* worker, document::Document* doc,
                         const QString& upscalerModel, QWidget* parent)
    : QDialog(parent), worker_(worker), doc_(doc), model_(upscalerModel) {
    setWindowTitle(tr("Upscale and export a print"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    auto* sizeRow = new QHBoxLayout;
    width_ = new QDoubleSpinBox(this);
    width_->setRange(0.1, 1000);
    width_->setDecimals(2);
    width_->setValue(30);
    unit_ = new QComboBox(this);
    unit_->addItem(tr("cm"));
    unit_->addItem(tr("inches"));
    sizeRow->addWidget(width_, 1);
    sizeRow->addWidget(unit_);
    form->addRow(tr("Print width"), sizeRow);
    dpi_ = new QSpinBox(this);
    dpi_->setRange(1, 2400);
    dpi_->setValue(300);
    dpi_->setSuffix(tr(" DPI"));
    form->addRow(tr("Resolution"), dpi_);
    steps_ = new QSpinBox(this);
    steps_->setRange(1, 150);
    steps_->setValue(20);
    form->addRow(tr("Upscaler steps"), steps_);
    prompt_ = new QLineEdit(this);
    prompt_->setPlaceholderText(tr("Optional: what the picture shows (guides the upscaler)"));
    form->addRow(tr("Prompt"), prompt_);
    layout->addLayout(form);
    planLabel_ = new QLabel(this);
    planLabel_->setWordWrap(true);
    layout->addWidget(planLabel_);
    progress_ = new QProgressBar(this);
    progress_->setVisible(false);
    layout->addWidget(progress_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    layout->addWidget(status_);
    auto* buttons = new QHBoxLayout;
    start_ = new QPushButton(tr("Upscale and export..."), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    auto* close = new QPushButton(tr("Close"), this);
    cancel_->setEnabled(false);
    buttons->addWidget(start_);
    buttons->addWidget(cancel_);
    buttons->addStretch(1);
    buttons->addWidget(close);
    layout->addLayout(buttons);

    for (auto* spin : {dpi_, steps_})
        connect(spin, qOverload<int>(&QSpinBox::valueChanged), this, &PrintDialog::updatePlan);
    connect(width_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &PrintDialog::updatePlan);
    connect(unit_, qOverload<int>(&QComboBox::currentIndexChanged), this, &PrintDialog::updatePlan);
    connect(start_, &QPushButton::clicked, this, &PrintDialog::chooseAndExport);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (worker_ && job_) worker_->cancel(job_);
    });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    if (worker_) {
        connect(worker_, &app::InferenceWorker::jobProgress, this,
                [this](quint64 id, const app::JobProgress& p) {
                    if (id != job_ || p.total <= 0) return;
                    progress_->setRange(0, p.total);
                    progress_->setValue(p.step);
                    status_->setText(tr("Pass %1 of %2: %3 %4/%5")
                                         .arg(running_.passes - passesLeft_ + 1)
                                         .arg(running_.passes)
                                         .arg(p.phase)
                                         .arg(p.step)
                                         .arg(p.total));
                });
        connect(worker_, &app::InferenceWorker::jobFinished, this, [this](const app::JobResult& r) {
            if (r.id != job_) return;
            job_ = 0;
            if (r.variations.isEmpty()) return finish(tr("The upscaler returned nothing."));
            const inference::ImageF& image = r.variations.front().image;
            if (--passesLeft_ > 0) return runPass(image);
            finish(app::exportPrint(app::toQImage(image, app::QImageDepth::Bits16), running_.target,
                                    dpi_->value(), path_));
        });
        connect(worker_, &app::InferenceWorker::jobFailed, this,
                [this](quint64 id, const QString& m) {
                    if (id == job_) finish(m);
                });
        connect(worker_, &app::InferenceWorker::jobCancelled, this, [this](quint64 id) {
            if (id == job_) finish(tr("Cancelled."));
        });
        connect(worker_, &app::InferenceWorker::jobDropped, this, [this](quint64 id) {
            if (id == job_) finish(tr("The picture changed during the upscale; export again."));
        });
    }
    updatePlan();
}

PrintDialog::~PrintDialog() {
    if (worker_ && job_) worker_->cancel(job_);
}

void PrintDialog::setPrintSize(double width, app::PrintUnit unit, double dpi) {
    unit_->setCurrentIndex(unit == app::PrintUnit::Inches ? 1 : 0);
    width_->setValue(width);
    dpi_->setValue(int(dpi));
    updatePlan();
}

void PrintDialog::setSteps(int steps) { steps_->setValue(steps); }

app::PrintPlan PrintDialog::plan() const {
    const QSize source = doc_ ? doc_->size() : QSize();
    return app::planPrint(
        source, width_->value(),
        unit_->currentIndex() == 1 ? app::PrintUnit::Inches : app::PrintUnit::Centimetres,
        dpi_->value(), steps_->value(), tileLatent_);
}

QString PrintDialog::planText() const { return planLabel_->text(); }

void PrintDialog::updatePlan() {
    const app::PrintPlan p = plan();
    QString text = p.target.isEmpty() ? tr("Open an image first.") : p.describe();
    if (p.passes > 0 && model_.isEmpty())
        text += tr("\nChoose an x4-upscaler model in the AI panel to upscale.");
    planLabel_->setText(text);
    start_->setEnabled(!isRunning() && !p.target.isEmpty() && (p.passes == 0 || !model_.isEmpty()));
}

void PrintDialog::chooseAndExport() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export print"), QStringLiteral("print.tif"),
                                     tr("TIFF image (*.tif *.tiff);;PNG image (*.png)"));
    if (!path.isEmpty()) startExport(path);
}

void PrintDialog::startExport(const QString& path) {
    if (isRunning() || !doc_) return;
    running_ = plan();
    path_ = path;
    const QImage source = doc_->flatten();
    if (running_.passes == 0 || !worker_) {
        if (running_.passes > 0) return finish(tr("AI jobs are not available."));
        return finish(app::exportPrint(source, running_.target, dpi_->value(), path));
    }
    if (model_.isEmpty()) return finish(tr("No x4-upscaler model is chosen."));
    passesLeft_ = running_.passes;
    start_->setEnabled(false);
    cancel_->setEnabled(true);
    progress_->setVisible(true);
    runPass(app::imageFromQImage(source));
}

void PrintDialog::runPass(const inference::ImageF& image) {
    app::InferenceJob job;
    job.kind = app::JobKind::Upscale;
    job.modelPath = model_;
    job.request.prompt = prompt_->text().toStdString();
    job.request.steps = steps_->value();
    job.request.image = image;
    job.request.tileLatent = tileLatent_;
    job.revision = doc_->revision();
    job_ = worker_->submit(std::move(job));
}

void PrintDialog::finish(const QString& error) {
    job_ = 0;
    cancel_->setEnabled(false);
    progress_->setVisible(false);
    status_->setText(error.isEmpty() ? tr("Exported %1").arg(path_) : error);
    updatePlan();
    Q_EMIT exported(path_, error);
}

}  // namespace atelier::ui
