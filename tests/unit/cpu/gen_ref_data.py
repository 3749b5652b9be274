#!/usr/bin/env python3
"""Reference data for the CPU reference kernels, computed by onnxruntime.

Builds one small ONNX model per case (one op, sometimes with a Relu/Clip/Transpose
around it to express a fused activation or a transposed input), runs onnxruntime on
seeded random inputs and writes, into --out:

  manifest.json            the cases: IR op, IR params, inputs and outputs
  <case>.in<i>.raw         IR inputs, float32 little-endian, in ONNX layout
  <case>.out0.raw          onnxruntime's output, in ONNX layout

Each input and output carries a layout tag the test converts with: "nchw" (activation,
to NHWC / NDHWC), "oihw" (conv weight, to HWIO / DHWIO), "iohw" (ConvTranspose weight
[cin, cout/group, spatial...], to [spatial..., cin, cout/group]) or "plain" (as is). Inputs marked static become
static tensors of the IR graph (weights, biases, slopes).

When numpy, onnx or onnxruntime cannot be imported the folder is removed and the
script exits 0, so that test_cpu_onnxruntime skips with a message instead of failing.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

OPSET = 17


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder to (re)create")
    args = ap.parse_args()
    try:
        import numpy as np
        import onnx
        import onnxruntime as ort
        from onnx import TensorProto, helper
    except ImportError as e:
        shutil.rmtree(args.out, ignore_errors=True)
        print(f"gen_ref_data.py: {e}; not writing {args.out} (the onnxruntime comparison "
              f"will be skipped)", file=sys.stderr)
        return 0

    rng = np.random.default_rng(20240611)

    def rand(*shape, lo=-1.0, hi=1.0):
        return rng.uniform(lo, hi, size=shape).astype(np.float32)

    cases = []

    def add(name, ir_op, params, nodes, feeds, ir_inputs, out_layout, initializers=(),
            opset=OPSET):
        """feeds: ONNX graph inputs {name: array}; ir_inputs: [(array, layout, static)]."""
        graph_inputs = [helper.make_tensor_value_info(k, TensorProto.FLOAT, v.shape)
                        for k, v in feeds.items()]
        out = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
        graph = helper.make_graph(nodes, name, graph_inputs, [out], list(initializers))
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 8
        # The output's shape is whatever ONNX's own shape inference says.
        model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        onnx.checker.check_model(model)
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        sess = ort.InferenceSession(model.SerializeToString(), opts,
                                    providers=["CPUExecutionProvider"])
        y = sess.run(None, feeds)[0].astype(np.float32)
        cases.append({"name": name, "op": ir_op, "params": params,
                      "inputs": [(np.ascontiguousarray(a, dtype=np.float32), lay, st)
                                 for a, lay, st in ir_inputs],
                      "output": (y, out_layout)})

    def node(op, ins, outs=("y",), **attrs):
        return helper.make_node(op, list(ins), list(outs), **attrs)

    def const(name, values, dtype=TensorProto.INT64):
        arr = np.asarray(values)
        return helper.make_tensor(name, dtype, arr.shape, arr.flatten().tolist())

    # --- Conv2d / DepthWiseConv2d (ONNX pads are [top, left, bottom, right]) ---------
    x, w, b = rand(1, 3, 9, 11), rand(8, 3, 3, 3), rand(8)
    add("conv_stride_dilation", "Conv2d",
        {"stride": [2, 1], "dilation": [1, 2], "pad_amount": [1, 0, 2, 1]},
        [node("Conv", ["x", "w", "b"], strides=[2, 1], dilations=[1, 2], pads=[1, 2, 0, 1])],
        {"x": x, "w": w, "b": b}, [(x, "nchw", False), (w, "oihw", True), (b, "plain", True)],
        "nchw")
    x, w, b = rand(2, 6, 7, 7), rand(9, 2, 3, 3), rand(9)
    add("conv_group_relu", "Conv2d",
        {"pad_amount": [1, 1, 1, 1], "group": 3, "fused_activation": "relu"},
        [node("Conv", ["x", "w", "b"], ["c"], group=3, pads=[1, 1, 1, 1]),
         node("Relu", ["c"])],
        {"x": x, "w": w, "b": b}, [(x, "nchw", False), (w, "oihw", True), (b, "plain", True)],
        "nchw")
    x, w = rand(1, 16, 5, 5), rand(24, 16, 1, 1)
    add("conv_1x1_no_bias", "Conv2d", {},
        [node("Conv", ["x", "w"])], {"x": x, "w": w}, [(x, "nchw", False), (w, "oihw", True)],
        "nchw")
    x, w, b = rand(1, 4, 8, 8, lo=-3, hi=3), rand(8, 1, 3, 3), rand(8)
    add("depthwise_multiplier2_clip", "DepthWiseConv2d",
        {"stride": [2, 2], "pad_amount": [1, 1, 1, 1], "fused_activation": "clip",
         "clip_min": 0.0, "clip_max": 1.0},
        [node("Conv", ["x", "w", "b"], ["c"], group=4, strides=[2, 2], pads=[1, 1, 1, 1]),
         node("Clip", ["c", "lo", "hi"])],
        {"x": x, "w": w, "b": b}, [(x, "nchw", False), (w, "oihw", True), (b, "plain", True)],
        "nchw", [const("lo", 0.0, TensorProto.FLOAT), const("hi", 1.0, TensorProto.FLOAT)])

    # --- Conv3d / TransposeConv3d (NDHWC; ONNX pads [d0, h0, w0, d1, h1, w1]) ------------
    x, w, b = rand(2, 4, 5, 6, 7), rand(6, 2, 2, 3, 2), rand(6)
    add("conv3d_group_stride_dilation_relu", "Conv3d",
        {"stride": [1, 2, 3], "dilation": [2, 1, 1], "pad_amount": [1, 0, 1, 2, 0, 1],
         "group": 2, "fused_activation": "relu"},
        [node("Conv", ["x", "w", "b"], ["c"], group=2, strides=[1, 2, 3], dilations=[2, 1, 1],
              pads=[1, 1, 0, 0, 2, 1]),
         node("Relu", ["c"])],
        {"x": x, "w": w, "b": b}, [(x, "nchw", False), (w, "oihw", True), (b, "plain", True)],
        "nchw")
    x, w = rand(1, 3, 4, 4, 4), rand(6, 1, 3, 3, 3)
    add("conv3d_depthwise_no_bias", "Conv3d", {"pad_amount": [1, 1, 1, 1, 1, 1], "group": 3},
        [node("Conv", ["x", "w"], group=3, pads=[1, 1, 1, 1, 1, 1])],
        {"x": x, "w": w}, [(x, "nchw", False), (w, "oihw", True)], "nchw")
    x, w, b = rand(1, 4, 3, 4, 3), rand(4, 3, 2, 3, 2), rand(6)
    add("transpose_conv3d_group_pads_output_padding", "TransposeConv3d",
        {"stride": [2, 1, 2], "dilation": [1, 2, 1], "pad_amount": [1, 0, 0, 1, 1, 0],
         "output_padding": [1, 0, 1], "group": 2},
        [node("ConvTranspose", ["x", "w", "b"], group=2, strides=[2, 1, 2], dilations=[1, 2, 1],
              pads=[1, 0, 1, 0, 1, 0], output_padding=[1, 0, 1])],
        {"x": x, "w": w, "b": b}, [(x, "nchw", False), (w, "iohw", True), (b, "plain", True)],
        "nchw")

    # --- FullyConnected, MatMul ------------------------------------------------------
    a, wt, b = rand(4, 20), rand(7, 20), rand(7)
    add("gemm_relu", "FullyConnected", {"fused_activation": "relu"},
        [node("Gemm", ["a", "w", "b"], ["g"], transB=1), node("Relu", ["g"])],
        {"a": a, "w": wt, "b": b}, [(a, "plain", False), (wt, "plain", True), (b, "plain", True)],
        "plain")
    a, bm = rand(2, 1, 4, 5), rand(3, 5, 6)
    add("matmul_broadcast", "MatMul", {}, [node("MatMul", ["a", "b"])], {"a": a, "b": bm},
        [(a, "plain", False), (bm, "plain", False)], "plain")
    at, bt = rand(2, 3, 4), rand(6, 3)  # a = at^T per batch [2,4,3], b = bt^T [3,6]
    add("matmul_transposed", "MatMul", {"transpose_in0": 1, "transpose_in1": 1},
        [node("Transpose", ["at"], ["a"], perm=[0, 2, 1]),
         node("Transpose", ["bt"], ["b"], perm=[1, 0]), node("MatMul", ["a", "b"])],
        {"at": at, "bt": bt}, [(at, "plain", False), (bt, "plain", False)], "plain")

    # --- Element-wise with broadcasting ------------------------------------------------
    for name, op, sa, sb in [("add_broadcast", "Add", (2, 3, 4, 5), (4, 1)),
                             ("sub_broadcast", "Sub", (3, 1, 5), (2, 1, 4, 1)),
                             ("mul_broadcast", "Mul", (2, 3, 4, 5), (5,)),
                             ("div_broadcast", "Div", (5,), (2, 3, 1))]:
        p, q = rand(*sa), rand(*sb, lo=0.5, hi=2.0)
        ir_op = {"Add": "ElementWiseAdd", "Sub": "ElementWiseSubtract",
                 "Mul": "ElementWiseMultiply", "Div": "ElementWiseDivide"}[op]
        add(name, ir_op, {}, [node(op, ["p", "q"])], {"p": p, "q": q},
            [(p, "plain", False), (q, "plain", False)], "plain")

    # --- Activations -------------------------------------------------------------------
    v = rand(3, 4, 5, lo=-5, hi=5)
    add("relu", "Relu", {}, [node("Relu", ["v"])], {"v": v}, [(v, "plain", False)], "plain")
    add("clip", "ReluMinMax", {"min_value": -0.5, "max_value": 0.7},
        [node("Clip", ["v", "lo", "hi"])], {"v": v}, [(v, "plain", False)], "plain",
        [const("lo", -0.5, TensorProto.FLOAT), const("hi", 0.7, TensorProto.FLOAT)])
    add("sigmoid", "Sigmoid", {}, [node("Sigmoid", ["v"])], {"v": v}, [(v, "plain", False)],
        "plain")
    add("hardswish", "HardSwish", {}, [node("HardSwish", ["v"])], {"v": v},
        [(v, "plain", False)], "plain")
    add("hardsigmoid", "ElementWiseNeuron",
        {"operation": "hard_sigmoid", "alpha": 0.3, "beta": 0.4},
        [node("HardSigmoid", ["v"], alpha=0.3, beta=0.4)], {"v": v}, [(v, "plain", False)],
        "plain")
    xs, slope = rand(2, 3, 4, 5), rand(5)
    add("prelu", "Prelu", {}, [node("PRelu", ["v", "s"])], {"v": xs, "s": slope},
        [(xs, "plain", False), (slope, "plain", True)], "plain")
    add("leaky_relu", "Prelu", {}, [node("LeakyRelu", ["v"], alpha=0.1)], {"v": xs},
        [(xs, "plain", False), (np.array([0.1], np.float32), "plain", True)], "plain")

    # --- Pooling (ceil mode windows overhang the bottom/right) ---------------------------
    x = rand(1, 4, 10, 11)
    add("maxpool_ceil", "PoolMax2d",
        {"filter_size": [3, 3], "stride": [2, 2], "pad_amount": [1, 0, 1, 0],
         "rounding_mode": 1},
        [node("MaxPool", ["x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 0, 0],
              ceil_mode=1)],
        {"x": x}, [(x, "nchw", False)], "nchw")
    x = rand(1, 3, 9, 9)
    for count_pad in (0, 1):
        add(f"avgpool_ceil_count_pad{count_pad}", "PoolAvg2d",
            {"filter_size": [3, 3], "stride": [2, 2], "pad_amount": [1, 0, 1, 0],
             "rounding_mode": 1, "count_pad_for_edges": count_pad},
            [node("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 0, 0],
                  ceil_mode=1, count_include_pad=count_pad)],
            {"x": x}, [(x, "nchw", False)], "nchw")
    x = rand(1, 3, 9, 8)
    add("l2pool_pads_strides", "L2Pool2d",
        {"filter_size": [3, 2], "stride": [2, 1], "pad_amount": [1, 1, 0, 1]},
        [node("LpPool", ["x"], kernel_shape=[3, 2], strides=[2, 1], pads=[1, 0, 1, 1], p=2)],
        {"x": x}, [(x, "nchw", False)], "nchw")
    x = rand(2, 3, 5, 4)
    grid = (rand(2, 6, 7, 2) * 1.6).astype(np.float32)  # some points outside [-1, 1]
    for mode, pad, ac in (("bilinear", "zeros", 0), ("bilinear", "reflection", 1),
                          ("nearest", "border", 0), ("bilinear", "border", 1)):
        add(f"gridsample_{mode}_{pad}_{ac}", "GridSample",
            {"mode": mode, "padding_mode": pad, "align_corners": ac},
            [node("GridSample", ["x", "g"], mode=mode, padding_mode=pad, align_corners=ac)],
            {"x": x, "g": grid}, [(x, "nchw", False), (grid, "plain", False)], "nchw")
    # 3-D pools (NDHWC) with dilation, pads, strides and ceil-mode overhang; count_pad=1
    # divides by the full filter size, as onnxruntime does.
    x = rand(2, 3, 6, 7, 8)
    for op, ir_op in (("MaxPool", "PoolMax3d"), ("AveragePool", "PoolAvg3d")):
        for count_pad in ((0, 1) if op == "AveragePool" else (None,)):
            extra_ir = {} if count_pad is None else {"count_pad_for_edges": count_pad}
            extra_onnx = {} if count_pad is None else {"count_include_pad": count_pad}
            add(f"{ir_op.lower()}_dilated_ceil{'' if count_pad is None else count_pad}", ir_op,
                {"filter_size": [2, 3, 2], "stride": [2, 1, 4], "dilation": [2, 1, 3],
                 "pad_amount": [1, 0, 1, 1, 1, 1], "rounding_mode": 1, **extra_ir},
                [node(op, ["x"], kernel_shape=[2, 3, 2], strides=[2, 1, 4], dilations=[2, 1, 3],
                      pads=[1, 1, 1, 0, 1, 1], ceil_mode=1, **extra_onnx)],
                {"x": x}, [(x, "nchw", False)], "nchw", opset=19)  # AveragePool dilations
    x = rand(1, 8, 5, 5)
    add("global_avgpool", "PoolAvg2d", {"filter_size": [5, 5]},
        [node("GlobalAveragePool", ["x"])], {"x": x}, [(x, "nchw", False)], "nchw")

    # --- Layout ------------------------------------------------------------------------
    t = rand(2, 3, 4)
    add("reshape", "Reshape", {"shape": [4, 6]}, [node("Reshape", ["t", "shape"])], {"t": t},
        [(t, "plain", False)], "plain", [const("shape", [4, 6])])
    add("transpose", "Transpose", {"perm": [2, 0, 1]}, [node("Transpose", ["t"], perm=[2, 0, 1])],
        {"t": t}, [(t, "plain", False)], "plain")
    c0, c1, c2 = rand(2, 1, 3), rand(2, 4, 3), rand(2, 2, 3)
    add("concat", "Concat", {"axis": 1}, [node("Concat", ["c0", "c1", "c2"], axis=1)],
        {"c0": c0, "c1": c1, "c2": c2},
        [(c0, "plain", False), (c1, "plain", False), (c2, "plain", False)], "plain")
    t = rand(2, 5, 6)
    for scheme, onnx_pads in [("constant", [0, 1, 2, 1, 0, 3]), ("reflect", [1, 2, 1, 1, 1, 3]),
                              ("edge", [1, 0, 2, 0, 3, 1])]:
        ir_pads = [v for d in range(3) for v in (onnx_pads[d], onnx_pads[d + 3])]
        params = {"pad_amount": ir_pads, "scheme": scheme}
        ins = ["t", "pads"]
        inits = [const("pads", onnx_pads)]
        if scheme == "constant":
            params["pad_constant_value"] = 1.5
            ins.append("cv")
            inits.append(const("cv", 1.5, TensorProto.FLOAT))
        add(f"pad_{scheme}", "Pad", params, [node("Pad", ins, mode=scheme)], {"t": t},
            [(t, "plain", False)], "plain", inits)

    # --- Softmax, ReduceMean, Batchnorm ------------------------------------------------
    s = rand(3, 7, 5, lo=-8, hi=8)
    add("softmax_axis1", "Softmax", {"axis": 1}, [node("Softmax", ["s"], axis=1)], {"s": s},
        [(s, "plain", False)], "plain")
    add("softmax_beta", "Softmax", {"axis": 2, "beta": 0.5},
        [node("Mul", ["s", "beta"], ["sb"]), node("Softmax", ["sb"], axis=2)], {"s": s},
        [(s, "plain", False)], "plain", [const("beta", 0.5, TensorProto.FLOAT)])
    r = rand(2, 3, 4, 5)
    add("reducemean_keep", "ReduceMean", {"axes": [1, 2], "keep_dims": 1},
        [node("ReduceMean", ["r"], axes=[1, 2], keepdims=1)], {"r": r}, [(r, "plain", False)],
        "plain")
    add("reducemean_drop", "ReduceMean", {"axes": [0, 3], "keep_dims": 0},
        [node("ReduceMean", ["r"], axes=[0, 3], keepdims=0)], {"r": r}, [(r, "plain", False)],
        "plain")
    x = rand(2, 6, 5, 4)
    scale, bias, mean, var = rand(6), rand(6), rand(6), rand(6, lo=0.2, hi=2.0)
    eps = 1e-5
    # The IR's Batchnorm is the folded form: x * s + c with s = scale / sqrt(var + eps).
    s_fold = (scale / np.sqrt(var.astype(np.float64) + eps)).astype(np.float32)
    c_fold = (bias - mean.astype(np.float64) * s_fold).astype(np.float32)
    add("batchnorm", "Batchnorm", {},
        [node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], epsilon=eps)],
        {"x": x, "scale": scale, "bias": bias, "mean": mean, "var": var},
        [(x, "nchw", False), (s_fold, "plain", True), (c_fold, "plain", True)], "nchw")

    # --- Normalizations the node tests miss (InstanceNormalization's are opset 6) -------
    x, scale, bias = rand(2, 3, 4, 5, lo=-2, hi=3), rand(3), rand(3)
    add("instance_norm", "InstanceNorm", {"epsilon": 1e-3},
        [node("InstanceNormalization", ["x", "scale", "bias"], epsilon=1e-3)],
        {"x": x, "scale": scale, "bias": bias},
        [(x, "nchw", False), (scale, "plain", True), (bias, "plain", True)], "nchw")
    add("l2norm_axis1", "L2Norm", {"axis": 1, "epsilon": 1e-24},
        [node("LpNormalization", ["x"], axis=1, p=2)], {"x": x}, [(x, "plain", False)], "plain")
    x = rand(1, 7, 3, 3)
    add("lrn_size5", "Lrn", {"alpha": 2e-3 / 5, "beta": 0.6, "bias": 1.5, "radius": 2},
        [node("LRN", ["x"], size=5, alpha=2e-3, beta=0.6, bias=1.5)], {"x": x},
        [(x, "nchw", False)], "nchw")

    # --- RoiPooling (ONNX MaxRoiPool): boxes over and past the image, a tiny one, a .5 edge
    x = rand(2, 3, 9, 11, lo=-2, hi=2)
    rois = np.array([[0, 0, 0, 20, 16], [1, 3, 5, 9, 7], [1, 7, 3, 7, 3], [0, 5, 1, 30, 40],
                     [1, 1, 1, 3, 17]], dtype=np.float32)
    add("max_roi_pool", "RoiPooling",
        {"output_height": 2, "output_width": 3, "img_size_ratio": [0.5, 0.5]},
        [node("MaxRoiPool", ["x", "rois"], pooled_shape=[2, 3], spatial_scale=0.5)],
        {"x": x, "rois": rois}, [(x, "nchw", False), (rois, "plain", False)], "nchw")

    write(args.out, cases, np)
    print(f"gen_ref_data.py: wrote {len(cases)} cases to {args.out}")
    return 0


def write(out_dir, cases, np):
    """Writes into a fresh sibling folder, then swaps it in: no half-written data."""
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".ref_data.", dir=parent)
    manifest = []
    for c in cases:
        entry = {"name": c["name"], "op": c["op"], "params": c["params"], "inputs": []}
        for i, (arr, layout, static) in enumerate(c["inputs"]):
            fname = f"{c['name']}.in{i}.raw"
            arr.astype("<f4").tofile(os.path.join(tmp, fname))
            entry["inputs"].append({"file": fname, "shape": list(arr.shape), "layout": layout,
                                    "static": static})
        y, layout = c["output"]
        fname = f"{c['name']}.out0.raw"
        y.astype("<f4").tofile(os.path.join(tmp, fname))
        entry["output"] = {"file": fname, "shape": list(y.shape), "layout": layout}
        manifest.append(entry)
    with open(os.path.join(tmp, "manifest.json"), "w") as f:
        json.dump({"generator": "tests/unit/cpu/gen_ref_data.py", "cases": manifest}, f,
                  indent=1)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(tmp, out_dir)


if __name__ == "__main__":
    sys.exit(main())
