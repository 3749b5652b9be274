"""The converter's fusions on ONNX models written the way exporters decompose the ops:
LayerNorm (opset 13 attribute axes, opset 18 axes input, two Subs, Reciprocal), RmsNorm
(LLaMA), tanh Gelu (GPT-2) and ChannelShuffle (ShuffleNet, between convolutions). Each model
is converted at the default level; the generated model.cpp must hold the fused node (and none
of the decomposition's tell-tale ops), the CPU and GPU runs must match onnxruntime, and the
HTP run (16-bit activations calibrated on other random inputs) must reach, in SQNR against
fp32 onnxruntime, no less than 1 dB below onnxruntime's own W8A8 QDQ quantization of the
unfused model calibrated on the same inputs (the zoo's bar)."""
import os

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper, save

from e2e_lib import make_inputs, ort_qdq_outputs, read_output, rel_error, sqnr_db, tool

RNG = np.random.default_rng(5)


def const(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.float32), name)


def model(nodes, inits, shape, opset):
    g = helper.make_graph(nodes, "fusion", [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, None)], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def mean(x, out, opset, axes=(-1,)):
    if opset >= 18:
        return [helper.make_node("ReduceMean", [x, out + "_axes"], [out])], [
            numpy_helper.from_array(np.asarray(axes, dtype=np.int64), out + "_axes")]
    return [helper.make_node("ReduceMean", [x], [out], axes=list(axes))], []


def layer_norm(opset, two_subs, reciprocal):
    d = 32
    n, i = mean("input", "mean", opset)
    n1, i1 = mean("sq", "var", opset)
    nodes = n + [helper.make_node("Sub", ["input", "mean"], ["d"])]
    nodes += [helper.make_node("Sub", ["input", "mean"], ["d2"])] if two_subs else []
    nodes += [helper.make_node("Pow", ["d", "two"], ["sq"])] + n1
    nodes += [helper.make_node("Add", ["eps", "var"], ["shifted"]), helper.make_node("Sqrt", ["shifted"], ["std"])]
    num = "d2" if two_subs else "d"
    if reciprocal:
        nodes += [helper.make_node("Reciprocal", ["std"], ["rstd"]), helper.make_node("Mul", ["rstd", num], ["normed"])]
    else:
        nodes += [helper.make_node("Div", [num, "std"], ["normed"])]
    nodes += [helper.make_node("Mul", ["gamma", "normed"], ["scaled"]),
              helper.make_node("Add", ["scaled", "beta"], ["output"])]
    inits = i + i1 + [const("two", 2.0), const("eps", 1e-5), const("gamma", RNG.uniform(0.5, 1.5, d)),
                      const("beta", RNG.uniform(-0.5, 0.5, d))]
    return model(nodes, inits, [2, 8, d], opset), "LayerNorm", ["ElementWiseSquareRoot", "ReduceMean"]


def rms_norm():
    n, i = mean("sq", "var", 13)
    nodes = [helper.make_node("Pow", ["input", "two"], ["sq"])] + n + [
        helper.make_node("Add", ["var", "eps"], ["shifted"]), helper.make_node("Sqrt", ["shifted"], ["std"]),
        helper.make_node("Div", ["one", "std"], ["rstd"]), helper.make_node("Mul", ["input", "rstd"], ["normed"]),
        helper.make_node("Mul", ["weight", "normed"], ["output"])]
    inits = i + [const("two", 2.0), const("eps", 1e-6), const("one", 1.0), const("weight", RNG.uniform(0.5, 1.5, 32))]
    return model(nodes, inits, [1, 8, 32], 13), "RmsNorm", ["ElementWiseSquareRoot", "ReduceMean"]


def tanh_gelu():
    mk = helper.make_node
    nodes = [mk("Pow", ["input", "three"], ["cube"]), mk("Mul", ["c", "cube"], ["cc"]),
             mk("Add", ["input", "cc"], ["inner"]), mk("Mul", ["inner", "root"], ["arg"]), mk("Tanh", ["arg"], ["t"]),
             mk("Add", ["one", "t"], ["one_plus"]), mk("Mul", ["half", "input"], ["hx"]),
             mk("Mul", ["hx", "one_plus"], ["output"])]
    inits = [const("three", 3.0), const("c", 0.044715), const("root", np.sqrt(2 / np.pi)), const("one", 1.0),
             const("half", 0.5)]
    return model(nodes, inits, [1, 8, 64], 13), "Gelu", ["Tanh", "ElementWisePower"]


