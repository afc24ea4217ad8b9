#include "ui/application.h"

#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

namespace atelier::ui {

int runApplication(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Atelier"));
    QApplication::setOrganizationName(QStringLiteral("Atelier"));
    QApplication::setApplicationVersion(QStringLiteral(ATELIER_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Atelier: painting with Stable Diffusion 2"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("image"),
                                 QStringLiteral("Document (.ora) or image to open."),
                                 QStringLiteral("[image]"));
    QCommandLineOption grab(QStringLiteral("grab-window"),
                            QStringLiteral("Save a screenshot of the window to <png> and quit."),
                            QStringLiteral("png"));
    parser.addOption(grab);
    parser.process(app);

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    const QStringList files = parser.positionalArguments();
    // After a crash, offer the autosave first (not when only taking a screenshot).
    if (!parser.isSet(grab)) window.offerRecovery();
    if (!files.isEmpty()) window.openImageInteractively(files.first());

    if (parser.isSet(grab)) {
        const QString out = parser.value(grab);
        QTimer::singleShot(500, &window, [&window, out] {
            const bool saved = window.grab().save(out, "PNG");
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}

}  // namespace atelier::ui
