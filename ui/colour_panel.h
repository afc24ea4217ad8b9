#pragma once
// The colour panel: a saturation/value square for the current hue, a hue strip, the current
// colour and its hex code. Compact enough to sit in a dock beside the brushes.
#include <QColor>
#include <QImage>
#include <QWidget>

class QLineEdit;

namespace atelier::ui {

class ColourField;

class ColourPanel : public QWidget {
    Q_OBJECT
public:
    explicit ColourPanel(QWidget* parent = nullptr);
    QColor colour() const { return colour_; }

public Q_SLOTS:
    void setColour(const QColor& colour);

Q_SIGNALS:
    void colourChanged(const QColor& colour);

private:
    void setHsv(double h, double s, double v);  // h 0..1, s and v 0..1
    void showColour(double h, double s, double v, const QColor& colour);
    friend class ColourField;

    ColourField* field_ = nullptr;
    QLineEdit* hex_ = nullptr;
    QColor colour_ = Qt::black;
    double hue_ = 0, sat_ = 0, val_ = 0;  // kept separately: grey colours have no hue
};

}  // namespace atelier::ui
