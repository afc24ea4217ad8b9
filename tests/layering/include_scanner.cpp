#include "include_scanner.h"

#include <fstream>
#include <regex>

namespace fs = std::filesystem;

namespace atelier::test {
namespace {

struct Rule {
    std::string layer;        // folder the rule applies to (a sub-folder: only there)
    std::regex forbidden;     // matched against the included name
    std::string description;
    std::string exempt;       // a file, or a folder ending in '/', allowed to break it
                              // (app/main.cpp hands over to ui/)
};

const std::regex kQt(R"(^(Qt[A-Za-z]*/|Q[A-Z][A-Za-z]*$|q[a-z_]+\.h$))");
const std::regex kTorch(R"(^(torch|ATen|c10|caffe2)/)");
const std::regex kOpenCV(R"(^opencv2?/)");
const std::regex kWidgets(
    R"(^(QtWidgets/.*|Q(Widget|MainWindow|Dialog|MessageBox|Label|PushButton|Application|Menu|MenuBar|Action|FileDialog|Layout|VBoxLayout|HBoxLayout|GridLayout|StatusBar|ToolBar|DockWidget|AbstractButton|GraphicsView|ScrollArea|Slider|SpinBox|ComboBox|LineEdit))$)");
const std::regex kSentencePiece(R"(^sentencepiece)");
const std::regex kIcu(R"(^unicode/)");
// The tokenizer module is dlopen'ed: sentencepiece and ICU may only appear there, and it must
// not see torch (linking sentencepiece next to libtorch's protobuf crashes).
const std::string kTokenizerModule = "inference/tokenizer/module/";

const std::vector<Rule>& rules() {
    static const std::vector<Rule> all = {
        {"inference", kQt, "inference/ must not include Qt", ""},
        {"inference", kOpenCV, "inference/ must not include OpenCV", ""},
        {"inference", std::regex(R"(^(app|ui|brushes)/)"), "inference/ must not depend on other layers", ""},
        {"inference", kSentencePiece, "only the tokenizer module may include sentencepiece",
         kTokenizerModule},
        {"inference", kIcu, "only the tokenizer module may include ICU", kTokenizerModule},
        {kTokenizerModule, kTorch, "the tokenizer module must not include torch", ""},
        {"brushes", kQt, "brushes/ must not include Qt", ""},
        {"brushes", kTorch, "brushes/ must not include torch", ""},
        {"brushes", kOpenCV, "brushes/ must not include OpenCV", ""},
        {"brushes", std::regex(R"(^(app|ui|inference)/)"), "brushes/ must not depend on other layers", ""},
        {"app", kTorch, "app/ must not include torch (use inference/'s plain API)", ""},
        {"app", kWidgets, "app/ must not include Qt Widgets", ""},
        {"app", kSentencePiece, "app/ must not include sentencepiece", ""},
        {"app", std::regex(R"(^ui/)"), "app/ must not depend on ui/", "app/main.cpp"},
        {"ui", kTorch, "ui/ must not include torch", ""},
        {"ui", kSentencePiece, "ui/ must not include sentencepiece", ""},
    };
    return all;
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool appliesTo(const Rule& rule, const std::string& layer, const std::string& relative) {
    const bool inScope = rule.layer.back() == '/' ? startsWith(relative, rule.layer)
                                                  : rule.layer == layer;
    const bool exempt = !rule.exempt.empty() && (rule.exempt.back() == '/'
                                                     ? startsWith(relative, rule.exempt)
                                                     : rule.exempt == relative);
    return inScope && !exempt;
}

bool isSource(const fs::path& p) {
    const std::string ext = p.extension().string();
    return ext == ".h" || ext == ".hpp" || ext == ".cpp" || ext == ".cc" || ext == ".cxx";
}

}  // namespace

std::vector<LayerViolation> findLayerViolations(const fs::path& root) {
    static const std::regex includeLine(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
    std::vector<LayerViolation> found;
    for (const std::string layer : {"inference", "brushes", "app", "ui"}) {
        const fs::path dir = root / layer;
        if (!fs::is_directory(dir)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            if (!entry.is_regular_file() || !isSource(entry.path())) continue;
            const std::string relative = fs::relative(entry.path(), root).generic_string();
            std::ifstream in(entry.path());
            std::string text;
            int lineNumber = 0;
            while (std::getline(in, text)) {
                ++lineNumber;
                std::smatch m;
                if (!std::regex_search(text, m, includeLine)) continue;
                const std::string included = m[1];
                for (const Rule& rule : rules()) {
                    if (!appliesTo(rule, layer, relative)) continue;
                    if (std::regex_search(included, rule.forbidden)) {
                        found.push_back({entry.path(), lineNumber, included, rule.description});
                    }
                }
            }
        }
    }
    return found;
}

}  // namespace atelier::test
