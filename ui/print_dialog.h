#pragma once
// Upscale and export a print: the physical size (cm or inches) and the DPI give the pixels the
// print needs; the dialog shows the x4 passes, tiles and a time and memory estimate before
// anything runs, runs the tiled upscaler on the inference worker with progress (Cancel stops
// it), and writes a 16-bit PNG or TIFF with the DPI and an sRGB profile.
#include "app/document/document.h"
#include "app/inference_worker.h"
#include "app/print_export.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace atelier::ui {

class PrintDialog : public QDialog {
    Q_OBJECT
public:
    PrintDialog(app::InferenceWorker* worker, document::Document* doc, const QString& upscalerModel,
                QWidget* parent = nullptr);
    ~PrintDialog() override;

    void setPrintSize(double width, app::PrintUnit unit, double dpi);
    void setSteps(int steps);
    void setTileLatent(int tile) { tileLatent_ = tile; }
    app::PrintPlan plan() const;
    QString planText() const;
    // Upscales (as many x4 passes as needed) and writes `path`; the result arrives as exported().
    void startExport(const QString& path);
    bool isRunning() const { return job_ != 0; }

Q_SIGNALS:
    // error is empty on success.
    void exported(const QString& path, const QString& error);

private:
    void updatePlan();
    void chooseAndExport();
    void runPass(const inference::ImageF& image);
    void finish(const QString& error);

    QPointer<app::InferenceWorker> worker_;
    document::Document* doc_;
    QString model_;
    int tileLatent_ = 128;
    QDoubleSpinBox* width_ = nullptr;
    QComboBox* unit_ = nullptr;
    QSpinBox* dpi_ = nullptr;
    QSpinBox* steps_ = nullptr;
    QLineEdit* prompt_ = nullptr;
    QLabel* planLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QLabel* status_ = nullptr;
    // The export in progress.
    quint64 job_ = 0;
    int passesLeft_ = 0;
    app::PrintPlan running_;
    QString path_;
};

}  // namespace atelier::ui
