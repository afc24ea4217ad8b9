#pragma once
// Scans a source tree for #include lines that break the layer rules in docs/ARCHITECTURE.md.
// The compiler cannot catch all of them: Debian installs torch's headers under /usr/include,
// where every target finds them, so the rules are also checked here, textually.
#include <filesystem>
#include <string>
#include <vector>

namespace atelier::test {

struct LayerViolation {
    std::filesystem::path file;
    int line = 0;
    std::string include;
    std::string rule;
};

// Returns every forbidden include in the layer folders under `root`
// (inference/, brushes/, app/, ui/).
std::vector<LayerViolation> findLayerViolations(const std::filesystem::path& root);

}  // namespace atelier::test
