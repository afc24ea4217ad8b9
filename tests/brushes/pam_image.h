#pragma once
// Reference images for the replay test, in PAM (netpbm's "P7"): a short text header, then raw
// samples, row by row; 16-bit samples big-endian, as PAM specifies. The header carries a comment
// "# premultiplied" because our RGBA is (PAM's RGB_ALPHA is straight by convention): viewers
// such as ImageMagick's `convert x.pam x.png` show soft edges slightly dark, the bytes are exact.
//   P7 / WIDTH w / HEIGHT h / DEPTH 4|1 / MAXVAL 255|65535 / TUPLTYPE RGB_ALPHA|GRAYSCALE / ENDHDR
#include <stdexcept>
#include <string>
#include <vector>

#include "brushes/pixel_view.h"

namespace atelier::brushes::test {

struct PamImage {
    int width = 0;
    int height = 0;
    atelier::brushes::PixelFormat format = atelier::brushes::PixelFormat::Rgba8Premultiplied;
    std::vector<std::uint8_t> bytes;  // in the buffer's layout (native-endian 16-bit)
};

// Throws std::runtime_error naming the file and the problem.
PamImage readPam(const std::string& path);
void writePam(const std::string& path, const PamImage& image);

}  // namespace atelier::brushes::test
