"""CPU fallback end to end. The graph (Relu -> dilated MaxPool -> Mul -> Cast uint8 -> Cast
float -> Mul -> Sigmoid) has parts the accelerators do not run: a dilated pool (a 3-D pool
inside, CPU-only on the gpu; the htp runs it), and a uint8 integer tensor, never native on
the htp, whose uint8 rows are its quantized activations (the gpu runs it). Through the model library and a
multi-partition context binary it matches onnxruntime; the generator reports the split;
--disable_cpu_fallback refuses it (exit 3) and writes nothing."""
import numpy as np
import pytest

from e2e_lib import files_under, sqnr_db, tool


def cast_chain(path):
    import onnx
    from onnx import TensorProto as T
    from onnx import helper
    x = helper.make_tensor_value_info("x", T.FLOAT, [1, 4, 8, 8])
    y = helper.make_tensor_value_info("y", T.FLOAT, [1, 4, 6, 6])
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="relu"),
             helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], dilations=[2, 2], name="pool"),
             helper.make_node("Mul", ["p", "k"], ["s"], name="scale"),
             helper.make_node("Cast", ["s"], ["i"], to=T.UINT8, name="to_int"),
             helper.make_node("Cast", ["i"], ["f"], to=T.FLOAT, name="to_float"),
             helper.make_node("Mul", ["f", "inv"], ["g"], name="unscale"),
             helper.make_node("Sigmoid", ["g"], ["y"], name="sigmoid")]
    inits = [helper.make_tensor("k", T.FLOAT, [], [8.0]), helper.make_tensor("inv", T.FLOAT, [], [0.125])]
    graph = helper.make_graph(nodes, "cast_chain", [x], [y], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    d = tmp_path_factory.mktemp("fallback")
    onnx_path = str(d / "m.onnx")
    cast_chain(onnx_path)
    rng = np.random.default_rng(3)
    xs = [rng.standard_normal((1, 4, 8, 8)).astype(np.float32) * 2 for _ in range(2)]
    for i, x in enumerate(xs):
        x.tofile(str(d / f"x{i}.raw"))
    (d / "list.txt").write_text("".join(f"{d / f'x{i}.raw'}\n" for i in range(len(xs))))
    import onnxruntime as ort
    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    refs = [sess.run(None, {"x": x})[0] for x in xs]
    libs = {}
    for tag, extra in (("float", []), ("quant", ["--input_list", str(d / "list.txt"), "--act_bitwidth", "16"])):
        cpp = str(d / tag / "m.cpp")
        tool("qnn-onnx-converter", "-i", onnx_path, "-o", cpp, "--preserve_io", "layout", *extra)
        libs[tag] = str(d / tag / "libm.so")
        tool("qnn-model-lib-generator", "-c", cpp, "-b", str(d / tag / "m.bin"), "-o", libs[tag])
    return {"dir": d, "list": str(d / "list.txt"), "refs": refs, "libs": libs}


def outputs(out, n):
    return [np.fromfile(str(out / f"Result_{i}" / "y.raw"), dtype=np.float32) for i in range(n)]


@pytest.mark.parametrize("backend", ["gpu", "htp"])
def test_integer_part_runs_on_the_cpu(model, backend):
    lib = model["libs"]["quant" if backend == "htp" else "float"]
    d = model["dir"]
    ctx_dir = d / f"ctx_{backend}"
    p = tool("qnn-context-binary-generator", "--model", lib, "--backend", backend, "--output_dir", ctx_dir)
    # 11 nodes: the 7 above, the pool's reshapes to and from 3-D, and the layout transposes.
    if backend == "gpu":
        want = ["cpu fallback for 1 of 11 nodes (PoolMax3d x1;", "'pool'", "3 partitions, 1 of them on the cpu"]
    else:
        want = ["cpu fallback for 2 of 11 nodes (Cast x2;", "'to_int', 'to_float'",
                "3 partitions, 1 of them on the cpu"]
    for w in want:
        assert w in p.stderr, p.stderr
    ctx = ctx_dir / f"{backend}_context.bin"
    tool("qnn-net-run", "--model", lib, "--backend", backend, "--input_list", model["list"],
         "--output_dir", d / f"lib_{backend}")
    tool("qnn-net-run", "--retrieve_context", ctx, "--backend", backend, "--input_list", model["list"],
         "--output_dir", d / f"ctx_out_{backend}", "--profiling_level", "detailed")
    got_lib, got_ctx = outputs(d / f"lib_{backend}", 2), outputs(d / f"ctx_out_{backend}", 2)
    for ref, a, b in zip(model["refs"], got_lib, got_ctx):
        assert a.tobytes() == b.tobytes(), "context binary differs from model library"
        if backend == "gpu":
            # fp16 intermediates before the truncating Cast: the GPU bar (docs/accuracy.md)
            assert np.max(np.abs(a - ref.reshape(-1))) <= 1e-2
        else:  # quantized around a truncation: a value near an integer step may land on the other side
            assert sqnr_db(ref, a) >= 25.0
    log = (d / f"ctx_out_{backend}" / "qnn-profiling-data_0.log").read_text()
    assert "Partition(cpu)" in log and f"Partition({backend})" in log


def test_disable_cpu_fallback_refuses(model, tmp_path):
    out = tmp_path / "out"
    p = tool("qnn-context-binary-generator", "--model", model["libs"]["float"], "--backend", "gpu",
             "--output_dir", out, "--disable_cpu_fallback", check=False)
    assert p.returncode == 3, p.stderr
    assert "'pool'" in p.stderr
    assert files_under(out) == [] if out.exists() else True
    p = tool("qnn-net-run", "--model", model["libs"]["float"], "--backend", "gpu", "--input_list", model["list"],
             "--output_dir", tmp_path / "run", "--disable_cpu_fallback", check=False)
    assert p.returncode == 3, p.stderr
    assert not (tmp_path / "run").exists() or files_under(tmp_path / "run") == []


def test_libgen_target_backends_warns_or_refuses(model, tmp_path):
    d = model["dir"]
    args = ["-c", str(d / "float" / "m.cpp"), "-b", str(d / "float" / "m.bin"), "--target_backends", "gpu,htp"]
    p = tool("qnn-model-lib-generator", *args, "-o", tmp_path / "ok" / "libm.so")
    assert "will run on the CPU (fallback) on the gpu backend" in p.stderr and "'pool'" in p.stderr, p.stderr
    assert "on the htp backend (Cast x2)" in p.stderr, p.stderr
    p = tool("qnn-model-lib-generator", *args, "-o", tmp_path / "strict" / "libm.so", "--disable_cpu_fallback",
             check=False)
    assert p.returncode == 3 and "'pool'" in p.stderr, p.stderr
    assert not (tmp_path / "strict").exists() or files_under(tmp_path / "strict") == []
