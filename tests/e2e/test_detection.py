"""Detection postprocess end to end: a tiny conv head predicts 16 anchor boxes and their
scores, NonMaxSuppression keeps some, Gather takes the kept boxes' indices and the boxes
(a torchvision-style head, built with onnx.helper). Through the four commands on cpu,
gpu (NMS falls back to the cpu) and htp with 8- and 16-bit activations (NMS float inside on
the quantized boxes and scores), the static-maximum outputs hold the valid rows first, -1 after, and the count
output says how many: the rows are onnxruntime's NMS of the boxes and scores the target
computed (on cpu: of the model itself), the kept boxes those rows' boxes; the model library
and the context binary agree byte for byte. Consumers that would see the padding, run-time
thresholds and bad thresholds are refused (exit 3 / 1) naming the node."""
import json

import numpy as np
import pytest

from e2e_lib import files_under, sanitize, tool

N = 16  # anchors: a 4 x 4 grid of 1.5 x 1.5 boxes, one cell apart


def head_model(path, consumer=None, iou=0.3, runtime_max=False):
    import onnx
    from onnx import TensorProto as T
    from onnx import helper
    rng = np.random.default_rng(11)
    anchors = np.array([[r, c, r + 1.5, c + 1.5] for r in range(4) for c in range(4)], np.float32)
    inits = [
        helper.make_tensor("w", T.FLOAT, [5, 3, 1, 1], rng.uniform(-0.5, 0.5, 15).tolist()),
        helper.make_tensor("b", T.FLOAT, [5], [0, 0, 0, 0, 0.2]),
        helper.make_tensor("flat", T.INT64, [3], [1, 5, N]),
        helper.make_tensor("anchors", T.FLOAT, [1, N, 4], anchors.flatten().tolist()),
        helper.make_tensor("half", T.FLOAT, [], [0.5]),
        helper.make_tensor("s0", T.INT64, [1], [0]), helper.make_tensor("s4", T.INT64, [1], [4]),
        helper.make_tensor("s5", T.INT64, [1], [5]), helper.make_tensor("ax1", T.INT64, [1], [1]),
        helper.make_tensor("iou", T.FLOAT, [1], [iou]),
        helper.make_tensor("score", T.FLOAT, [1], [0.55]),
        helper.make_tensor("col", T.INT64, [], [2]),
        helper.make_tensor("rows", T.INT64, [2], [N, 4]),
    ]
    inputs = [helper.make_tensor_value_info("x", T.FLOAT, [1, 3, 4, 4])]
    if runtime_max:
        inputs.append(helper.make_tensor_value_info("max", T.INT64, [1]))
    else:
        inits.append(helper.make_tensor("max", T.INT64, [1], [10]))
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["h"], name="head"),
        helper.make_node("Reshape", ["h", "flat"], ["hf"], name="flatten"),
        helper.make_node("Slice", ["hf", "s0", "s4", "ax1"], ["d"], name="deltas"),
        helper.make_node("Transpose", ["d"], ["dt"], perm=[0, 2, 1], name="to_rows"),
        helper.make_node("Mul", ["dt", "half"], ["ds"], name="damp"),
        helper.make_node("Add", ["anchors", "ds"], ["boxes"], name="decode"),
        helper.make_node("Slice", ["hf", "s4", "s5", "ax1"], ["logits"], name="logits"),
        helper.make_node("Sigmoid", ["logits"], ["scores"], name="sigmoid"),
        helper.make_node("NonMaxSuppression", ["boxes", "scores", "max", "iou", "score"], ["sel"],
                         name="nms"),
        helper.make_node("Gather", ["sel", "col"], ["keep"], axis=1, name="box_index"),
        helper.make_node("Reshape", ["boxes", "rows"], ["b2"], name="box_rows"),
        helper.make_node("Gather", ["b2", "keep"], ["picked"], axis=0, name="pick"),
    ]
    outputs = ["boxes", "scores", "sel", "picked"]
    if consumer:
        nodes.append(helper.make_node(consumer, ["picked"], ["total"], name="sum_all", keepdims=0))
        outputs = ["total"]
    types = {"sel": T.INT64}
    graph = helper.make_graph(nodes, "head", inputs, [helper.make_tensor_value_info(o, types.get(o, T.FLOAT), None)
                                                      for o in outputs], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)


