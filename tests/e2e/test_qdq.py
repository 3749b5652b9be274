"""A QDQ-format quantized model end to end (docs/quantization.md, "QDQ models"): a small torch
Conv-Conv-Gemm net quantized by onnxruntime's quantize_static (QDQ format, uint8 activations,
int8 weights, per channel and per tensor) through the converter, the model-library generator,
the context-binary generator and qnn-net-run on cpu, gpu and htp.

The weights' DequantizeLinear fold at import (float weights); each activation's
QuantizeLinear -> DequantizeLinear pair runs as Quantize -> Dequantize. The reference is
onnxruntime running the QDQ model with its graph rewrites off (no QLinearConv fusion): the
same fake-quantized float arithmetic. The CPU computes what onnxruntime does (folded weights
equal its DequantizeLinear outputs bit for bit; Quantize divides by the scale and rounds half
to even as it does), so only the order of a convolution's float additions could differ; that
could move a code by one step only where a Q input sits within a few float ulps of a rounding
boundary (on these inputs the closest is 5e-4 steps away, over a dozen float32 ulps of the
largest such value), and the CPU is held to the 1e-4 bar (it is bit-exact here). On the GPU every activation is stored in
fp16, which moves Q inputs by up to 2^-11 of their value: a Q near a boundary then rounds the
other way, so the GPU is held to its fp16 bar plus one step of the output's Q. The HTP
requantizes every activation with its own calibrated 8-bit encodings and is held to the SQNR
bar of quantized targets against the QDQ reference."""
import numpy as np
import pytest

from e2e_lib import rel_error, sqnr_db, tool

SHAPE = (1, 3, 8, 8)
CPU_MAX_REL = 1e-4  # docs/accuracy.md's bars
GPU_MAX_REL = 1e-2
HTP_MIN_SQNR = 25.0  # dB against the QDQ reference (test_fallback.py's bar for quantized paths)


