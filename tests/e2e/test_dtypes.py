"""float16 and int64 models through convert -> lib -> context binary (cpu) -> qnn-net-run,
with each --input_data_type / --output_data_type, against onnxruntime (docs/dtypes.md): a
float16 model keeps float16 I/O (float32 raw files by default, float16 with native), an
int64 input stays int64 with --keep_int64_inputs (int64 native raw files) and is int32
without it; a raw file of the wrong size is one error line naming file and tensor."""
import os

import numpy as np
import pytest

from e2e_lib import files_under, rel_error, sanitize, tool


def build(tmp, model, *convert_flags):
    d = tmp / "build"
    d.mkdir()
    cpp = d / "m.cpp"
    tool("qnn-onnx-converter", "-i", model, "-o", cpp, *convert_flags)
    tool("qnn-model-lib-generator", "-c", cpp, "-b", d / "m.bin", "-t", "x86_64-linux-clang", "-o", d / "m.so")
    tool("qnn-context-binary-generator", "--model", d / "m.so", "--backend", "cpu", "--output_dir", d / "ctx")
    return d / "ctx" / "cpu_context.bin"


def run(tmp, ctx, feeds, tag, *flags, check=True):
    """Writes each (name, array) as a raw file, runs qnn-net-run; returns (process, out dir)."""
    ind = tmp / f"in_{tag}"
    ind.mkdir()
    paths = []
    for name, a in feeds:
        p = ind / f"{name}.raw"
        np.ascontiguousarray(a).tofile(p)
        paths.append(f"{name}:={p}")
    lst = ind / "list.txt"
    lst.write_text(" ".join(paths) + "\n")
    out = tmp / f"out_{tag}"
    p = tool("qnn-net-run", "--retrieve_context", ctx, "--backend", "cpu", "--input_list", lst,
             "--output_dir", out, *flags, check=check)
    return p, out


def result(out, name, dtype, native=False):
    suffix = "_native.raw" if native else ".raw"
    return np.fromfile(os.path.join(out, "Result_0", sanitize(name) + suffix), dtype=dtype)


def ort_run(model, feeds):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(str(model), so, providers=["CPUExecutionProvider"])
    return sess.run(None, dict(feeds))


@pytest.fixture(scope="module")
def half_model(tmp_path_factory):
    import onnx
    from onnx import TensorProto as T, helper as h, numpy_helper as nh
    rng = np.random.default_rng(7)
    w = nh.from_array(rng.standard_normal((4, 3)).astype(np.float16), "W")
    b = nh.from_array(rng.standard_normal((3,)).astype(np.float16), "b")
    nodes = [h.make_node("MatMul", ["x", "W"], ["m"]), h.make_node("Add", ["m", "b"], ["a"]),
             h.make_node("Relu", ["a"], ["y"])]
    g = h.make_graph(nodes, "g", [h.make_tensor_value_info("x", T.FLOAT16, [2, 4])],
                     [h.make_tensor_value_info("y", T.FLOAT16, [2, 3])], [w, b])
    path = tmp_path_factory.mktemp("half") / "half.onnx"
    onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 17)]), path)
    return path


@pytest.fixture(scope="module")
def int64_model(tmp_path_factory):
    import onnx
    from onnx import TensorProto as T, helper as h, numpy_helper as nh
    rng = np.random.default_rng(8)
    e = nh.from_array(rng.standard_normal((10, 4)).astype(np.float32), "E")
    one = nh.from_array(np.array(1, dtype=np.int64), "one")
    nodes = [h.make_node("Gather", ["E", "ids"], ["emb"]), h.make_node("Add", ["ids", "one"], ["next"])]
    g = h.make_graph(nodes, "g", [h.make_tensor_value_info("ids", T.INT64, [1, 5])],
                     [h.make_tensor_value_info("emb", T.FLOAT, [1, 5, 4]),
                      h.make_tensor_value_info("next", T.INT64, [1, 5])], [e, one])
    path = tmp_path_factory.mktemp("int64") / "int64.onnx"
    onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 17)]), path)
    return path


def half_input():
    return np.random.default_rng(1).standard_normal((2, 4)).astype(np.float16)


def test_float16_model(tmp_path, half_model):
    ctx = build(tmp_path, half_model)
    x = half_input()
    want = ort_run(half_model, [("x", x)])[0].astype(np.float32)
    # float32 in, float32 out (QNN's default).
    _, out = run(tmp_path, ctx, [("x", x.astype(np.float32))], "float")
    assert rel_error(want, result(out, "y", np.float32)) < 2e-3
    # float16 in, float16 out (native), and both files with float_and_native.
    _, out = run(tmp_path, ctx, [("x", x)], "native", "--input_data_type", "native",
                 "--output_data_type", "native_only")
    got = result(out, "y", np.float16, True)
    assert got.size == 6 and rel_error(want, got.astype(np.float32)) < 2e-3
    assert not os.path.exists(os.path.join(out, "Result_0", "y.raw"))
    _, out = run(tmp_path, ctx, [("x", x)], "both", "--input_data_type", "native",
                 "--output_data_type", "float_and_native")
    assert np.array_equal(result(out, "y", np.float32), result(out, "y", np.float16, True).astype(np.float32))


def test_float16_raw_size_error(tmp_path, half_model):
    ctx = build(tmp_path, half_model)
    # float32 data where native float16 is expected: twice the size.
    p, out = run(tmp_path, ctx, [("x", half_input().astype(np.float32))], "bad", "--input_data_type", "native",
                 check=False)
    assert p.returncode == 1, p.stderr
    lines = [l for l in p.stderr.splitlines() if "error" in l.lower() and "hint" not in l.lower()]
    assert len(lines) == 1 and "x.raw" in lines[0] and "'x'" in lines[0], p.stderr
    assert files_under(out) == []


@pytest.mark.parametrize("keep", [False, True])
def test_int64_inputs(tmp_path, int64_model, keep):
    ctx = build(tmp_path, int64_model, *(["--keep_int64_inputs"] if keep else []))
    ids = np.array([[3, 0, 9, 4, 4]], dtype=np.int64)
    want_emb, want_next = ort_run(int64_model, [("ids", ids)])
    # Float32 values by default (QNN's rule for every non-float input).
    _, out = run(tmp_path, ctx, [("ids", ids.astype(np.float32))], "float")
    assert rel_error(want_emb, result(out, "emb", np.float32)) < 1e-6
    assert np.array_equal(result(out, "next", np.float32), want_next.reshape(-1).astype(np.float32))
    # Native: int64 raw files with --keep_int64_inputs, int32 without; outputs int32.
    native = ids if keep else ids.astype(np.int32)
    _, out = run(tmp_path, ctx, [("ids", native)], "native", "--input_data_type", "native",
                 "--output_data_type", "native_only")
    assert rel_error(want_emb, result(out, "emb", np.float32, True)) < 1e-6
    assert np.array_equal(result(out, "next", np.int32, True), want_next.reshape(-1).astype(np.int32))
    # The other width is the wrong size: one error line naming the file and the tensor.
    wrong = ids.astype(np.int32) if keep else ids
    p, out = run(tmp_path, ctx, [("ids", wrong)], "wrong", "--input_data_type", "native", check=False)
    assert p.returncode == 1, p.stderr
    assert "ids.raw" in p.stderr and "'ids'" in p.stderr, p.stderr
    assert files_under(out) == []
