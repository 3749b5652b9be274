#!/usr/bin/env bash
# Installs everything, builds, and runs the seed pipeline (convert → model library →
# context binary → run) on examples/simple_model for the htp, gpu and cpu targets,
# comparing every output with onnxruntime.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
exec examples/simple_model/run.sh