def export_qdq(d, per_channel):
    import torch
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = torch.nn.Conv2d(3, 8, 3, padding=1)
            self.c2 = torch.nn.Conv2d(8, 8, 3, stride=2)
            self.fc = torch.nn.Linear(8 * 3 * 3, 10)

        def forward(self, x):
            return self.fc(torch.flatten(self.c2(torch.relu(self.c1(x))), 1))

    torch.manual_seed(0)
    fp32 = str(d / "fp32.onnx")
    torch.onnx.export(Net().eval(), torch.randn(*SHAPE), fp32, input_names=["input"], output_names=["output"],
                      opset_version=13)
    rng = np.random.default_rng(1)
    calib = [{"input": rng.standard_normal(SHAPE).astype(np.float32)} for _ in range(8)]

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(calib)

        def get_next(self):
            return next(self.it, None)

    qdq = str(d / "qdq.onnx")
    quantize_static(fp32, qdq, Reader(), quant_format=QuantFormat.QDQ, per_channel=per_channel,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    return fp32, qdq


def output_step(qdq_path):
    """The scale of the QuantizeLinear feeding the graph output: one code step of the output."""
    import onnx
    from onnx import numpy_helper

    m = onnx.load(qdq_path)
    inits = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    producer = {o: n for n in m.graph.node for o in n.output}
    dq = producer[m.graph.output[0].name]
    assert dq.op_type == "DequantizeLinear"
    return float(inits[dq.input[1]])


@pytest.fixture(scope="module", params=[True, False], ids=["per_channel", "per_tensor"])
def built(request, tmp_path_factory):
    d = tmp_path_factory.mktemp("qdq")
    fp32, qdq = export_qdq(d, request.param)
    rng = np.random.default_rng(5)
    xs = [rng.standard_normal(SHAPE).astype(np.float32) for _ in range(4)]
    lines = []
    for i, x in enumerate(xs):
        x.tofile(d / f"x{i}.raw")
        lines.append(str(d / f"x{i}.raw"))
    lst = d / "list.txt"
    lst.write_text("\n".join(lines) + "\n")
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    refs = {}
    for tag, path in (("qdq", qdq), ("fp32", fp32)):
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        refs[tag] = [sess.run(None, {"input": x})[0].reshape(-1) for x in xs]
    return {"dir": d, "qdq": qdq, "list": lst, "refs": refs, "n": len(xs)}


def run_commands(b, backend):
    d = b["dir"] / backend
    cpp = d / "m.cpp"
    calib = ["--input_list", b["list"]] if backend == "htp" else []
    tool("qnn-onnx-converter", "-i", b["qdq"], "-o", cpp, "--preserve_io", "layout", *calib)
    tool("qnn-model-lib-generator", "-c", cpp, "-b", d / "m.bin", "-o", d / "libm.so")
    gen = tool("qnn-context-binary-generator", "--model", d / "libm.so", "--backend", backend, "--output_dir",
               d / "ctx", "--input_list", b["list"])
    tool("qnn-net-run", "--retrieve_context", d / "ctx" / f"{backend}_context.bin", "--backend", backend,
         "--input_list", b["list"], "--output_dir", d / "out")
    outs = [np.fromfile(d / "out" / f"Result_{i}" / "output.raw", dtype=np.float32) for i in range(b["n"])]
    return gen.stderr, outs


def test_cpu_matches_onnxruntime_qdq(built):
    _, outs = run_commands(built, "cpu")
    for ref, got in zip(built["refs"]["qdq"], outs):
        assert rel_error(ref, got) <= CPU_MAX_REL


def test_gpu_runs_dequantize_and_falls_back_for_quantize(built):
    log, outs = run_commands(built, "gpu")
    # QNN's GPU has no Quantize: those (and only those) run on the cpu.
    assert "cpu fallback for 5 of" in log and "(Quantize x5;" in log, log
    step = output_step(built["qdq"])
    for ref, got in zip(built["refs"]["qdq"], outs):
        err = float(np.max(np.abs(ref - got)))
        assert err <= GPU_MAX_REL * float(np.max(np.abs(ref))) + step, (err, step)


def test_htp_within_the_quantized_bar(built):
    log, outs = run_commands(built, "htp")
    # Quantize / Dequantize run on the htp (one partition, no cpu fallback): each Dequantize's
    # output keeps its codes' grid, so the convolutions read the QDQ model's own encodings.
    assert "cpu fallback" not in log, log
    for ref, got in zip(built["refs"]["qdq"], outs):
        s = sqnr_db(ref, got)
        print(f"qdq net on htp: SQNR {s:.1f} dB vs the QDQ reference (floor {HTP_MIN_SQNR} dB)")
        assert s >= HTP_MIN_SQNR


def standalone_model(path):
    """QuantizeLinear to uint8 (per tensor) and int16 (per axis) graph outputs, and a
    DequantizeLinear of an int8 graph input (per axis), opset 21."""
    import onnx
    from onnx import TensorProto as T
    from onnx import helper as h
    from onnx import numpy_helper as nh
    inits = [nh.from_array(np.array(0.25, np.float32), "s"), nh.from_array(np.array(128, np.uint8), "zp"),
             nh.from_array(np.array([0.5, 0.1, 3.0], np.float32), "s3"),
             nh.from_array(np.array([0, -7, 100], np.int16), "zp3"),
             nh.from_array(np.array([1, -3, 0], np.int8), "dzp")]
    nodes = [h.make_node("QuantizeLinear", ["x", "s", "zp"], ["y_u8"], name="q_u8"),
             h.make_node("QuantizeLinear", ["x", "s3", "zp3"], ["y_i16"], axis=1, name="q_i16"),
             h.make_node("DequantizeLinear", ["qin", "s3", "dzp"], ["d"], axis=1, name="dq")]
    io = lambda n, t: h.make_tensor_value_info(n, t, [2, 3, 4])  # noqa: E731
    graph = h.make_graph(nodes, "standalone", [io("x", T.FLOAT), io("qin", T.INT8)],
                         [io("y_u8", T.UINT8), io("y_i16", T.INT16), io("d", T.FLOAT)], inits)
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 21)]), path)


