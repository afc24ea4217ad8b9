#include "ui/model_dialog.h"

#include "inference/sd2_model.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace atelier::ui {
namespace {
const char* kRecentKey = "models/recent";
}

ModelDialog::ModelDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Choose a Stable Diffusion 2 model"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(
        tr("A single-file checkpoint (.safetensors, its .yaml beside it) or a diffusers folder "
           "(with model_index.json). 512-inpainting for inpainting, 512-base or 768-v for text "
           "to image, 512-depth for restyling, x4-upscaler for prints."),
        this));
    auto* row = new QHBoxLayout;
    pathEdit_ = new QLineEdit(this);
    pathEdit_->setPlaceholderText(tr("Model file or folder"));
    auto* file = new QPushButton(tr("File..."), this);
    auto* folder = new QPushButton(tr("Folder..."), this);
    row->addWidget(pathEdit_, 1);
    row->addWidget(file);
    row->addWidget(folder);
    layout->addLayout(row);
    layout->addWidget(new QLabel(tr("Recent models:"), this));
    recent_ = new QListWidget(this);
    recent_->addItems(recentModels());
    recent_->setMaximumHeight(110);
    layout->addWidget(recent_);
    summary_ = new QPlainTextEdit(this);
    summary_->setReadOnly(true);
    summary_->setPlaceholderText(tr("What the model files say appears here."));
    layout->addWidget(summary_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    ok_->setEnabled(false);
    layout->addWidget(buttons);

    connect(file, &QPushButton::clicked, this, &ModelDialog::chooseFile);
    connect(folder, &QPushButton::clicked, this, &ModelDialog::chooseFolder);
    connect(pathEdit_, &QLineEdit::editingFinished, this, [this] { inspect(pathEdit_->text()); });
    connect(recent_, &QListWidget::currentTextChanged, this, [this](const QString& p) {
        if (!p.isEmpty()) inspect(p);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        rememberModel(path_);
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(640, 480);
}

bool ModelDialog::inspect(const QString& path) {
    pathEdit_->setText(path);
    path_.clear();
    variant_.clear();
    ok_->setEnabled(false);
    if (path.trimmed().isEmpty()) return false;
    try {
        // Opening reads headers and configs only; weights load on the worker at first use.
        const inference::Sd2Model model = inference::Sd2Model::open(path.toStdString());
        const inference::ModelSummary& s = model.summary();
        QStringList lines;
        lines << tr("Variant: %1").arg(QString::fromStdString(s.variant))
              << tr("Layout: %1").arg(QString::fromStdString(s.layout))
              << tr("Prediction: %1 (%2)")
                     .arg(QString::fromStdString(s.prediction),
                          QString::fromStdString(s.predictionSource));
        if (!s.configSource.empty())
            lines << tr("Config: %1").arg(QString::fromStdString(s.configSource));
        for (const std::string& a : s.assumptions)
            lines << tr("Assumed: %1").arg(QString::fromStdString(a));
        for (const std::string& n : s.notes) lines << tr("Note: %1").arg(QString::fromStdString(n));
        for (const inference::ComponentSummary& c : s.components)
            lines << tr("%1: %2 parameters, %3")
                         .arg(QString::fromStdString(c.name))
                         .arg(c.parameters)
                         .arg(QString::fromStdString(c.fileDtypes));
        summary_->setPlainText(lines.join(QLatin1Char('\n')));
        path_ = path;
        variant_ = QString::fromStdString(s.variant);
        ok_->setEnabled(true);
        return true;
    } catch (const std::exception& e) {
        summary_->setPlainText(
            tr("This model cannot be used:\n%1").arg(QString::fromStdString(e.what())));
        return false;
    }
}

QString ModelDialog::summaryText() const { return summary_->toPlainText(); }

QStringList ModelDialog::recentModels() {
    return QSettings().value(QString::fromLatin1(kRecentKey)).toStringList();
}

void ModelDialog::rememberModel(const QString& path) {
    if (path.isEmpty()) return;
    QStringList recent = recentModels();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    QSettings().setValue(QString::fromLatin1(kRecentKey), recent);
}

void ModelDialog::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Model file"), QFileInfo(pathEdit_->text()).absolutePath(),
        tr("Safetensors checkpoints (*.safetensors);;All files (*)"));
    if (!path.isEmpty()) inspect(path);
}

void ModelDialog::chooseFolder() {
    const QString path =
        QFileDialog::getExistingDirectory(this, tr("Diffusers model folder"), pathEdit_->text());
    if (!path.isEmpty()) inspect(path);
}

}  // namespace atelier::ui