def channel_shuffle():
    mk = helper.make_node
    nodes = [mk("Conv", ["input", "w1", "b1"], ["c1"]), mk("Reshape", ["c1", "split_shape"], ["split"]),
             mk("Transpose", ["split"], ["swapped"], perm=[0, 2, 1, 3, 4]),
             mk("Reshape", ["swapped", "back_shape"], ["shuffled"]),
             mk("Conv", ["shuffled", "w2", "b2"], ["output"], pads=[1, 1, 1, 1])]
    inits = [const("w1", RNG.normal(0, 0.3, (12, 8, 1, 1))), const("b1", RNG.normal(0, 0.1, 12)),
             const("w2", RNG.normal(0, 0.3, (6, 12, 3, 3))), const("b2", RNG.normal(0, 0.1, 6)),
             numpy_helper.from_array(np.array([1, 3, 4, 6, 6], dtype=np.int64), "split_shape"),
             numpy_helper.from_array(np.array([1, 12, 6, 6], dtype=np.int64), "back_shape")]
    # (--preserve_io layout keeps the Transposes of graph input and output)
    return model(nodes, inits, [1, 8, 6, 6], 13), "ChannelShuffle", ["Reshape"]


CASES = {
    "layernorm_13": lambda: layer_norm(13, False, False),
    "layernorm_18_two_subs_reciprocal": lambda: layer_norm(18, True, True),
    "rmsnorm_llama": rms_norm,
    "gelu_tanh_gpt2": tanh_gelu,
    "channel_shuffle": channel_shuffle,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fused_node_matches_onnxruntime(name, tmp_path):
    m, fused, gone = CASES[name]()
    onnx_path = str(tmp_path / f"{name}.onnx")
    save(m, onnx_path)
    shape = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    lst, xs = make_inputs(str(tmp_path / "in"), shape, 2, seed=3)
    calib, calib_xs = make_inputs(str(tmp_path / "calib"), shape, 4, seed=4)
    libs = {}
    for tag, extra in (("float", []), ("quant", ["--input_list", calib, "--act_bitwidth", "16"])):
        d = tmp_path / tag
        d.mkdir()
        cpp = str(d / "model.cpp")
        tool("qnn-onnx-converter", "--input_network", onnx_path, "--output_path", cpp, "--preserve_io", "layout",
             *extra)
        with open(cpp) as f:
            src = f.read()
        assert src.count(f'node.type = "{fused}";') == 1, f"{name}: no single {fused} in model.cpp"
        for op in gone:
            assert f'node.type = "{op}";' not in src, f"{name}: {op} left after the fusion"
        libs[tag] = str(d / "libmodel.so")
        tool("qnn-model-lib-generator", "-c", cpp, "-b", str(d / "model.bin"), "-o", libs[tag])
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
    refs = [sess.run(None, {"input": x})[0] for x in xs]
    qdq = ort_qdq_outputs(onnx_path, [{"input": x} for x in calib_xs], [{"input": x} for x in xs],
                          str(tmp_path / "qdq.onnx"))
    for backend, lib in (("cpu", libs["float"]), ("gpu", libs["float"]), ("htp", libs["quant"])):
        out = str(tmp_path / f"out_{backend}")
        tool("qnn-net-run", "--model", lib, "--backend", backend, "--input_list", lst, "--output_dir", out)
        for i, ref in enumerate(refs):
            got = read_output(out, i)
            if backend == "htp":
                ours, theirs = sqnr_db(ref, got), sqnr_db(ref, qdq[i])
                print(f"{name} htp: SQNR {ours:.1f} dB; onnxruntime W8A8 QDQ {theirs:.1f} dB")
                assert ours >= theirs - 1.0, f"{name} on htp: SQNR {ours} dB, QDQ {theirs} dB"
                continue
            err = rel_error(ref, got)
            print(f"{name} {backend}: relative error {err:.3g}")
            assert err <= (1e-5 if backend == "cpu" else 5e-2), f"{name} on {backend}: relative error {err}"
