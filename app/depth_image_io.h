#pragma once
// Depth maps as grey images, for artists to edit elsewhere and bring back (`atelier-cli depth`
// writes them, `depth2img --depth` and the depth layer read them). 16-bit PNG keeps 65,536
// levels: min depth -> 0, max -> 65535, white = near (inference/depth_map.h has the convention).
#include "app/image_io.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace atelier {

struct DepthImageLoadResult {
    int width = 0;
    int height = 0;
    std::vector<uint16_t> grey;  // row-major; 8-bit images are widened exactly (v * 257)
    QString error;               // names the file and what is wrong; empty on success
    bool ok() const { return error.isEmpty() && !grey.empty(); }
};

// Any image Qt reads (8- or 16-bit grey PNG expected; colour images are turned to grey by Qt's
// luminance conversion), with loadImage's pixel budget checked before decoding.
DepthImageLoadResult loadDepthImage(const QString& path, const ImageLimits& limits = {});

// Writes a 16-bit grey PNG atomically (as savePngAtomically). Returns an empty string or the error.
QString saveGrey16PngAtomically(int width, int height, const std::vector<uint16_t>& grey,
                                const QString& path);

}  // namespace atelier
