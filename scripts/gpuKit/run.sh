#!/bin/sh
# Slicebench GPU benchmark kit: gpu-kit/run.sh OUT_DIR [--quick]
# Runs the engine benchmarks with the kit's own Node, Dawn and Vulkan loader (no network, no Node needed) and writes
# one JSON file per bench plus summary.json into OUT_DIR. See README.md beside this file.
set -u

usage() { echo "usage: $0 OUT_DIR [--quick]" >&2; exit 2; }
[ $# -ge 1 ] || usage
OUT=$1
shift
QUICK=0
for a in "$@"; do
  case $a in
    --quick) QUICK=1 ;;
    *) usage ;;
  esac
done

KIT=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
say() { echo "gpu-kit: $*" >&2; }
die() { say "$*"; exit 1; }
command -v gzip >/dev/null 2>&1 || die "gzip is needed to unpack the kit's Node and Dawn"

# Unpack the runtime into a private temporary folder (the kit folder itself stays read-only).
T=$(mktemp -d "${TMPDIR:-/tmp}/slicebench-kit.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$T"' EXIT INT TERM
mkdir -p "$T/bin" "$T/app/node_modules/webgpu/dist/linux-x64" "$T/repo" "$T/shared/data" "$T/icd"
gzip -dc "$KIT/runtime/node.gz" >"$T/bin/node" && chmod +x "$T/bin/node" || die "could not unpack runtime/node.gz"
gzip -dc "$KIT/runtime/dawn.node.gz" >"$T/app/node_modules/webgpu/dist/linux-x64/dawn.node" || die "could not unpack runtime/dawn.node.gz"
cp "$KIT/runtime/webgpu/index.js" "$KIT/runtime/webgpu/package.json" "$T/app/node_modules/webgpu/"
cp "$KIT/slicebench.mjs" "$T/app/"
ln -s "$KIT/repo/public" "$T/repo/public"
ln -s "$KIT/repo/package.json" "$T/repo/package.json"
NODE=$T/bin/node
APP=$T/app/slicebench.mjs
if ! NODE_VERSION=$("$NODE" --version 2>&1); then
  say "the kit's Node does not start here: $NODE_VERSION"
  command -v ldd >/dev/null 2>&1 && ldd "$NODE" >&2
  exit 1
fi
say "Node $NODE_VERSION (the kit's own: $KIT/runtime/node.gz)"

# The openb trace for the paper-grid sweep (not shipped): a folder with the two default CSV files.
if [ -n "${SLICEBENCH_OPENB_DIR:-}" ]; then
  if [ -f "$SLICEBENCH_OPENB_DIR/openb_node_list_gpu_node.csv" ] && [ -f "$SLICEBENCH_OPENB_DIR/openb_pod_list_default.csv" ]; then
    ln -s "$(cd "$SLICEBENCH_OPENB_DIR" && pwd)" "$T/shared/data/openb"
    say "openb trace: $SLICEBENCH_OPENB_DIR (the paper-grid sweep runs)"
  else
    say "SLICEBENCH_OPENB_DIR=$SLICEBENCH_OPENB_DIR lacks openb_node_list_gpu_node.csv or openb_pod_list_default.csv: the paper-grid sweep is skipped"
  fi
else
  say "SLICEBENCH_OPENB_DIR unset: the paper-grid (openb) sweep is skipped"
fi

# Vulkan: the kit's loader, and a driver (ICD) from the environment, else the NVIDIA driver's usual places,
# else the kit's SwiftShader (software: its figures are not GPU figures).
export LD_LIBRARY_PATH="$KIT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
SWIFT_ICD=
if [ -f "$KIT/runtime/swiftshader/libvk_swiftshader.so.gz" ]; then
  gzip -dc "$KIT/runtime/swiftshader/libvk_swiftshader.so.gz" >"$T/icd/libvk_swiftshader.so"
  printf '%s\n' '{"file_format_version": "1.0.0", "ICD": {"library_path": "./libvk_swiftshader.so", "api_version": "1.0.5"}}' >"$T/icd/vk_swiftshader_icd.json"
  SWIFT_ICD=$T/icd/vk_swiftshader_icd.json
fi
ICD=
ICD_SOURCE=
if [ -n "${VK_ICD_FILENAMES:-}" ]; then
  ICD=$VK_ICD_FILENAMES ICD_SOURCE=VK_ICD_FILENAMES
elif [ -n "${VK_DRIVER_FILES:-}" ]; then
  ICD=$VK_DRIVER_FILES ICD_SOURCE=VK_DRIVER_FILES
else
  for f in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    if [ -f "$f" ]; then ICD=$f ICD_SOURCE="probed $f"; break; fi
  done
  if [ -z "$ICD" ] && [ -n "$SWIFT_ICD" ]; then
    ICD=$SWIFT_ICD ICD_SOURCE="no GPU driver found: the kit's SwiftShader (software)"
    say "no Vulkan GPU driver found (VK_ICD_FILENAMES/VK_DRIVER_FILES unset, no nvidia_icd.json): falling back to SwiftShader, a SOFTWARE adapter; its figures are NOT GPU figures"
  fi
fi
use_icd() { export VK_ICD_FILENAMES="$1" VK_DRIVER_FILES="$1"; }
if [ -n "$ICD" ]; then use_icd "$ICD"; say "Vulkan driver: $ICD ($ICD_SOURCE)"; else say "no Vulkan driver file found; the loader searches its default places"; fi

if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi >"$OUT/nvidia-smi.txt" 2>&1
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >"$T/nvidia-smi.csv" 2>/dev/null
  export SLICEBENCH_KIT_SMI_QUERY="$T/nvidia-smi.csv"
else
  say "no nvidia-smi on this machine"
fi

# The adapter Dawn picks; without one on a GPU driver, fall back to SwiftShader and say so.
"$NODE" "$APP" kit-adapter >"$T/adapter.json" 2>>"$OUT/run.log"
RC=$?
if [ $RC -eq 3 ] && [ -n "$SWIFT_ICD" ] && [ "$ICD" != "$SWIFT_ICD" ]; then
  say "Dawn found no adapter on $ICD: falling back to SwiftShader, a SOFTWARE adapter; its figures are NOT GPU figures"
  ICD_SOURCE="fallback: no adapter on $ICD"
  ICD=$SWIFT_ICD
  use_icd "$ICD"
  "$NODE" "$APP" kit-adapter >"$T/adapter.json" 2>>"$OUT/run.log"
  RC=$?
fi
if [ $RC -eq 0 ]; then
  ADAPTER=$(sed -n 's/^  "adapter": "\(.*\)",$/\1/p' "$T/adapter.json")
  if grep -q '"software": true' "$T/adapter.json"; then
    say "adapter: $ADAPTER — SOFTWARE adapter: the WebGPU rows are NOT GPU figures (summary.json: \"software\": true)"
  else
    say "adapter: $ADAPTER (GPU)"
  fi
else
  say "no WebGPU adapter at all: only the CPU rows are measured (see $OUT/run.log)"
fi

export SLICEBENCH_KIT_DIR="$KIT" SLICEBENCH_KIT_REPO="$T/repo" SLICEBENCH_KIT_ADAPTER_JSON="$T/adapter.json" \
  SLICEBENCH_KIT_ICD="$ICD" SLICEBENCH_KIT_ICD_SOURCE="$ICD_SOURCE" SLICEBENCH_KIT_QUICK="$QUICK"

# The benches: one JSON file each, written only when the bench succeeded (nothing partial is kept).
if [ $QUICK -eq 1 ]; then FLAGS="--quick --sizes 1e4"; else FLAGS=""; fi
TIMEOUT=${SLICEBENCH_KIT_BENCH_TIMEOUT_S:-300}
# SLICEBENCH_KIT_BENCHES (space-separated) runs a subset; summary.json lists only those
STATUSES=
for b in ${SLICEBENCH_KIT_BENCHES:-engine engine-fgd sweep}; do
  say "bench $b${FLAGS:+ ($FLAGS)}…"
  START=$(date +%s)
  if command -v timeout >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    timeout "$TIMEOUT" "$NODE" "$APP" bench --json --only "$b" $FLAGS >"$T/$b.json" 2>>"$OUT/run.log"
  else
    # shellcheck disable=SC2086
    "$NODE" "$APP" bench --json --only "$b" $FLAGS >"$T/$b.json" 2>>"$OUT/run.log"
  fi
  RC=$?
  if [ $RC -eq 0 ] && [ -s "$T/$b.json" ]; then
    mv "$T/$b.json" "$OUT/$b.json"
    STATUSES="$STATUSES $b=ok"
    say "bench $b: done in $(($(date +%s) - START)) s -> $OUT/$b.json"
  else
    STATUSES="$STATUSES $b=failed:$RC"
    rm -f "$OUT/$b.json"
    say "bench $b FAILED (exit $RC; 124: over ${TIMEOUT} s); see $OUT/run.log"
  fi
done

# shellcheck disable=SC2086
"$NODE" "$APP" kit-summary "$OUT" $STATUSES