@pytest.mark.parametrize("backend", ["cpu", "gpu", "htp"])
def test_standalone_quantize_dequantize_match_onnxruntime_exactly(tmp_path, backend):
    """Integer graph outputs and inputs: codes bit-identical to onnxruntime's, ties (x / scale
    on .5) rounded to even, NaN / inf / huge values saturated; the htp runs the whole graph on
    the cpu (its one partition: x has no encoding to quantize from, the others are per axis),
    the gpu the Dequantize."""
    import onnxruntime as ort
    model = tmp_path / "sa.onnx"
    standalone_model(str(model))
    rng = np.random.default_rng(0)
    x = (rng.integers(-600, 600, (2, 3, 4)) * 0.125).astype(np.float32)  # x / 0.25 often on .5
    x.reshape(-1)[:4] = [np.nan, np.inf, -np.inf, 1e30]
    q = rng.integers(-128, 128, (2, 3, 4)).astype(np.int8)
    x.tofile(tmp_path / "x.raw")
    q.tofile(tmp_path / "q.raw")
    lst = tmp_path / "list.txt"
    lst.write_text(f"x:={tmp_path / 'x.raw'} qin:={tmp_path / 'q.raw'}\n")
    tool("qnn-onnx-converter", "-i", model, "-o", tmp_path / "m.cpp")
    tool("qnn-model-lib-generator", "-c", tmp_path / "m.cpp", "-o", tmp_path / "libm.so")
    tool("qnn-context-binary-generator", "--model", tmp_path / "libm.so", "--backend", backend, "--output_dir",
         tmp_path / "ctx")
    out = tmp_path / "out"
    tool("qnn-net-run", "--retrieve_context", tmp_path / "ctx" / f"{backend}_context.bin", "--backend", backend,
         "--input_list", lst, "--output_dir", out, "--output_data_type", "native_only",
         "--native_input_tensor_names", "qin")
    refs = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(None, {"x": x, "qin": q})
    for name, ref in zip(("y_u8", "y_i16", "d"), refs):
        got = np.fromfile(out / "Result_0" / f"{name}_native.raw", dtype=ref.dtype)
        assert got.tobytes() == ref.tobytes(), (name, ref.reshape(-1), got)


def native_model(path):
    """Per-tensor QuantizeLinear to uint8, int8 and uint16 graph outputs (the uint8 codes also
    dequantized again), DequantizeLinear of a uint8 and an int8 graph input, opset 21."""
    import onnx
    from onnx import TensorProto as T
    from onnx import helper as h
    from onnx import numpy_helper as nh
    c = lambda v, t, n: nh.from_array(np.array(v, t), n)  # noqa: E731
    inits = [c(0.25, np.float32, "s"), c(128, np.uint8, "zp"), c(0.5, np.float32, "s8"),
             c(-3, np.int8, "zp8"), c(0.01, np.float32, "s16"), c(30000, np.uint16, "zp16"),
             c(0.1, np.float32, "sd"), c(7, np.uint8, "zpd"), c(0.05, np.float32, "sd8"),
             c(-4, np.int8, "zpd8")]
    nodes = [h.make_node("QuantizeLinear", ["x", "s", "zp"], ["y_u8"], name="q_u8"),
             h.make_node("QuantizeLinear", ["x", "s8", "zp8"], ["y_i8"], name="q_i8"),
             h.make_node("QuantizeLinear", ["x", "s16", "zp16"], ["y_u16"], name="q_u16"),
             h.make_node("DequantizeLinear", ["y_u8", "s", "zp"], ["xr"], name="dq_back"),
             h.make_node("DequantizeLinear", ["qin", "sd", "zpd"], ["d"], name="dq_u8"),
             h.make_node("DequantizeLinear", ["qs", "sd8", "zpd8"], ["d8"], name="dq_i8")]
    io = lambda n, t: h.make_tensor_value_info(n, t, [2, 3, 4])  # noqa: E731
    graph = h.make_graph(nodes, "native", [io("x", T.FLOAT), io("qin", T.UINT8), io("qs", T.INT8)],
                         [io("y_u8", T.UINT8), io("y_i8", T.INT8), io("y_u16", T.UINT16), io("xr", T.FLOAT),
                          io("d", T.FLOAT), io("d8", T.FLOAT)], inits)
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 21)]), path)


