#!/usr/bin/env python3
"""What fp16 storage alone costs a model: onnxruntime runs it with every intermediate
tensor rounded to float16 (a Cast to float16 and back after each node that computes
values), weights, graph inputs and graph outputs left float32, arithmetic in float32 —
the scheme of the GPU target's default precision. Prints, per input, the relative error
(max abs error / max abs reference) against the unrounded model: no fp16-storage
implementation can be expected to do much better.

  fp16_floor.py --onnx model.onnx [--count 2] [--seed 1] [--layout NHWC]

Inputs are standard-normal from --seed, generated exactly as tests/e2e does (the raw
files are in the converted graph's layout, NHWC for images, and transposed for ORT)."""
import argparse

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

# Nodes that only move or reshape values (or compute shapes): rounding their outputs again
# changes nothing, or they are folded away by the converter.
NO_ROUNDING = {"Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape",
               "Flatten", "Identity", "Dropout", "Transpose", "Cast", "ConstantOfShape", "Slice"}


def session(model):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])


def with_fp16_intermediates(model):
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    outputs = {o.name for o in g.output}
    # Only float values are stored as fp16 (integer shape arithmetic keeps its dtype).
    inferred = onnx.shape_inference.infer_shapes(model).graph
    float_values = {v.name for v in list(inferred.value_info) + list(inferred.output)
                    if v.type.tensor_type.elem_type == TensorProto.FLOAT}
    renamed, nodes = {}, []
    for n in g.node:
        n.input[:] = [renamed.get(i, i) for i in n.input]
        nodes.append(n)
        if n.op_type in NO_ROUNDING:
            continue
        for o in n.output:
            if o in outputs or o not in float_values:
                continue  # graph outputs stay float32; non-float values are not rounded
            nodes.append(helper.make_node("Cast", [o], [o + "__f16"], to=TensorProto.FLOAT16))
            nodes.append(helper.make_node("Cast", [o + "__f16"], [o + "__r"], to=TensorProto.FLOAT))
            renamed[o] = o + "__r"
    del g.node[:]
    g.node.extend(nodes)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--count", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layout", default="NHWC", choices=["NHWC", "NCHW"],
                    help="layout of the raw input files (NHWC: the converter's image layout)")
    args = ap.parse_args()
    model = onnx.load(args.onnx)
    ref, rounded = session(model), session(with_fp16_intermediates(model))
    inp = ref.get_inputs()[0]
    shape = [d if isinstance(d, int) else 1 for d in inp.shape]
    rng = np.random.default_rng(args.seed)
    errs = []
    for _ in range(args.count):
        raw = rng.standard_normal(shape).astype(np.float32)
        x = raw
        if args.layout == "NHWC" and len(shape) == 4:
            n, c, h, w = shape
            x = np.ascontiguousarray(raw.reshape(n, h, w, c).transpose(0, 3, 1, 2))
        want = ref.run(None, {inp.name: x})[0]
        got = rounded.run(None, {inp.name: x})[0]
        errs.append(float(np.abs(got - want).max() / np.abs(want).max()))
    print("fp16-intermediate relative error per input: " + " ".join(f"{e:.3g}" for e in errs))


if __name__ == "__main__":
    main()
