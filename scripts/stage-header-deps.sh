#!/usr/bin/env bash
# Copies the header-only dependencies that inference/ and atelier-cli need (nlohmann-json, CLI11,
# Catch2 v2 + its CMake files) from this Debian machine into .device-deps/, so that a machine with
# only CMake, a compiler and a libtorch (e.g. a GPU box with a PyTorch wheel) can build and test
# them with scripts/build-inference-only.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.device-deps"
rm -rf "$dest"
mkdir -p "$dest/include" "$dest/lib/cmake"
cp -r /usr/include/nlohmann /usr/include/CLI /usr/include/catch2 "$dest/include/"
cp -r /usr/lib/cmake/Catch2 "$dest/lib/cmake/"
# Catch2's exported targets also name its prebuilt main; CMake checks that the file exists.
cp /usr/lib/libCatch2WithMain.a "$dest/lib/"
du -sh "$dest"
