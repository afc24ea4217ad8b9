// atelier-cli: dispatches to the subcommand groups and maps failures to exit statuses.
#include "app/cli/commands.h"

#include <exception>
#include <iostream>

namespace atelier::cli {
int& exitStatus() {
    static int status = kExitOk;
    return status;
}
}  // namespace atelier::cli

int main(int argc, char** argv) {
    using namespace atelier::cli;
    CLI::App app{"atelier-cli: Atelier's headless tools (models, prompts, pipelines, documents)"};
    app.set_version_flag("--version", std::string("atelier-cli ") + ATELIER_VERSION);
    app.require_subcommand(1);
    addRuntimeCommands(app);
    addTokenizeCommands(app);
    addModelCommands(app);
    addPipelineCommands(app);
    addDepthCommands(app);
#ifdef ATELIER_WITH_APP
    addDocumentCommands(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitBadInput;
    } catch (const BadInput& e) {
        std::cerr << "atelier-cli: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "atelier-cli: internal error: " << e.what() << "\n";
        return kExitInternal;
    }
    return exitStatus();
}
