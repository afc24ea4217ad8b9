#!/usr/bin/env bash
# Quick start, command 1: installs every dependency (apt-get), builds, and launches Atelier.
# Arguments are passed to the app (e.g. an image to open).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
exec "${ATELIER_BUILD_DIR:-$root/build}/app/atelier" "$@"
