#!/usr/bin/env bash
# Installs everything OpenQNN needs on Debian 12 (as root, or with sudo), creates the test
# venv (.venv) and builds a tree (build/ for release, build-asan/ for asan). Safe to run
# again: each step is skipped when already done.
# Usage: scripts/setup.sh [release|asan] [--tests-only]  (--tests-only: the unit tests and
# what they run, without the OpenCL backend, plus the fuzz targets for asan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
tests_only="${2:-}"

packages=(build-essential cmake ninja-build ccache clang libclang-rt-14-dev pkg-config git
  libonnx-dev libprotobuf-dev protobuf-compiler libcli11-dev nlohmann-json3-dev
  libfmt-dev libspdlog-dev libgtest-dev libgmock-dev libxxhash-dev
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd
  python3 python3-venv python3-pip python3-numpy python3-torch python3-torchvision)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's python3 (not a pyenv shim): torch comes from Debian's packages.
py=/usr/bin/python3
if [ ! -x .venv/bin/python ] || ! cmp -s requirements.txt .venv/.requirements; then
  echo "setup: creating .venv"
  rm -rf .venv
  "$py" -m venv --system-site-packages .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  cp requirements.txt .venv/.requirements
fi

# Paths relative to the checkout, so that clones in other folders share the cache.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}" CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset "$preset" -DOQNN_PYTHON="$PWD/.venv/bin/python" >/dev/null
if [ "$tests_only" = "--tests-only" ]; then
  cmake --build --preset "$preset" --target test_ir test_quant test_onnx test_passes test_codegen \
    test_cpu test_cpu_onnxruntime test_htp test_runtime test_runtime_pipeline \
    qnn-model-lib-generator QnnCpu QnnHtp
  # The asan preset (clang) also builds the fuzz targets and the tools their corpus needs.
  if [ "$preset" = asan ]; then cmake --build --preset "$preset" --target oqnn_fuzz; fi
else
  cmake --build --preset "$preset"
fi
