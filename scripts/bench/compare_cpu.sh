#!/usr/bin/env bash
# Side-by-side CPU benchmark: `atelier-cli bench` against the PyTorch (Python) peer
# (scripts/bench/pytorch_sd2_unet.py) on the same inputs, in one run, interleaved A B A B so that
# machine noise (other builds on a shared 2-core machine) falls on both sides alike. Prints a
# table of the guided-step times and their ratio. A benchmark, not part of the test suite.
#
#   scripts/bench/compare_cpu.sh [--rounds N] [--threads N] [--tiny-only | --full-only]
#                                [--tiny-size PX] [--tiny-steps N] [--full-steps N] [--out DIR]
#                                [--first-round K]
#
# Tiny: the reference txt2img-eps model from tests/data at --tiny-size px (default 64, latent
# 32x32). Full: the released 512-base UNet's architecture with random weights at 512x512 px
# (latent 64x64), `atelier-cli bench --full-size` against `pytorch_sd2_unet.py --full-size`.
# ATELIER_CLI overrides the binary (default build/app/cli/atelier-cli); without a usable one only
# the Python side is measured, and the table says so. --out DIR --first-round K adds rounds
# K.. to an earlier run's DIR (its table then covers all of them).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cli=${ATELIER_CLI:-$root/build/app/cli/atelier-cli}
# Debian's interpreter: python3-torch is installed for it (a pyenv or venv python3 lacks torch).
py=/usr/bin/python3
peer=$root/scripts/bench/pytorch_sd2_unet.py
tiny_model=$root/tests/data/reference/models/txt2img-eps/txt2img-eps.ldm.safetensors
rounds=2 first=1 threads=2 tiny_size=64 tiny_steps=10 full_steps=3 do_tiny=1 do_full=1
out=$root/build/bench-cpu-$(date -u +%Y%m%dT%H%M%SZ)

while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift ;;
    --first-round) first=$2; shift ;;
    --threads) threads=$2; shift ;;
    --tiny-size) tiny_size=$2; shift ;;
    --tiny-steps) tiny_steps=$2; shift ;;
    --full-steps) full_steps=$2; shift ;;
    --tiny-only) do_full=0 ;;
    --full-only) do_tiny=0 ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "compare_cpu.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# --- the Python side's packages (Debian's, so they share Atelier's libtorch) ---
missing=()
for pkg in python3-torch python3-yaml python3-numpy; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "installing ${missing[*]} (apt-get)"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

# --- same libtorch and BLAS on both sides ---
lib_of() {  # lib_of BINARY SONAME-PATTERN: the resolved path ldd gives, or "-"
  ldd "$1" 2>/dev/null | awk -v pat="$2" '$1 ~ pat && $3 ~ /^\// {print $3; exit}' |
    xargs -r readlink -f || true
}
torch_c=$("$py" -c 'import torch._C; print(torch._C.__file__)')
py_torch=$(lib_of "$torch_c" '^libtorch_cpu')
py_blas=$(lib_of "$torch_c" '^libblas')
have_cli=0
if [[ -x "$cli" ]] && "$cli" bench --help >/dev/null 2>&1; then
  have_cli=1
  cli_torch=$(lib_of "$cli" '^libtorch_cpu')
  cli_blas=$(lib_of "$cli" '^libblas')
  if [[ "$cli_torch" != "$py_torch" || "$cli_blas" != "$py_blas" ]]; then
    echo "warning: the two sides load different libraries:" >&2
    echo "  atelier-cli: $cli_torch, $cli_blas" >&2
    echo "  python3-torch: $py_torch, $py_blas" >&2
  fi
else
  echo "note: no usable '$cli bench' (build it, or set ATELIER_CLI); measuring the Python side only" >&2
fi
case "${py_blas:-}" in
  *openblas*) ;;
  *) echo "warning: libblas.so.3 is ${py_blas:-unresolved}, not OpenBLAS: run scripts/install-deps.sh" >&2 ;;
esac

mkdir -p "$out"
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine=$(. /etc/os-release && echo "$PRETTY_NAME"), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo)"
  echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "libtorch=$py_torch"
  echo "blas=$py_blas"
  echo "threads=$threads"
  ((have_cli)) && echo "atelier_cli=$cli"
  echo "python=$("$py" --version 2>&1), torch $("$py" -c 'import torch; print(torch.__version__)')"
} >>"$out/environment.txt"
cat "$out/environment.txt"
last=$((first + rounds - 1))

run_one() {  # run_one CASE ROUND SIDE COMMAND...: its JSON to CASE-ROUND-SIDE.json
  local stem=$out/$1-$2-$3
  shift 3
  cut -d' ' -f1-3 /proc/loadavg >"$stem.loadavg"
  echo "[$(date -u +%H:%M:%S)] $(basename "$stem"): $*  (load $(cat "$stem.loadavg"))"
  local rc=0
  "$@" >"$stem.json.part" 2>"$stem.err" || rc=$?
  if ((rc)); then
    echo "  failed (exit $rc): $(tail -n 3 "$stem.err")" >&2
  else
    mv "$stem.json.part" "$stem.json"
  fi
}

if ((do_tiny)); then
  for ((r = first; r <= last; r++)); do
    ((have_cli)) && run_one tiny "$r" atelier "$cli" bench --model "$tiny_model" \
      --width "$tiny_size" --height "$tiny_size" --steps "$tiny_steps" --threads "$threads" --json
    run_one tiny "$r" pytorch "$py" "$peer" --model "$tiny_model" \
      --width "$tiny_size" --height "$tiny_size" --steps "$tiny_steps" --threads "$threads" --json
  done
fi
if ((do_full)); then
  for ((r = first; r <= last; r++)); do
    ((have_cli)) && run_one full "$r" atelier "$cli" bench --full-size \
      --width 512 --height 512 --steps "$full_steps" --threads "$threads" --json
    run_one full "$r" pytorch "$py" "$peer" --full-size \
      --width 512 --height 512 --steps "$full_steps" --threads "$threads" --json
  done
fi

"$py" "$root/scripts/bench/compare_table.py" "$out" | tee "$out/table.md"
