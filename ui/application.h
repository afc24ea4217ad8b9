#pragma once
// Entry point of the GUI, callable from app/main.cpp without exposing any widget type.

namespace atelier::ui {

// Creates the QApplication and the main window, opens files named on the command line, runs the
// event loop. `--grab-window OUT.png` renders the window to a PNG once it is shown and quits
// (used for documentation screenshots under Xvfb).
int runApplication(int argc, char** argv);

}  // namespace atelier::ui
