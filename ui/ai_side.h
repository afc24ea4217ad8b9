#pragma once
// Plugs the AI side into the main window through its seam (addSidePanel, document(), canvas(),
// documentReplaced): the inference worker, the AI panel docked on the right, the staging strip
// over the canvas, live previews drawn by the canvas, and an AI menu (choose model, generate,
// cancel, upscale and export a print). The window keeps working if nothing here is used.
namespace atelier::ui {

class AiPanel;
class MainWindow;

// Creates everything as children of window; returns the panel.
AiPanel* installAiSide(MainWindow* window);

}  // namespace atelier::ui