def run_native(tmp_path, backend, model, lst, overrides):
    d = tmp_path / backend
    tool("qnn-onnx-converter", "-i", model, "-o", d / "m.cpp", "--quantization_overrides", overrides)
    tool("qnn-model-lib-generator", "-c", d / "m.cpp", "-o", d / "libm.so")
    gen = tool("qnn-context-binary-generator", "--model", d / "libm.so", "--backend", backend, "--output_dir",
               d / "ctx")
    tool("qnn-net-run", "--retrieve_context", d / "ctx" / f"{backend}_context.bin", "--backend", backend,
         "--input_list", lst, "--output_dir", d / "out", "--output_data_type", "float_and_native",
         "--native_input_tensor_names", "qin,qs")
    return gen.stderr, d / "out" / "Result_0"


def test_htp_runs_per_tensor_quantize_dequantize_natively_and_exactly(tmp_path):
    """With x's encoding exact (an override: scale 0.125 over x's grid), the htp runs every node
    itself and its integer graph outputs hold the cpu backend's codes, which are onnxruntime's
    (ties x / scale on .5 to even included); the Dequantize outputs, on their codes' grid, are
    onnxruntime's floats bit for bit."""
    import json
    import onnxruntime as ort
    model = tmp_path / "native.onnx"
    native_model(str(model))
    rng = np.random.default_rng(3)
    x = (rng.integers(-128, 128, (2, 3, 4)) * 0.125).astype(np.float32)
    x.reshape(-1)[:2] = [-16.0, 15.875]  # the ends of the grid
    qin = rng.integers(0, 256, (2, 3, 4)).astype(np.uint8)
    qs = rng.integers(-128, 128, (2, 3, 4)).astype(np.int8)
    for name, v in (("x", x), ("qin", qin), ("qs", qs)):
        v.tofile(tmp_path / f"{name}.raw")
    lst = tmp_path / "list.txt"
    lst.write_text(" ".join(f"{n}:={tmp_path / (n + '.raw')}" for n in ("x", "qin", "qs")) + "\n")
    overrides = tmp_path / "enc.json"
    overrides.write_text(json.dumps({"activation_encodings": {
        "x": {"bitwidth": 8, "min": -16.0, "max": 15.875, "scale": 0.125, "offset": -128}}}))
    refs = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(
        None, {"x": x, "qin": qin, "qs": qs})
    log, htp = run_native(tmp_path, "htp", model, lst, overrides)
    assert "cpu fallback" not in log, log
    _, cpu = run_native(tmp_path, "cpu", model, lst, overrides)
    ties = int(np.sum(np.abs(x / 0.25 - np.round(x / 0.25)) == 0.5))
    assert ties > 0
    for name, ref in zip(("y_u8", "y_i8", "y_u16", "xr", "d", "d8"), refs):
        file = f"{name}_native.raw" if ref.dtype != np.float32 else f"{name}.raw"  # the htp's floats are codes
        got = np.fromfile(htp / file, dtype=ref.dtype)
        want = np.fromfile(cpu / file, dtype=ref.dtype)
        assert got.tobytes() == want.tobytes() == ref.tobytes(), (name, ref.reshape(-1), got)
