#include "ui/ai_side.h"

#include "ui/ai_panel.h"
#include "ui/canvas_view.h"
#include "ui/main_window.h"
#include "ui/print_dialog.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>

namespace atelier::ui {

AiPanel* installAiSide(MainWindow* window) {
    // Parented to the window: destroyed (cancelled and joined) when the window closes.
    auto* worker = new app::InferenceWorker(window);
    auto* panel = new AiPanel(worker);
    window->addSidePanel(panel, QObject::tr("AI"));
    panel->setDocument(window->document());
    panel->setStagingParent(window->canvas());
    panel->setCurrentLayerSource([window] { return window->currentLayer(); });
    QObject::connect(window, &MainWindow::documentReplaced, panel,
                     [panel](document::Document* doc) { panel->setDocument(doc); });
    // A dropped image is the start of a depth restyle: it is the current layer, the panel turns
    // to restyling it (the first run adds its DPT depth as an editable "Depth" layer).
    QObject::connect(window, &MainWindow::imageDropped, panel,
                     [panel] { panel->setMode(AiPanel::Mode::DepthRestyle); });
    QObject::connect(panel, &AiPanel::previewChanged, window->canvas(),
                     [window](const QImage& image, const QRect& area) {
                         window->canvas()->setPreviewImage(image, area);
                     });

    QMenu* menu = window->menuBar()->addMenu(QObject::tr("&AI"));
    menu->addAction(QObject::tr("Choose &Model..."), panel, &AiPanel::chooseModel);
    QAction* generate =
        menu->addAction(QObject::tr("&Generate"), panel, [panel] { panel->generate(); });
    generate->setShortcut(QKeySequence(QObject::tr("Ctrl+G")));
    menu->addAction(QObject::tr("&Cancel Job (Esc)"), panel, &AiPanel::cancel);
    menu->addSeparator();
    QAction* print = menu->addAction(
        QObject::tr("&Upscale and Export Print..."), window, [window, worker, panel] {
            PrintDialog dialog(worker, window->document(), panel->upscalerModel(), window);
            dialog.exec();
        });
    print->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+P")));
    return panel;
}

}  // namespace atelier::ui
