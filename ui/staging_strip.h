#pragma once
// The strip that floats over the canvas while generated variations wait for a decision:
// thumbnails to flip through (click, or Left/Right), Accept (Enter) and Discard (Esc). It only
// shows and chooses; what accepting means (a new layer, one undo step) is the AI panel's job.
#include <QImage>
#include <QVector>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace atelier::ui {

class StagingStrip : public QWidget {
    Q_OBJECT
public:
    explicit StagingStrip(QWidget* parent = nullptr);

    // Shows the variations (previews with straight alpha) and their captions; selects the first.
    void setVariations(const QVector<QImage>& previews, const QStringList& captions);
    void clear();
    int count() const;
    int current() const;
    void setCurrent(int index);
    void next() { setCurrent((current() + 1) % qMax(1, count())); }
    void previous() { setCurrent((current() + count() - 1) % qMax(1, count())); }

    QPushButton* acceptButton() const { return accept_; }
    QPushButton* discardButton() const { return discard_; }

Q_SIGNALS:
    void currentChanged(int index);
    void accepted(int index);
    void discarded();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QListWidget* list_ = nullptr;
    QLabel* caption_ = nullptr;
    QPushButton* accept_ = nullptr;
    QPushButton* discard_ = nullptr;
    QStringList captions_;
};

}  // namespace atelier::ui
