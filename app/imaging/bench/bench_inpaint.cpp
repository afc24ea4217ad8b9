// bench_inpaint: milliseconds of the image side of one inpainting request (everything but the
// model): prepare (region, crop, masks, feather, fit), finish (resize back, colour match), and
// the paste, with a generator that returns its input. Usage: bench_inpaint [rounds]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "app/imaging/inpaint_compositor.h"

using namespace atelier::app;
using atelier::inference::ImageF;
using Clock = std::chrono::steady_clock;

namespace {

ImageF texture(int w, int h) {
    ImageF img(w, h, 3);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const float s = 0.5f + 0.5f * std::sin(0.35f * x + 0.21f * y);
            img.at(x, y, 0) = 0.1f + 0.5f * x / w + 0.2f * s;
            img.at(x, y, 1) = 0.2f + 0.5f * y / h + 0.1f * s;
            img.at(x, y, 2) = 0.7f - 0.2f * s;
        }
    }
    return img;
}

ImageF disc(int w, int h, float r) {
    ImageF m(w, h, 1);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            if (std::hypot(x - w / 2.f, y - h / 2.f) <= r) m.at(x, y, 0) = 1.f;
        }
    }
    return m;
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void run(const char* name, const ImageF& image, const ImageF& mask, int rounds) {
    const InpaintOptions options;
    std::vector<double> prepare, finish, paste;
    InpaintJob job;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = Clock::now();
        job = prepareInpaint(image, mask, options);
        const auto t1 = Clock::now();
        const InpaintPatch patch = finishInpaint(job, job.workingImage, options);
        const auto t2 = Clock::now();
        ImageF target = image;  // the copy is not timed
        const auto t3 = Clock::now();
        applyPatch(target, patch);
        const auto t4 = Clock::now();
        prepare.push_back(ms(t1 - t0));
        finish.push_back(ms(t2 - t1));
        paste.push_back(ms(t4 - t3));
    }
    const PixelRect c = job.region.crop;
    std::printf("| %s | %dx%d -> %dx%d | %.1f | %.1f | %.1f | %.1f |\n", name, c.width, c.height,
                job.region.workingSize.width, job.region.workingSize.height, median(prepare),
                median(finish), median(paste), median(prepare) + median(finish) + median(paste));
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const ImageF image = texture(4096, 3072);
    std::printf(
        "| case (4096x3072 image) | crop -> working | prepare ms | finish ms | paste ms "
        "| total ms |\n| --- | --- | --- | --- | --- | --- |\n");
    run("disc r=200", image, disc(4096, 3072, 200), rounds);
    run("disc r=1000", image, disc(4096, 3072, 1000), rounds);
    run("whole image", image, ImageF(4096, 3072, 1, 1.f), rounds);
    return 0;
}
