#pragma once
// Helpers for the document tests: small documents, pixel access, zip archives built by hand
// (the way other programs write them, or hostile).
#include "app/document/document.h"

#include <QByteArray>
#include <QColor>
#include <QImage>
#include <QString>

#include <vector>

namespace atelier::document::test {

struct ZipEntry {
    QString name;
    QByteArray data;
    bool store = false;
};
// A zip archive of entries, in order (libzip, in memory).
QByteArray makeZip(const std::vector<ZipEntry>& entries);

// A straight-alpha PNG of one colour (QColor carries straight alpha).
QByteArray solidPng(int w, int h, QColor color);
QByteArray pngOf(const QImage& image);

// Fills a rectangle of a paint layer with a straight colour (no undo).
void fillRect(Layer& layer, const QRect& r, QColor color);
// The straight colour of a Format_RGBA8888_Premultiplied image pixel.
QColor straightAt(const QImage& premultiplied, int x, int y);
// Every channel within tol levels.
bool closeTo(QColor a, QColor b, int tol = 1);
// Largest per-channel difference of two images of the same size (as straight RGBA8888).
int maxDifference(const QImage& a, const QImage& b);

}  // namespace atelier::document::test
