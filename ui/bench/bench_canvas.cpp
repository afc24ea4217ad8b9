// Milliseconds per pen event of a brush stroke on the canvas (docs/BENCHMARKS.md), side by side:
// the stroke on the document alone (StrokeEngine -> BrushSurface -> PixelEdit, with preview()
// marking tiles dirty), and the same stroke through the shown window (canvas input, composite of
// the dirty tiles, display-cache refresh, repaint). Offscreen platform; not a test.
//   bench_canvas [canvas side px, default 4096] [events, default 400]
#include "app/document/brush_surface.h"
#include "brushes/brush_preset.h"
#include "brushes/stroke_engine.h"
#include "ui/canvas_view.h"
#include "ui/main_window.h"
#include "ui/tools/tool_context.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>

#include <cmath>
#include <cstdio>
#include <ctime>

using namespace atelier;

namespace {

double cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

QPointF pathPoint(int i, int side) {  // a zigzag across the canvas
    const double t = i / 40.0;
    return {side * (0.1 + 0.8 * std::fmod(t, 1.0)), side * (0.1 + 0.8 * std::fmod(i / 400.0, 1.0))};
}

void report(const char* name, double wallMs, double cpu, int events, qint64 tiles) {
    std::printf("%-44s %8.3f ms/event wall  %8.3f ms/event cpu  %6lld tiles recomposited\n", name,
                wallMs / events, cpu / events, static_cast<long long>(tiles));
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int side = argc > 1 ? std::atoi(argv[1]) : 4096;
    const int events = argc > 2 ? std::atoi(argv[2]) : 400;
    for (const double radius : {10.0, 40.0}) {
        char label[96];
        {  // The document alone.
            document::Document doc(QSize(side, side));
            doc.addLayer(document::Layer::makePaint("bench"));
            brushes::BrushPreset preset;
            preset.settings.setBase(brushes::BrushSetting::Radius, float(radius));
            preset.settings.setBase(brushes::BrushSetting::Hardness, 0.9f);
            QElapsedTimer wall;
            wall.start();
            const double cpu0 = cpuMs();
            auto edit =
                doc.beginPixelEdit(document::ChannelRef::pixels(doc.root().children()[0]), "s");
            document::BrushSurface surface(*edit);
            brushes::StrokeEngine engine(preset, {0.2f, 0.3f, 0.8f, 1.f}, surface);
            for (int i = 0; i < events; ++i) {
                const QPointF p = pathPoint(i, side);
                engine.addEvent({p.x(), p.y(), 1.f, 0.f, 0.f, i * 5.0});
            }
            engine.finish();
            edit->commit();
            std::snprintf(label, sizeof label, "document only, radius %.0f, %dx%d", radius, side,
                          side);
            report(label, double(wall.elapsed()), cpuMs() - cpu0, events, 0);
        }
        {  // Through the window.
            ui::MainWindow window;
            window.resize(1600, 1000);
            window.show();
            QApplication::processEvents();
            window.newDocument(QSize(side, side));
            window.selectTool(ui::MainWindow::ToolId::Brush);
            window.toolContext().setRadius(ui::BrushRole::Paint, radius);
            ui::CanvasView* canvas = window.canvas();
            canvas->zoomBy(4.0, QPointF(800, 500));  // an artist's working zoom, not fitted
            QApplication::processEvents();
            const qint64 tiles0 = window.document()->tilesRendered();
            QElapsedTimer wall;
            wall.start();
            const double cpu0 = cpuMs();
            for (int i = 0; i < events; ++i) {
                const QPointF w = canvas->imageToWidget(pathPoint(i, side));
                const QEvent::Type type = i == 0            ? QEvent::MouseButtonPress
                                          : i + 1 == events ? QEvent::MouseButtonRelease
                                                            : QEvent::MouseMove;
                QMouseEvent e(type, w, canvas->mapToGlobal(w),
                              type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton,
                              type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton,
                              Qt::NoModifier);
                e.setTimestamp(ulong(1000 + i * 5));
                QApplication::sendEvent(canvas, &e);
                QApplication::processEvents();  // the repaint of the dirty region
            }
            std::snprintf(label, sizeof label, "canvas (input..repaint), radius %.0f, %dx%d",
                          radius, side, side);
            report(label, double(wall.elapsed()), cpuMs() - cpu0, events,
                   window.document()->tilesRendered() - tiles0);
        }
    }
    return 0;
}
