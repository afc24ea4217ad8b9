#!/usr/bin/env bash
# Quick start, command 2: installs and builds if needed, then runs the whole test suite.
# GUI tests run on Qt's offscreen platform (no display needed). Extra arguments go to ctest,
# e.g. `scripts/test.sh -L unit` or `scripts/test.sh -LE slow`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${ATELIER_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "$build_dir"
ctest --output-on-failure --parallel "$(nproc)" --timeout 1800 "$@"
