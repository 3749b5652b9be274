#!/usr/bin/env bash
# Installs everything, builds, and runs the whole test suite: unit tests, end-to-end tests
# on exported CNNs against onnxruntime, the docs check, then the unit tests again in an
# ASan+UBSan build (all but the OpenCL ones: PoCL's JIT under ASan is slow and not ours),
# and each libFuzzer target of that build briefly over its seed corpus (tests/fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
ctest --preset release -j2
if [ "${OQNN_SKIP_ASAN:-0}" != 1 ]; then
  scripts/setup.sh asan --tests-only
  ctest --preset asan -j2 -L unit -E "^test_gpu[.]"
  if [ -x build-asan/bin/fuzz_onnx_import ]; then ctest --preset asan -j2 -L fuzz; fi
fi
