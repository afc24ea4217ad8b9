#pragma once
// Each group of atelier-cli subcommands registers itself on the CLI11 app.
// Exit status convention (stable, documented in the README): 0 success, 2 bad input
// (unreadable or malformed files, bad arguments), 1 internal failure. Messages go to stderr.
#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

namespace atelier::cli {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;

// Thrown by commands for input the user must fix; main() maps it to exit status 2.
struct BadInput : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Set by a subcommand's callback; main() returns it.
int& exitStatus();

void addRuntimeCommands(CLI::App& app);
void addTokenizeCommands(CLI::App& app);
void addModelCommands(CLI::App& app);
void addPipelineCommands(CLI::App& app);
void addDepthCommands(CLI::App& app);
void addDocumentCommands(CLI::App& app);  // only with the app (ATELIER_WITH_APP)

}  // namespace atelier::cli
