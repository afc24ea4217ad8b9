#include "inference/models/layout.h"

#include <algorithm>
#include <sstream>

namespace atelier::inference {

std::string formatShape(const std::vector<int64_t>& shape) {
    std::ostringstream out;
    out << "[";
    for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
    out << "]";
    return out.str();
}

LayoutMismatch compareLayout(const ShapeMap& expected, const ShapeMap& actual,
                             const std::vector<std::string>& optional) {
    auto isOptional = [&](const std::string& name) {
        return std::find(optional.begin(), optional.end(), name) != optional.end();
    };
    LayoutMismatch result;
    for (const auto& [name, shape] : expected) {
        const auto it = actual.find(name);
        if (it == actual.end()) {
            if (!isOptional(name)) result.missing.push_back(name);
        } else if (it->second != shape) {
            result.misShaped.push_back(name + ": file " + formatShape(it->second) + " vs expected " +
                                       formatShape(shape));
        }
    }
    for (const auto& [name, shape] : actual) {
        if (expected.count(name) == 0 && !isOptional(name)) result.unexpected.push_back(name);
    }
    return result;
}

std::string LayoutMismatch::describe(std::size_t maxPerKind) const {
    std::ostringstream out;
    auto list = [&](const char* title, const std::vector<std::string>& names) {
        if (names.empty()) return;
        out << "  " << title << " (" << names.size() << "):\n";
        for (std::size_t i = 0; i < names.size() && i < maxPerKind; ++i) out << "    " << names[i] << "\n";
        if (names.size() > maxPerKind) out << "    ... and " << names.size() - maxPerKind << " more\n";
    };
    list("missing", missing);
    list("unexpected", unexpected);
    list("wrong shape", misShaped);
    return out.str();
}

}  // namespace atelier::inference
