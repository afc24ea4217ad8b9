#!/usr/bin/env bash
# Installs every Debian 12 package Atelier needs to build, test and run.
# Idempotent: when every package is already installed it does nothing (no apt-get update).
# Why each package is here: see README.md, "Dependencies".
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache
  # inference: libtorch (CPU) and a fast BLAS for it; the tokenizer module's sentencepiece,
  # ICU and zlib
  libtorch-dev libopenblas0-pthread libsentencepiece-dev libicu-dev zlib1g-dev
  # app + ui: Qt 6 (Core, Gui, Widgets, Test), OpenCV image processing
  qt6-base-dev libgl-dev qt6-image-formats-plugins
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  # file formats and command line
  libzip-dev nlohmann-json3-dev libcli11-dev libyaml-cpp-dev
  # tests: Catch2 v2, a virtual X server for GUI tests
  catch2 xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian's libtorch calls whatever libblas.so.3 the alternatives system selects; the reference BLAS
# is ~16x slower for the UNet (367 s vs 22.8 s per guided step measured). Select OpenBLAS.
blas_alt=$(ls /usr/lib/*/openblas-pthread/libblas.so.3 2>/dev/null | head -n1 || true)
if [[ -n "$blas_alt" ]]; then
  current=$(readlink -f /etc/alternatives/libblas.so.3-$(basename "$(dirname "$(dirname "$blas_alt")")") 2>/dev/null || true)
  if [[ "$current" != "$blas_alt" ]]; then
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" update-alternatives --set "libblas.so.3-$(basename "$(dirname "$(dirname "$blas_alt")")")" "$blas_alt" || true
  fi
fi
