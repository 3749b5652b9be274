#!/usr/bin/env python3
"""Compares qnn-net-run outputs with onnxruntime on the same inputs.

  compare.py --onnx model.onnx --net_json model_net.json --input_list list.txt \
             --output_dir output [--input_dim input 1,3,224,224] [--max_rel 1e-4] [--min_sqnr 40]

For every inference i it feeds onnxruntime the same raw inputs (converted from the layout
the converter chose, read from X_net.json) and prints, per output, the relative error
(max abs error / max abs reference) and the SQNR in dB. Exits 1 when a bound is missed."""
import argparse
import json
import math
import os
import re
import sys

import numpy as np
import onnxruntime as ort


def sanitize(name):
    s = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return s if (s and (s[0].isalpha() or s[0] == "_")) else "_" + s


def io_layouts(net_json):
    """Maps graph I/O name -> (dims, layout) as the converted graph exchanges them."""
    with open(net_json) as f:
        net = json.load(f)
    io = net.get("io", {})
    out = {}
    for key in ("inputs", "outputs"):
        for entry in io.get(key, []):
            out[entry["name"]] = ([int(d) for d in entry["dims"]], entry.get("layout", ""))
    return out


def to_onnx_layout(arr, layout):
    if layout == "NHWC" and arr.ndim == 4:
        return arr.transpose(0, 3, 1, 2)
    return arr


def parse_input_list(path):
    lines = []
    with open(path) as f:
        raw = [l.strip() for l in f]
    if raw and raw[0].startswith("#"):
        raw = raw[1:]
        if raw and raw[0].startswith("%"):
            raw = raw[1:]
    for l in raw:
        if l:
            lines.append(l.split())
    return lines


def sqnr_db(ref, got):
    noise = float(np.sum((ref.astype(np.float64) - got) ** 2))
    signal = float(np.sum(ref.astype(np.float64) ** 2))
    if noise == 0.0:
        return math.inf
    return 10.0 * math.log10(signal / noise)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--net_json", required=True)
    ap.add_argument("--input_list", required=True)
    ap.add_argument("--output_dir", required=True)
    ap.add_argument("--input_dim", nargs=2, action="append", default=[], metavar=("NAME", "DIMS"))
    ap.add_argument("--max_rel", type=float, default=None)
    ap.add_argument("--min_sqnr", type=float, default=None)
    ap.add_argument("--label", default="")
    args = ap.parse_args()

    layouts = io_layouts(args.net_json)
    so = ort.SessionOptions()
    # The reference is the model as written: onnxruntime's graph rewrites (e.g. fusing Pad
    # into AveragePool) can change results.
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(args.onnx, so, providers=["CPUExecutionProvider"])
    in_meta = sess.get_inputs()
    dims_override = {n: [int(d) for d in s.split(",")] for n, s in args.input_dim}
    worst_rel, worst_sqnr = 0.0, math.inf
    for i, entries in enumerate(parse_input_list(args.input_list)):
        feeds = {}
        for j, meta in enumerate(in_meta):
            named = [e.split(":=", 1) for e in entries if ":=" in e]
            path = dict(named)[meta.name] if named else entries[j]
            dims, layout = layouts.get(meta.name, (dims_override.get(meta.name), ""))
            data = np.fromfile(path, dtype=np.float32).reshape(dims)
            feeds[meta.name] = to_onnx_layout(data, layout)
        refs = sess.run(None, feeds)
        for meta, ref in zip(sess.get_outputs(), refs):
            dims, layout = layouts.get(meta.name, (list(ref.shape), ""))
            path = os.path.join(args.output_dir, f"Result_{i}", sanitize(meta.name) + ".raw")
            got = to_onnx_layout(np.fromfile(path, dtype=np.float32).reshape(dims), layout)
            rel = float(np.max(np.abs(got - ref)) / max(float(np.max(np.abs(ref))), 1e-30))
            sq = sqnr_db(ref, got)
            worst_rel, worst_sqnr = max(worst_rel, rel), min(worst_sqnr, sq)
    label = f"{args.label}: " if args.label else ""
    print(f"{label}max relative error {worst_rel:.3g}, SQNR {worst_sqnr:.1f} dB "
          f"(worst over {i + 1} inferences vs onnxruntime {ort.__version__})")
    ok = True
    if args.max_rel is not None and not worst_rel <= args.max_rel:
        print(f"{label}FAIL: relative error {worst_rel:.3g} > {args.max_rel:g}")
        ok = False
    if args.min_sqnr is not None and not worst_sqnr >= args.min_sqnr:
        print(f"{label}FAIL: SQNR {worst_sqnr:.1f} dB < {args.min_sqnr:g} dB")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