def ort_nms(boxes, scores):
    """onnxruntime's NonMaxSuppression rows for the head's thresholds."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto as T
    from onnx import helper
    inits = [helper.make_tensor("max", T.INT64, [1], [10]), helper.make_tensor("iou", T.FLOAT, [1], [0.3]),
             helper.make_tensor("score", T.FLOAT, [1], [0.55])]
    g = helper.make_graph([helper.make_node("NonMaxSuppression", ["b", "s", "max", "iou", "score"], ["y"])],
                          "nms", [helper.make_tensor_value_info("b", T.FLOAT, [1, N, 4]),
                                  helper.make_tensor_value_info("s", T.FLOAT, [1, 1, N])],
                          [helper.make_tensor_value_info("y", T.INT64, None)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    sess = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, {"b": boxes.reshape(1, N, 4), "s": scores.reshape(1, 1, N)})[0]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    d = tmp_path_factory.mktemp("detection")
    onnx_path = str(d / "head.onnx")
    head_model(onnx_path)
    rng = np.random.default_rng(5)
    xs = [rng.standard_normal((1, 3, 4, 4)).astype(np.float32) * 2 for _ in range(3)]
    for i, x in enumerate(xs):
        x.tofile(str(d / f"x{i}.raw"))
    (d / "list.txt").write_text("".join(f"{d / f'x{i}.raw'}\n" for i in range(len(xs))))
    import onnxruntime as ort
    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    refs = [dict(zip(["boxes", "scores", "sel", "picked"], sess.run(None, {"x": x}))) for x in xs]
    libs = {}
    quant = ["--input_list", str(d / "list.txt")]
    for tag, extra in (("float", []), ("quant", quant), ("quant16", quant + ["--act_bitwidth", "16"])):
        cpp = str(d / tag / "m.cpp")
        tool("qnn-onnx-converter", "-i", onnx_path, "-o", cpp, "--preserve_io", "layout", *extra)
        libs[tag] = str(d / tag / "libm.so")
        tool("qnn-model-lib-generator", "-c", cpp, "-b", str(d / tag / "m.bin"), "-o", libs[tag])
    with open(d / "float" / "m_net.json") as f:
        io = {e["name"]: e for e in json.load(f)["io"]["outputs"]}
    for name in ("sel", "picked"):
        assert (io[name]["valid_count"], io[name]["valid_axis"]) == ("sel_valid_num_selected_indices", 0)
    assert io["sel"]["dims"] == [10, 3] and io["sel_valid_num_selected_indices"]["dims"] == [1]
    return {"dir": d, "list": str(d / "list.txt"), "refs": refs, "libs": libs, "n": len(xs)}


def read(out, i, name):
    return np.fromfile(str(out / f"Result_{i}" / f"{name}.raw"), dtype=np.float32)


@pytest.mark.parametrize("target", ["cpu", "gpu", "htp", "htp16"])
def test_static_outputs_hold_the_valid_rows_and_their_count(model, target):
    d = model["dir"]
    backend = target[:3]
    lib = model["libs"][{"htp": "quant", "htp16": "quant16"}.get(target, "float")]
    tool("qnn-context-binary-generator", "--model", lib, "--backend", backend, "--output_dir", d / f"ctx_{target}")
    lib_out, ctx_out = d / f"lib_out_{target}", d / f"ctx_out_{target}"
    tool("qnn-net-run", "--model", lib, "--backend", backend, "--input_list", model["list"], "--output_dir", lib_out)
    tool("qnn-net-run", "--retrieve_context", d / f"ctx_{target}" / f"{backend}_context.bin", "--backend",
         backend, "--input_list", model["list"], "--output_dir", ctx_out)
    for i, ref in enumerate(model["refs"]):
        for name in ("boxes", "scores", "sel", "sel_valid_num_selected_indices", "picked"):
            assert read(lib_out, i, name).tobytes() == read(ctx_out, i, name).tobytes(), name
        boxes, scores = read(lib_out, i, "boxes"), read(lib_out, i, "scores")
        sel = read(lib_out, i, "sel").reshape(10, 3)
        count = int(read(lib_out, i, "sel_valid_num_selected_indices")[0])
        # The rows onnxruntime's NMS keeps of the boxes and scores this target computed.
        want = ort_nms(boxes, scores)
        if backend == "cpu":
            assert np.array_equal(want, ref["sel"])
        assert 0 < count == len(want), (count, want)
        assert np.array_equal(sel[:count], want), (sel, want)
        assert (sel[count:] == -1).all(), sel
        picked = read(lib_out, i, "picked").reshape(10, 4)[:count]
        tol = 1e-6 if backend == "cpu" else 0.05 * float(np.ptp(boxes))
        assert np.abs(picked - boxes.reshape(N, 4)[want[:, 2]]).max() <= tol


def expect_refusal(tmp_path, code, culprit, **kw):
    onnx_path = str(tmp_path / "m.onnx")
    head_model(onnx_path, **kw)
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-onnx-converter", "-i", onnx_path, "-o", out / "m.cpp", check=False)
    assert p.returncode == code, f"exit {p.returncode}, wanted {code}\n{p.stderr}"
    assert culprit in p.stderr, p.stderr
    assert files_under(out) == []


def test_consumer_that_would_see_the_padding_is_unsupported(tmp_path):
    expect_refusal(tmp_path, 3, "'sum_all'", consumer="ReduceSum")


def test_runtime_max_boxes_is_unsupported(tmp_path):
    expect_refusal(tmp_path, 3, "'nms'", runtime_max=True)


def test_iou_threshold_outside_0_1_is_bad_input(tmp_path):
    expect_refusal(tmp_path, 1, "'nms'", iou=1.5)


def test_torchvision_nms_export_runs_on_the_cpu(tmp_path):
    """torchvision.ops.nms as torch exports it (Unsqueeze, NMS with an int64-max box limit,
    Gather and Squeeze of the box column) and the kept boxes it indexes."""
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")

    class Head(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 5, 1)
            self.register_buffer("anchors", torch.tensor([[r, c, r + 1.5, c + 1.5] for r in range(4)
                                                          for c in range(4)], dtype=torch.float32))

        def forward(self, x):
            h = self.conv(x).flatten(2)[0]
            boxes = self.anchors + h[:4].t() * 0.5
            keep = torchvision.ops.nms(boxes, h[4].sigmoid(), 0.3)
            return keep, boxes[keep]

    torch.manual_seed(0)
    onnx_path = str(tmp_path / "tv.onnx")
    x = torch.randn(1, 3, 4, 4) * 2
    torch.onnx.export(Head().eval(), x, onnx_path, opset_version=13, input_names=["x"],
                      output_names=["keep", "kept_boxes"])
    import onnxruntime as ort
    want_keep, want_boxes = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"]).run(
        None, {"x": x.numpy()})
    x.numpy().tofile(str(tmp_path / "x.raw"))
    (tmp_path / "list.txt").write_text(f"{tmp_path / 'x.raw'}\n")
    tool("qnn-onnx-converter", "-i", onnx_path, "-o", tmp_path / "m.cpp", "--preserve_io", "layout")
    tool("qnn-model-lib-generator", "-c", tmp_path / "m.cpp", "-b", tmp_path / "m.bin", "-o", tmp_path / "libm.so")
    tool("qnn-net-run", "--model", tmp_path / "libm.so", "--backend", "cpu", "--input_list", tmp_path / "list.txt",
         "--output_dir", tmp_path / "out")
    with open(tmp_path / "m_net.json") as f:
        count_name = {e["name"]: e for e in json.load(f)["io"]["outputs"]}["keep"]["valid_count"]
    count = int(read(tmp_path / "out", 0, sanitize(count_name))[0])
    keep = read(tmp_path / "out", 0, "keep")
    assert count == len(want_keep) and 0 < count < len(keep)
    assert np.array_equal(keep[:count], want_keep) and (keep[count:] == -1).all()
    assert np.abs(read(tmp_path / "out", 0, "kept_boxes").reshape(-1, 4)[:count] - want_boxes).max() < 1e-5
