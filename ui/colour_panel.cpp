#include "ui/colour_panel.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>

namespace atelier::ui {

// The square (saturation right, value up) and the hue strip to its right, in one widget.
class ColourField : public QWidget {
public:
    explicit ColourField(ColourPanel& panel) : panel_(panel) {
        setMinimumSize(160, 120);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

protected:
    QRect square() const { return QRect(0, 0, width() - kStrip - kGap, height()); }
    QRect strip() const { return QRect(width() - kStrip, 0, kStrip, height()); }

    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        const QRect sq = square();
        if (cache_.size() != sq.size() || cacheHue_ != panel_.hue_) {
            cache_ = QImage(sq.size(), QImage::Format_RGB32);
            for (int y = 0; y < sq.height(); ++y)
                for (int x = 0; x < sq.width(); ++x)
                    cache_.setPixel(
                        x, y,
                        QColor::fromHsvF(float(panel_.hue_), float(x) / std::max(1, sq.width() - 1),
                                         1.f - float(y) / std::max(1, sq.height() - 1))
                            .rgb());
            cacheHue_ = panel_.hue_;
        }
        p.drawImage(sq.topLeft(), cache_);
        const QRect st = strip();
        for (int y = 0; y < st.height(); ++y) {
            p.setPen(QColor::fromHsvF(float(y) / std::max(1, st.height() - 1), 1, 1));
            p.drawLine(st.left(), y, st.right(), y);
        }
        p.setRenderHint(QPainter::Antialiasing);
        const QPointF mark(sq.left() + panel_.sat_ * (sq.width() - 1),
                           sq.top() + (1 - panel_.val_) * (sq.height() - 1));
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(Qt::white, 1.5));
        p.drawEllipse(mark, 5, 5);
        p.setPen(QPen(Qt::black, 1));
        p.drawEllipse(mark, 6.5, 6.5);
        const int hy = int(panel_.hue_ * (st.height() - 1));
        p.setPen(QPen(Qt::black, 2));
        p.drawRect(QRect(st.left(), hy - 2, st.width() - 1, 4));
    }
    void mousePressEvent(QMouseEvent* e) override {
        onHue_ = e->position().x() >= strip().left() - kGap / 2.0;
        pick(e->position());
    }
    void mouseMoveEvent(QMouseEvent* e) override {
        if (e->buttons() & Qt::LeftButton) pick(e->position());
    }

private:
    void pick(QPointF p) {
        if (onHue_) {
            panel_.setHsv(std::clamp(p.y() / std::max(1, height() - 1), 0.0, 1.0), panel_.sat_,
                          panel_.val_);
        } else {
            const QRect sq = square();
            panel_.setHsv(panel_.hue_, std::clamp(p.x() / std::max(1, sq.width() - 1), 0.0, 1.0),
                          std::clamp(1 - p.y() / std::max(1, sq.height() - 1), 0.0, 1.0));
        }
    }
    static constexpr int kStrip = 18;
    static constexpr int kGap = 6;
    ColourPanel& panel_;
    QImage cache_;
    double cacheHue_ = -1;
    bool onHue_ = false;
};

ColourPanel::ColourPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    field_ = new ColourField(*this);
    layout->addWidget(field_, 1);
    hex_ = new QLineEdit(this);
    hex_->setToolTip(tr("Colour as #RRGGBB"));
    layout->addWidget(hex_);
    connect(hex_, &QLineEdit::editingFinished, this, [this] {
        const QColor c = QColor::fromString(hex_->text().trimmed());
        if (c.isValid())
            setColour(c);
        else
            hex_->setText(colour_.name());
    });
    setColour(QColor(30, 30, 40));
}

void ColourPanel::setColour(const QColor& colour) {
    if (!colour.isValid()) return;
    float h, s, v;
    colour.getHsvF(&h, &s, &v);
    // Greys have no hue: keep the square's hue where it was. The colour itself is kept exactly
    // (a round trip through HSV floats can move a channel by one).
    showColour(h < 0 ? hue_ : h, s, v, colour.toRgb());
}

void ColourPanel::setHsv(double h, double s, double v) {
    showColour(h, s, v, QColor::fromHsvF(float(h), float(s), float(v)).toRgb());
}

void ColourPanel::showColour(double h, double s, double v, const QColor& c) {
    hue_ = h;
    sat_ = s;
    val_ = v;
    hex_->setText(c.name());
    hex_->setStyleSheet(QStringLiteral("QLineEdit { border-left: 24px solid %1; }").arg(c.name()));
    field_->update();
    if (c == colour_) return;
    colour_ = c;
    Q_EMIT colourChanged(c);
}

}  // namespace atelier::ui
