// Catch2 runner for widget tests: a QApplication must exist before any widget is made.
// ctest sets QT_QPA_PLATFORM=offscreen (xvfb-run gives them a real X server instead).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QApplication>
#include <QStandardPaths>

int main(int argc, char** argv) {
    // Without a display (CI, ctest's test discovery) run on the offscreen platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // Settings (recent files) and the autosave store go to test locations, not the user's.
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AtelierTests"));
    return Catch::Session().run(argc, argv);
}
