#pragma once
// Picks a model: a single .safetensors checkpoint (its .yaml beside it) or a diffusers folder.
// Shows what inspecting it finds (variant, prediction type and where it came from, every
// assumption) before the artist commits to it, and remembers recent models (QSettings).
#include <QDialog>
#include <QString>
#include <QStringList>

class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace atelier::ui {

class ModelDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelDialog(QWidget* parent = nullptr);

    // Inspects `path` and shows the result; false (with the error shown) when it is refused.
    bool inspect(const QString& path);
    QString selectedPath() const { return path_; }
    QString selectedVariant() const { return variant_; }
    QString summaryText() const;

    static QStringList recentModels();
    static void rememberModel(const QString& path);
    static constexpr int kMaxRecent = 8;

private:
    void chooseFile();
    void chooseFolder();

    QLineEdit* pathEdit_ = nullptr;
    QListWidget* recent_ = nullptr;
    QPlainTextEdit* summary_ = nullptr;
    QPushButton* ok_ = nullptr;
    QString path_;
    QString variant_;
};

}  // namespace atelier::ui
