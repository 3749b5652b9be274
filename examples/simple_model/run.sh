#!/usr/bin/env bash
# The course page's pipeline, command for command, on the bundled SimpleModel:
# convert → model library → context binary (htp, gpu, cpu) → qnn-net-run, then every
# output compared with onnxruntime. Needs a built tree (scripts/setup.sh).
# Outputs land in examples/simple_model/out/ (or $OQNN_EXAMPLE_DIR), laid out as the
# page's "Output structure".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export PATH="$repo/build/bin:$PATH"
py="$repo/.venv/bin/python"
work="${OQNN_EXAMPLE_DIR:-$here/out}"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
cp "$here/simple_model.onnx" "$here/quantization_config.json" "$here/backend_config.json" .
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "8 random calibration/test inputs (NHWC raw float32) and input_data.txt"
"$py" "$repo/scripts/make_inputs.py" --name input --shape 1,3,224,224 --count 8 \
  --out_dir data --list input_data.txt >/dev/null

step "Convert ONNX to QNN format"
run qnn-onnx-converter \
    --input_network simple_model.onnx \
    --output_path simple_model.cpp \
    --input_dim input 1,3,224,224 \
    --quantization_overrides quantization_config.json

step "Generate the model library (checked against all three backends)"
run qnn-model-lib-generator \
    -c simple_model.cpp \
    -b simple_model.bin \
    -t x86_64-linux-clang \
    -l simple_model \
    -o simple_model_qnn.so \
    --target_backends htp,gpu,cpu

step "The page's advanced conversion (Step 1) and multi-backend library (Step 2)"
run qnn-onnx-converter \
    --input_network simple_model.onnx \
    --output_path model_quantized.cpp \
    --input_dim input 1,3,224,224 \
    --quantization_overrides quantization_config.json \
    --target_device hexagon \
    --optimization_level high
run qnn-model-lib-generator \
    -c model_quantized.cpp \
    -b model_quantized.bin \
    -t x86_64-linux-clang \
    -l model_optimized \
    -o model_optimized.so \
    --target_backends htp,gpu,cpu
echo "(the page builds Step 2 for -t aarch64-android, a phone; that target needs Android's NDK:)"
qnn-model-lib-generator -c model_quantized.cpp -b model_quantized.bin -t aarch64-android \
    -l model_optimized -o model_optimized_android.so --target_backends htp,gpu,cpu || echo "exit code $?"

step "Context binaries for deployment"
for backend in libQnnHtp.so libQnnGpu.so libQnnCpu.so; do
  run qnn-context-binary-generator \
      --model simple_model_qnn.so \
      --backend "$backend" \
      --output_dir ./context_binaries \
      --input_list input_data.txt \
      --optimization_level high \
      --config_file backend_config.json
done
"$py" - <<'PY'
import json
net = json.load(open("simple_model_net.json"))
json.dump(net.get("io", {}), open("input_specs.json", "w"), indent=2)
PY

step "Inference (the page's two commands, then the rest of the matrix)"
run qnn-net-run --retrieve_context ./context_binaries/htp_context.bin --backend libQnnHtp.so --input_list input_data.txt
mv output output_htp_context
run qnn-net-run --model simple_model_qnn.so --backend libQnnCpu.so --input_list input_data.txt
mv output output_cpu_model
for t in Gpu Cpu; do
  lc=$(echo "$t" | tr A-Z a-z)
  run qnn-net-run --retrieve_context "./context_binaries/${lc}_context.bin" --backend "libQnn$t.so" \
      --input_list input_data.txt --output_dir "output_${lc}_context"
done
run qnn-net-run --model simple_model_qnn.so --backend libQnnGpu.so --input_list input_data.txt \
    --output_dir output_gpu_model --config_file backend_config.json
run qnn-net-run --model simple_model_qnn.so --backend libQnnHtp.so --input_list input_data.txt \
    --output_dir output_htp_model --profiling_level detailed

step "Compared with onnxruntime (same inputs)"
cmp() { "$py" "$repo/scripts/compare.py" --onnx simple_model.onnx --net_json simple_model_net.json \
          --input_list input_data.txt --input_dim input 1,3,224,224 "$@"; }
status=0
cmp --output_dir output_cpu_model --label "cpu  (model library) " --max_rel 1e-4 || status=1
cmp --output_dir output_cpu_context --label "cpu  (context binary)" --max_rel 1e-4 || status=1
cmp --output_dir output_gpu_model --label "gpu  (model library) " --max_rel 1e-2 || status=1
cmp --output_dir output_gpu_context --label "gpu  (context binary)" --max_rel 1e-2 || status=1
cmp --output_dir output_htp_model --label "htp  (model library) " --min_sqnr 32 || status=1
cmp --output_dir output_htp_context --label "htp  (context binary)" --min_sqnr 32 || status=1
if diff -rq output_htp_model output_htp_context --exclude='*.log' >/dev/null; then
  echo "htp: model library and context binary outputs are bit-identical"
else
  echo "htp: FAIL: model library and context binary outputs differ"; status=1
fi

step "Where things are ($work)"
ls -1 simple_model_qnn.so context_binaries/*.bin quantization_config.json input_specs.json
echo "outputs: $work/output_{cpu,gpu,htp}_{model,context}/Result_*/output.raw"
echo "profile: qnn-profile-viewer --input_log $work/output_htp_model/qnn-profiling-data_0.log"
exit $status
