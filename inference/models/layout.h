#pragma once
// Plain description of a network's parameters, used before any weight is read: detecting the
// architecture from shapes, and refusing a file whose tensors do not fit it (with the list of
// mismatches) before any large allocation.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace atelier::inference {

// Tensor name (relative to the component, in the original LDM naming) -> shape.
using ShapeMap = std::map<std::string, std::vector<int64_t>>;

struct LayoutMismatch {
    std::vector<std::string> missing;     // expected, absent from the file
    std::vector<std::string> unexpected;  // in the file, not expected
    std::vector<std::string> misShaped;   // "name: file [..] vs expected [..]"
    bool empty() const { return missing.empty() && unexpected.empty() && misShaped.empty(); }
    // A readable report; at most `maxPerKind` entries of each kind, then a count.
    std::string describe(std::size_t maxPerKind = 10) const;
};

// `optional` names may be present or absent (e.g. the text encoder's unused last layer).
LayoutMismatch compareLayout(const ShapeMap& expected, const ShapeMap& actual,
                             const std::vector<std::string>& optional = {});

std::string formatShape(const std::vector<int64_t>& shape);

}  // namespace atelier::inference
