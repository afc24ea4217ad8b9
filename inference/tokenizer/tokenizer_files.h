#pragma once
// Where the tokenizer module and CLIP's vocabulary are looked for (inference-internal).
#include <string>
#include <vector>

namespace atelier::inference::tokenizer {

// Candidate paths in search order. An explicit path, else the environment variable
// (ATELIER_TOKENIZER_MODULE / ATELIER_TOKENIZER_VOCAB) when set, is the only candidate.
std::vector<std::string> moduleCandidates(const std::string& explicitPath);
std::vector<std::string> vocabularyCandidates(const std::string& explicitPath);

// The first candidate that is a regular file; throws TokenizerError listing all of them.
std::string findFile(const std::vector<std::string>& candidates, const std::string& what,
                     const std::string& hint);

// Directory of the running executable (empty if unknown).
std::string executableDirectory();

}  // namespace atelier::inference::tokenizer
