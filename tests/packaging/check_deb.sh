#!/usr/bin/env bash
# Builds the .deb with cpack, unpacks it into a temporary root and checks that the installed
# programs find their resources: the tokenizer module and vocabulary (atelier-cli tokenize), the
# brush presets, the desktop entry, icon and AppStream file, and that `atelier` starts.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack -G DEB -B "$work/out" --config "$build_dir/CPackConfig.cmake" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/*.deb)
dpkg-deb -x "$deb" "$work/root"
root=$work/root
for f in usr/bin/atelier usr/bin/atelier-cli usr/lib/atelier/atelier_tokenizer_sp.so \
         usr/share/atelier/tokenizer/bpe_simple_vocab_16e6.txt.gz usr/share/atelier/brushes/pencil.json \
         usr/share/applications/io.atelier.Atelier.desktop usr/share/metainfo/io.atelier.Atelier.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/io.atelier.Atelier.svg; do
  [[ -e "$root/$f" ]] || { echo "missing from the package: $f"; exit 1; }
done
# Run from elsewhere so nothing is found through the build or source tree by accident.
cd "$work"
ids=$(env -u ATELIER_TOKENIZER_MODULE -u ATELIER_TOKENIZER_VOCAB "$root/usr/bin/atelier-cli" tokenize "a red fox")
[[ "$ids" == "49406 320 736 3240 49407 0"* ]] || { echo "installed tokenize gave: $ids"; exit 1; }
set +e
QT_QPA_PLATFORM=offscreen timeout 5 "$root/usr/bin/atelier" > "$work/app.log" 2>&1
status=$?
set -e
[[ $status -eq 124 ]] || { echo "installed atelier exited with $status:"; cat "$work/app.log"; exit 1; }
echo "package $(basename "$deb") installs and runs"
