#!/usr/bin/env bash
# Builds inference/, atelier-cli and their tests against the libtorch of the python3 on PATH
# (no Qt, no OpenCV, no apt). Header-only dependencies come from .device-deps/ (see
# scripts/stage-header-deps.sh) when the system has none. Usage: scripts/build-inference-only.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$root/build-inference}
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DATELIER_INFERENCE_ONLY=ON \
  -DCMAKE_PREFIX_PATH="$torch_prefix;$root/.device-deps" \
  -DCMAKE_INCLUDE_PATH="$root/.device-deps/include"
cmake --build "$build_dir" --parallel "$(nproc)"
