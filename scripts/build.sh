#!/usr/bin/env bash
# Configures (once) and builds Atelier into ./build. Fast when nothing changed.
# Extra CMake arguments for the first configure: $ATELIER_CMAKE_ARGS and this script's arguments.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${ATELIER_BUILD_DIR:-$root/build}
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# ccache: share hits between clones of the repository (CI clones into a new folder each time).
export CCACHE_BASEDIR="$root"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    ${ATELIER_CMAKE_ARGS:-} "$@"
fi
cmake --build "$build_dir" --parallel "$(nproc)"
