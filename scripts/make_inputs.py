#!/usr/bin/env python3
"""Writes N random float32 .raw inputs and an input list for qnn-net-run.

  make_inputs.py --name input --shape 1,3,224,224 --count 8 --out_dir data [--list input_data.txt]

Values are standard-normal from a fixed seed (--seed), so the files are reproducible. The
bytes are i.i.d., so the same files serve NCHW and NHWC graph inputs alike; compare.py
interprets them in the layout the converter chose (from X_net.json)."""
import argparse
import os

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", action="append", required=True, help="graph input name (repeatable)")
    ap.add_argument("--shape", action="append", required=True, help="dims, e.g. 1,3,224,224 (one per --name)")
    ap.add_argument("--count", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out_dir", required=True)
    ap.add_argument("--list", default=None, help="input list path (default: <out_dir>/input_list.txt)")
    args = ap.parse_args()
    if len(args.name) != len(args.shape):
        ap.error("give one --shape per --name")
    os.makedirs(args.out_dir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    lines = []
    for i in range(args.count):
        entries = []
        for name, shape in zip(args.name, args.shape):
            dims = [int(d) for d in shape.split(",")]
            data = rng.standard_normal(dims).astype(np.float32)
            path = os.path.join(args.out_dir, f"{name.replace('/', '_')}_{i}.raw")
            data.tofile(path)
            entries.append(f"{name}:={path}" if len(args.name) > 1 else path)
        lines.append(" ".join(entries))
    list_path = args.list or os.path.join(args.out_dir, "input_list.txt")
    with open(list_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(list_path)


if __name__ == "__main__":
    main()
