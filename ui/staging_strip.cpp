#include "ui/staging_strip.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace atelier::ui {
namespace {

constexpr int kThumb = 96;

// Alpha shown over a checkerboard, as painting programs show transparency.
QPixmap thumbnail(const QImage& image) {
    QPixmap out(kThumb, kThumb);
    out.fill(Qt::transparent);
    QPainter p(&out);
    const QImage scaled =
        image.scaled(kThumb, kThumb, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const QRect r((kThumb - scaled.width()) / 2, (kThumb - scaled.height()) / 2, scaled.width(),
                  scaled.height());
    for (int y = r.top(); y <= r.bottom(); y += 8)
        for (int x = r.left(); x <= r.right(); x += 8)
            p.fillRect(QRect(x, y, 8, 8).intersected(r),
                       ((x / 8 + y / 8) % 2) ? QColor(200, 200, 200) : QColor(240, 240, 240));
    p.drawImage(r.topLeft(), scaled);
    return out;
}

}  // namespace

StagingStrip::StagingStrip(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("stagingStrip"));
    setAutoFillBackground(true);
    setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);
    list_ = new QListWidget(this);
    list_->setViewMode(QListView::IconMode);
    list_->setFlow(QListView::LeftToRight);
    list_->setWrapping(false);
    list_->setIconSize(QSize(kThumb, kThumb));
    list_->setFixedHeight(kThumb + 28);
    list_->setMovement(QListView::Static);
    layout->addWidget(list_);
    auto* row = new QHBoxLayout;
    caption_ = new QLabel(this);
    accept_ = new QPushButton(tr("Accept"), this);
    accept_->setToolTip(tr("Add this variation as a new layer (Enter)"));
    discard_ = new QPushButton(tr("Discard"), this);
    discard_->setToolTip(tr("Drop all variations (Esc)"));
    row->addWidget(caption_, 1);
    row->addWidget(accept_);
    row->addWidget(discard_);
    layout->addLayout(row);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        caption_->setText(row >= 0 && row < captions_.size() ? captions_[row] : QString());
        Q_EMIT currentChanged(row);
    });
    connect(accept_, &QPushButton::clicked, this, [this] {
        if (current() >= 0) Q_EMIT accepted(current());
    });
    connect(discard_, &QPushButton::clicked, this, &StagingStrip::discarded);
    hide();
}

void StagingStrip::setVariations(const QVector<QImage>& previews, const QStringList& captions) {
    captions_ = captions;
    list_->clear();
    for (int i = 0; i < previews.size(); ++i)
        list_->addItem(new QListWidgetItem(QIcon(thumbnail(previews[i])), QString::number(i + 1)));
    list_->setCurrentRow(previews.isEmpty() ? -1 : 0);
    // Floating over a widget without a layout (the canvas): along its bottom edge, as wide as
    // the thumbnails need.
    QWidget* host = parentWidget();
    if (host && !host->layout()) {
        const QSize want = sizeHint();
        const int w =
            qMin(host->width() - 16, qMax(want.width(), 120 + previews.size() * (kThumb + 16)));
        const int h = want.height();
        setGeometry(8, qMax(0, host->height() - h - 8), qMax(200, w), h);
    }
    setVisible(!previews.isEmpty());
    if (!previews.isEmpty()) {
        raise();
        setFocus();
    }
}

void StagingStrip::clear() {
    captions_.clear();
    list_->clear();
    hide();
}

int StagingStrip::count() const { return list_->count(); }
int StagingStrip::current() const { return list_->currentRow(); }
void StagingStrip::setCurrent(int index) {
    if (index >= 0 && index < count()) list_->setCurrentRow(index);
}

void StagingStrip::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Left:
            previous();
            break;
        case Qt::Key_Right:
            next();
            break;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (current() >= 0) Q_EMIT accepted(current());
            break;
        case Qt::Key_Escape:
            Q_EMIT discarded();
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

}  // namespace atelier::ui
