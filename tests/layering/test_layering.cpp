#include "include_scanner.h"

#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;
using atelier::test::findLayerViolations;

namespace {

void writeFile(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("the source tree keeps the layer rules", "[layering]") {
    const auto violations = findLayerViolations(ATELIER_SOURCE_DIR);
    for (const auto& v : violations) {
        UNSCOPED_INFO(v.file.string() << ":" << v.line << ": #include <" << v.include << "> -- "
                                      << v.rule);
    }
    CHECK(violations.empty());
}

TEST_CASE("the layering check catches each kind of forbidden include", "[layering]") {
    const fs::path root = fs::temp_directory_path() / "atelier_layering_probe";
    fs::remove_all(root);
    writeFile(root / "inference/model.cpp", "#include <QImage>\n#include <torch/torch.h>\n");
    writeFile(root / "inference/qt_module.h", "  #  include <QtCore/QString>\n");
    writeFile(root / "inference/cv.cpp", "#include <opencv2/imgproc.hpp>\n");
    writeFile(root / "brushes/dab.cpp", "#include <ATen/ATen.h>\n#include \"app/document.h\"\n");
    writeFile(root / "app/doc.cpp", "#include <torch/nn.h>\n#include <QWidget>\n#include \"ui/x.h\"\n");
    writeFile(root / "app/main.cpp", "#include \"ui/application.h\"\n");  // the one allowed hand-over
    writeFile(root / "ui/view.cpp", "#include <c10/core/Device.h>\n#include <QPainter>\n");
    writeFile(root / "inference/tokenizer/loader.cpp",
              "#include <sentencepiece_processor.h>\n#include <unicode/uchar.h>\n");
    writeFile(root / "inference/tokenizer/module/core.cpp",
              "#include <sentencepiece_processor.h>\n#include <unicode/uchar.h>\n"
              "#include <ATen/Tensor.h>\n");

    const auto violations = findLayerViolations(root);
    auto count = [&](const std::string& fileName) {
        return std::count_if(violations.begin(), violations.end(),
                             [&](const auto& v) { return v.file.filename() == fileName; });
    };
    CHECK(count("model.cpp") == 1);    // QImage; torch is inference's own
    CHECK(count("qt_module.h") == 1);
    CHECK(count("cv.cpp") == 1);
    CHECK(count("dab.cpp") == 2);
    CHECK(count("doc.cpp") == 3);
    CHECK(count("main.cpp") == 0);
    CHECK(count("view.cpp") == 1);     // torch, not QPainter
    CHECK(count("loader.cpp") == 2);   // sentencepiece and ICU belong to the module
    CHECK(count("core.cpp") == 1);     // ... which must not see torch
    fs::remove_all(root);
}
