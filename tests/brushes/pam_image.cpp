#include "pam_image.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace atelier::brushes::test {

namespace {

using atelier::brushes::PixelFormat;

bool isSixteenBit(PixelFormat f) { return f == PixelFormat::Rgba16Premultiplied; }

}  // namespace

PamImage readPam(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot open");
    auto fail = [&](const std::string& what) { throw std::runtime_error(path + ": " + what); };
    std::string line;
    if (!std::getline(in, line) || line != "P7") fail("not a PAM file (no P7 line)");
    int width = -1, height = -1, depth = -1, maxval = -1;
    std::string tupltype;
    while (true) {
        if (!std::getline(in, line)) fail("header ends before ENDHDR");
        if (line.empty() || line[0] == '#') continue;
        if (line == "ENDHDR") break;
        std::istringstream fields(line);
        std::string key;
        fields >> key;
        if (key == "WIDTH")
            fields >> width;
        else if (key == "HEIGHT")
            fields >> height;
        else if (key == "DEPTH")
            fields >> depth;
        else if (key == "MAXVAL")
            fields >> maxval;
        else if (key == "TUPLTYPE")
            fields >> tupltype;
        else
            fail("unknown header line \"" + line + "\"");
        if (fields.fail()) fail("bad header line \"" + line + "\"");
    }
    if (width <= 0 || height <= 0 || width > 16384 || height > 16384) fail("bad size");
    PamImage image;
    image.width = width;
    image.height = height;
    if (depth == 4 && maxval == 255 && tupltype == "RGB_ALPHA") {
        image.format = PixelFormat::Rgba8Premultiplied;
    } else if (depth == 4 && maxval == 65535 && tupltype == "RGB_ALPHA") {
        image.format = PixelFormat::Rgba16Premultiplied;
    } else if (depth == 1 && maxval == 255 && tupltype == "GRAYSCALE") {
        image.format = PixelFormat::Grey8;
    } else {
        fail("unsupported DEPTH/MAXVAL/TUPLTYPE combination");
    }
    image.bytes.resize(std::size_t(width) * height * bytesPerPixel(image.format));
    in.read(reinterpret_cast<char*>(image.bytes.data()), std::streamsize(image.bytes.size()));
    if (std::size_t(in.gcount()) != image.bytes.size()) fail("truncated pixel data");
    if (in.peek() != std::char_traits<char>::eof()) fail("bytes after the pixel data");
    if (isSixteenBit(image.format)) {
        for (std::size_t i = 0; i < image.bytes.size(); i += 2) {
            const std::uint16_t v = std::uint16_t(image.bytes[i] << 8 | image.bytes[i + 1]);
            std::memcpy(&image.bytes[i], &v, 2);
        }
    }
    return image;
}

void writePam(const std::string& path, const PamImage& image) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path + ": cannot write");
    const bool grey = image.format == PixelFormat::Grey8;
    out << "P7\nWIDTH " << image.width << "\nHEIGHT " << image.height << "\nDEPTH "
        << (grey ? 1 : 4) << "\nMAXVAL " << (isSixteenBit(image.format) ? 65535 : 255)
        << "\nTUPLTYPE " << (grey ? "GRAYSCALE" : "RGB_ALPHA") << "\n"
        << (grey ? "" : "# premultiplied\n") << "ENDHDR\n";
    std::vector<std::uint8_t> bytes = image.bytes;
    if (isSixteenBit(image.format)) {
        for (std::size_t i = 0; i < bytes.size(); i += 2) {
            std::uint16_t v;
            std::memcpy(&v, &image.bytes[i], 2);
            bytes[i] = std::uint8_t(v >> 8);
            bytes[i + 1] = std::uint8_t(v & 0xff);
        }
    }
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error(path + ": write failed");
}

}  // namespace atelier::brushes::test
