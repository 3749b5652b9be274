#!/usr/bin/env bash
# Installs everything, builds, and runs the whole test suite: unit tests, end-to-end tests
# on exported CNNs against onnxruntime, and the sanitizer (ASan+UBSan) unit-test build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
ctest --preset release -j2
if [ "${OQNN_SKIP_ASAN:-0}" != 1 ]; then
  scripts/setup.sh asan
  ctest --preset asan -j2 -L unit
fi
