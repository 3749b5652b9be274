"""Helpers for the end-to-end tests: run the qnn-* commands, make inputs, compare with
onnxruntime. The build folder comes from $OQNN_BUILD_DIR (set by ctest)."""
import json
import math
import os
import re
import subprocess

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("OQNN_BUILD_DIR", os.path.join(REPO, "build"))
BIN = os.path.join(BUILD, "bin")
MODELS = os.environ.get("OQNN_E2E_MODELS", os.path.join(BUILD, "e2e-models"))


def tool(name, *args, cwd=None, check=True, env=None):
    """Runs a qnn-* command; returns the CompletedProcess (text, stdout+stderr captured)."""
    cmd = [os.path.join(BIN, name)] + [str(a) for a in args]
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=full_env, stdin=subprocess.DEVNULL)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def sanitize(name):
    s = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return s if (s and (s[0].isalpha() or s[0] == "_")) else "_" + s


def make_inputs(folder, shape, count, seed, name="input"):
    """Random normal float32 raw files; returns (list_path, arrays in raw order)."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    arrays, lines = [], []
    for i in range(count):
        a = rng.standard_normal(shape).astype(np.float32)
        p = os.path.join(folder, f"{name}_{i}.raw")
        a.tofile(p)
        arrays.append(a)
        lines.append(p)
    lst = os.path.join(folder, "input_list.txt")
    with open(lst, "w") as f:
        f.write("\n".join(lines) + "\n")
    return lst, arrays


def io_info(net_json):
    with open(net_json) as f:
        io = json.load(f).get("io", {})
    return {e["name"]: ([int(d) for d in e["dims"]], e.get("layout", "")) for k in ("inputs", "outputs")
            for e in io.get(k, [])}


def onnx_reference(onnx_path, raw_inputs, input_layout):
    """onnxruntime outputs for raw (as-fed) inputs; NHWC raw data is transposed to NCHW."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    # The reference is the model as written: onnxruntime's graph rewrites (e.g. fusing Pad
    # into AveragePool) can change results.
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    outs = []
    for a in raw_inputs:
        x = a.reshape(1, 224, 224, 3).transpose(0, 3, 1, 2) if input_layout == "NHWC" else a
        outs.append(sess.run(None, {name: np.ascontiguousarray(x)})[0])
    return outs


def net_run(root, backend, tag, input_list, count, lib=None, context=None, output="output"):
    """qnn-net-run of a model library or a context binary into root/out_<tag>; returns the
    `output` of each of the `count` inputs (float32, flat)."""
    out = os.path.join(root, f"out_{tag}")
    args = ["--backend", backend, "--input_list", input_list, "--output_dir", out]
    args += ["--model", lib] if lib else ["--retrieve_context", context]
    tool("qnn-net-run", *args)
    return [read_output(out, i, output) for i in range(count)]


def context_binary(root, backend, lib):
    """qnn-context-binary-generator into root/ctx_<backend>; returns (path, its stderr)."""
    d = os.path.join(root, f"ctx_{backend}")
    p = tool("qnn-context-binary-generator", "--model", lib, "--backend", backend, "--output_dir", d)
    return os.path.join(d, f"{backend}_context.bin"), p.stderr


def read_output(out_dir, i, name="output"):
    return np.fromfile(os.path.join(out_dir, f"Result_{i}", sanitize(name) + ".raw"), dtype=np.float32)


def rel_error(ref, got):
    ref = ref.reshape(-1).astype(np.float64)
    got = got.reshape(-1).astype(np.float64)
    return float(np.max(np.abs(ref - got)) / max(float(np.max(np.abs(ref))), 1e-30))


def sqnr_db(ref, got):
    ref = ref.reshape(-1).astype(np.float64)
    got = got.reshape(-1).astype(np.float64)
    noise = float(np.sum((ref - got) ** 2))
    return math.inf if noise == 0 else 10 * math.log10(float(np.sum(ref ** 2)) / noise)


def files_under(folder):
    found = []
    for root, _, files in os.walk(folder):
        found += [os.path.join(root, f) for f in files]
    return sorted(found)


def ort_quantize_static(onnx_path, calib_feeds, out_path, per_channel=False):
    """onnxruntime's own static W8A8 quantization of the model into out_path: QDQ format,
    MinMax calibration on `calib_feeds`, uint8 activations, int8 weights."""
    from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType
    from onnxruntime.quantization import quantize_static

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(calib_feeds)

        def get_next(self):
            return next(self.it, None)

    quantize_static(onnx_path, out_path, Reader(), quant_format=QuantFormat.QDQ, per_channel=per_channel,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)


def ort_qdq_outputs(onnx_path, calib_feeds, test_feeds, out_path, per_channel=False):
    """ort_quantize_static's model run on `test_feeds`: the anchor the HTP target's SQNR is
    compared with."""
    import onnxruntime as ort
    ort_quantize_static(onnx_path, calib_feeds, out_path, per_channel)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(out_path, so, providers=["CPUExecutionProvider"])
    return [sess.run(None, f)[0] for f in test_feeds]
