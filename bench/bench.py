#!/usr/bin/env python3
"""Inference speed and memory, side by side with onnxruntime in the same run.

  bench/bench.py [--build build] [--work /tmp/oqnn-bench] [--models a,b|all|big|zoo]
                 [--threads 1,2] [--runs 10] [--warmup 2] [--out bench/results] [--no-int16]

For every model: our cpu context binary (fp32) against onnxruntime fp32, and our htp context
binary (W8A8: 8-bit activations, 8-bit per-tensor weights, min-max on the calibration inputs)
against onnxruntime's own static quantization of the same model on the same calibration
inputs (QDQ format, uint8 activations, int8 per-tensor weights, MinMax) — at each thread
count; and an htp context with 16-bit activations (W8A16, --act_bitwidth 16) timed against our
own W8A8 one (its "ratio" is our a16 time / our int8 time; --no-int16 skips it). Every measurement runs in a child process of its own: ours is qnn-net-run
--retrieve_context (per-inference execute time from its profiling log; context load = its
init + load + deserialize stages), onnxruntime's is a Python child (session creation, then
sess.run timed with perf_counter). Times are medians over --runs inferences after --warmup;
peak memory is the child's max RSS (wait4); onnxruntime's has the RSS of a Python child that
only imports numpy subtracted (the interpreter, not onnxruntime's own cost).

Models: "big" = torchvision at 224x224 (the course e2e set of tests/e2e/export_models.py:
ResNet-18/50, MobileNetV2, SqueezeNet 1.1, plus MobileNetV3-Large and EfficientNet-B0), random
weights from a fixed seed; "zoo" = the e2e zoo of tests/e2e/zoo_models.py (small
transformers, segmenters, speech models). Ratios are our time / onnxruntime's (below 1 is
faster). Prints the table, writes results.csv and ratios.svg under --out. Nothing here is a
pass/fail test; timings on a loaded machine are not comparable."""
import argparse
import csv
import json
import math
import os
import platform
import subprocess
import sys

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
import zoo_models  # noqa: E402
from e2e_lib import ort_quantize_static  # noqa: E402

BIG = {
    "resnet18": "resnet18", "resnet50": "resnet50", "mobilenet_v2": "mobilenet_v2",
    "squeezenet1_1": "squeezenet1_1", "mobilenet_v3_large": "mobilenet_v3_large",
    "efficientnet_b0": "efficientnet_b0",
}
# As in tests/e2e: BatchNorm statistics estimated where random ones make activations vanish.
BIG_BN_ESTIMATED = {"mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0"}
IMG224 = [("input", [1, 3, 224, 224], "float32")]
NUM_CALIB = 4


def zoo_tested():
    with open(os.path.join(REPO, "tests", "e2e", "zoo_tested.txt")) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def specs_of(name):
    return IMG224 if name in BIG else zoo_models.MODELS[name][1]


def export(name, path):
    if os.path.exists(path):
        return
    if name not in BIG:
        zoo_models.export(name, path)
        return
    import torch
    import torchvision
    torch.manual_seed(0)
    model = getattr(torchvision.models, BIG[name])(weights=None)
    if name in BIG_BN_ESTIMATED:
        zoo_models.estimate_batchnorm_statistics(model, IMG224)
    model.eval()
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), tmp, opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=True)
    os.replace(tmp, path)


def write_inputs(folder, specs, count, seed):
    """Raw float32 files (qnn-net-run's default input type, token ids too) and the same
    samples as onnxruntime feeds."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    feeds, lines = [], []
    for i in range(count):
        feed, paths = {}, []
        for k, (name, shape, dtype) in enumerate(specs):
            if dtype == "int64":
                a = rng.integers(0, 100, shape)
            elif dtype == "mask":
                a = np.ones(shape, dtype=np.int64)
                a[..., shape[-1] * 3 // 4:] = 0
            else:
                a = rng.standard_normal(shape).astype(np.float32)
            p = os.path.join(folder, f"in{k}_{i}.raw")
            a.astype(np.float32).tofile(p)
            feed[name] = a
            paths.append(f"{name}:={p}")
        feeds.append(feed)
        lines.append(" ".join(paths))
    lst = os.path.join(folder, "input_list.txt")
    with open(lst, "w") as f:
        f.write("\n".join(lines) + "\n")
    np.savez(os.path.join(folder, "feeds.npz"), **{f"{i}:{k}": v for i, fd in enumerate(feeds) for k, v in fd.items()})
    return lst, feeds


ORT_CHILD = r"""
import json, sys, time, numpy as np, onnxruntime as ort
path, threads, runs, warmup, feeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
data = np.load(feeds)
feed = {k.split(":", 1)[1]: data[k] for k in data.files if k.startswith("0:")}
t0 = time.perf_counter()
so = ort.SessionOptions(); so.intra_op_num_threads = threads; so.inter_op_num_threads = 1
sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
types = {i.name: i.type for i in sess.get_inputs()}
feed = {k: (v.astype(np.int64) if "int64" in types[k] else v.astype(np.float32)) for k, v in feed.items()}
load = time.perf_counter() - t0
ts = []
for i in range(warmup + runs):
    t = time.perf_counter(); sess.run(None, feed); ts.append(time.perf_counter() - t)
print(json.dumps({"load_ms": load * 1e3, "first_ms": ts[0] * 1e3, "ms": float(np.median(ts[warmup:])) * 1e3}))
"""
BASELINE_CHILD = "import json, numpy; print('{}')"


# Peak RSS is read by a small Python wrapper that starts the command and reaps it with
# wait4: a child forked straight from this process (which holds torch and onnxruntime)
# would inherit its high-water mark of resident memory and report that instead.
WRAPPER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:])\n"
    "_, st, ru = os.wait4(p.pid, 0)\n"
    "sys.stderr.write('\\nOQNN_MAXRSS_KB=%d\\n' % ru.ru_maxrss)\n"
    "sys.exit(os.waitstatus_to_exitcode(st))\n")


def measured(cmd):
    """Runs cmd in a child; returns (stdout text, peak RSS in MiB of that child alone)."""
    p = subprocess.run([sys.executable, "-c", WRAPPER] + [str(c) for c in cmd], capture_output=True,
                       stdin=subprocess.DEVNULL)
    out, err = p.stdout.decode(), p.stderr.decode()
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{out[-2000:]}\n{err[-2000:]}")
    kb = [line for line in err.splitlines() if line.startswith("OQNN_MAXRSS_KB=")][-1]
    return out, int(kb.split("=", 1)[1]) / 1024.0


def ort_time(onnx_path, threads, runs, warmup, feeds_npz):
    out, rss = measured([sys.executable, "-c", ORT_CHILD, onnx_path, str(threads), str(runs), str(warmup),
                         feeds_npz])
    r = json.loads(out.strip().splitlines()[-1])
    r["rss_mib"] = rss
    return r


def ours_time(bindir, work, backend, context, input_list, threads, runs, warmup):
    cfg = os.path.join(work, f"{backend}_t{threads}.json")
    key = "htp_config" if backend == "htp" else "cpu_config"
    # The htp context's nodes that fall back run on the cpu backend: give it the threads too.
    doc = {key: {"hvx_threads" if backend == "htp" else "num_threads": threads}}
    if backend == "htp":
        doc["cpu_config"] = {"num_threads": threads}
    with open(cfg, "w") as f:
        json.dump(doc, f)
    out = os.path.join(work, f"out_{backend}_t{threads}")
    _, rss = measured([os.path.join(bindir, "qnn-net-run"), "--retrieve_context", context, "--backend", backend,
                       "--input_list", input_list, "--output_dir", out, "--num_inferences", str(warmup + runs),
                       "--keep_num_outputs", "1", "--profiling_level", "basic", "--config_file", cfg])
    with open(os.path.join(out, "qnn-profiling-data_0.log")) as f:
        log = json.load(f)
    ex = [i["execute_us"] / 1e3 for i in log["inferences"]]
    stages = {s["name"]: s["us"] / 1e3 for s in log["stages"]}
    load = sum(stages.get(k, 0.0) for k in ("init", "load", "deserialize"))
    return {"load_ms": load, "first_ms": ex[0], "ms": float(np.median(ex[warmup:])), "rss_mib": rss}


def tool(bindir, name, *args):
    p = subprocess.run([os.path.join(bindir, name)] + [str(a) for a in args], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise RuntimeError(f"{name} exited {p.returncode}: {(p.stdout + p.stderr).strip()[-1500:]}")
    return p


def prepare(bindir, work, name, int16):
    """Exports, converts, builds and makes both context binaries; returns paths."""
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    onnx_path = os.path.join(work, "models", name + ".onnx")
    os.makedirs(os.path.dirname(onnx_path), exist_ok=True)
    export(name, onnx_path)
    specs = specs_of(name)
    test_list, _ = write_inputs(os.path.join(d, "test"), specs, 1, seed=1)
    calib_list, calib = write_inputs(os.path.join(d, "calib"), specs, NUM_CALIB, seed=2)
    dims = [a for n, s, _ in specs for a in ("--input_dim", n, ",".join(map(str, s)))]
    ctx = {}
    variants = [("float", "cpu", []), ("quant", "htp", ["--input_list", calib_list])]
    if int16:
        variants.append(("quant16", "htp16", ["--input_list", calib_list, "--act_bitwidth", "16"]))
    for tag, backend, extra in variants:
        kind = "htp" if backend == "htp16" else backend
        t = os.path.join(d, tag)
        os.makedirs(t, exist_ok=True)
        cpp = os.path.join(t, "model.cpp")
        if not os.path.exists(os.path.join(t, f"ctx/{kind}_context.bin")):
            tool(bindir, "qnn-onnx-converter", "--input_network", onnx_path, "--output_path", cpp,
                 "--preserve_io", "layout", *dims, *extra)
            lib = os.path.join(t, "libmodel.so")
            tool(bindir, "qnn-model-lib-generator", "-c", cpp, "-b", os.path.join(t, "model.bin"), "-o", lib)
            tool(bindir, "qnn-context-binary-generator", "--model", lib, "--backend", kind, "--output_dir",
                 os.path.join(t, "ctx"))
        ctx[backend] = os.path.join(t, f"ctx/{kind}_context.bin")
    qdq = os.path.join(d, "qdq.onnx")
    if not os.path.exists(qdq):
        ort_quantize_static(onnx_path, calib, qdq)
    return onnx_path, qdq, ctx, test_list, os.path.join(d, "test", "feeds.npz")


def geomean(xs):
    xs = [x for x in xs if x and math.isfinite(x)]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    have = set(line.split(":", 1)[1].split())
                    break
            else:
                have = set()
    except OSError:
        have = set()
    want = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni", "avx512_bf16",
            "amx_tile", "amx_int8"]
    return [f for f in want if f in have]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def write_svg(rows, threads, path):
    """Grouped bars of the time ratios per model (cpu fp32 and htp int8 at each thread
    count), log scale, a line at 1 (onnxruntime's time)."""
    series = [(f"cpu fp32, {t} thr", "cpu", t) for t in threads] + [(f"htp int8, {t} thr", "htp", t) for t in threads]
    colors = ["#1f77b4", "#6baed6", "#d62728", "#fc9272", "#2ca02c", "#98df8a"]
    models = sorted({r["model"] for r in rows}, key=lambda m: [r["model"] for r in rows].index(m))
    ratio = {(r["model"], r["target"], r["threads"]): r["ratio"] for r in rows}
    vals = [v for v in ratio.values() if v and math.isfinite(v)]
    lo, hi = min(vals + [0.5]) / 1.2, max(vals + [2.0]) * 1.2
    W, H, left, top, bottom = max(640, 40 + len(models) * 18 * len(series)), 420, 60, 30, 120
    ph = H - top - bottom
    y = lambda v: top + ph * (math.log(hi) - math.log(v)) / (math.log(hi) - math.log(lo))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W + 180}" height="{H}" font-family="sans-serif" '
           f'font-size="11">', f'<text x="{left}" y="18" font-size="13">our time / onnxruntime time '
           f'(log scale; below 1 = faster than onnxruntime)</text>']
    for v in (0.25, 0.5, 1, 2, 4, 8, 16, 32):
        if lo <= v <= hi:
            out.append(f'<line x1="{left}" x2="{W}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{"#000" if v == 1 else "#ddd"}"/>'
                       f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
    group = (W - left) / max(1, len(models))
    bw = group * 0.8 / len(series)
    for i, m in enumerate(models):
        x0 = left + i * group + group * 0.1
        for k, (_, tgt, t) in enumerate(series):
            v = ratio.get((m, tgt, t))
            if not v or not math.isfinite(v):
                continue
            yt, yb = min(y(v), y(1)), max(y(v), y(1))
            out.append(f'<rect x="{x0 + k * bw:.1f}" y="{yt:.1f}" width="{bw * 0.9:.1f}" height="{max(1, yb - yt):.1f}" '
                       f'fill="{colors[k % len(colors)]}"><title>{m} {tgt} {t} threads: {v:.2f}x</title></rect>')
        cx = x0 + group * 0.4
        out.append(f'<text transform="translate({cx:.1f},{H - bottom + 8}) rotate(60)">{m}</text>')
    for k, (label, _, _) in enumerate(series):
        out.append(f'<rect x="{W + 20}" y="{top + k * 18}" width="12" height="12" fill="{colors[k % len(colors)]}"/>'
                   f'<text x="{W + 38}" y="{top + k * 18 + 10}">{label}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--work", default="/tmp/oqnn-bench")
    ap.add_argument("--models", default="all", help="comma-separated names, or all, big, zoo")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results"))
    ap.add_argument("--no-int16", dest="int16", action="store_false",
                    help="skip the htp W8A16 context (16-bit activations), timed against our W8A8 one")
    args = ap.parse_args()
    if args.runs < 1 or args.warmup < 0:
        ap.error("--runs must be at least 1 and --warmup non-negative")
    groups = {"big": list(BIG), "zoo": zoo_tested()}
    groups["all"] = groups["big"] + groups["zoo"]
    names = []
    for tok in args.models.split(","):
        names += groups.get(tok, [tok])
    unknown = [n for n in names if n not in BIG and n not in zoo_models.MODELS]
    if unknown:
        ap.error(f"unknown model(s): {', '.join(unknown)}")
    threads = [int(t) for t in args.threads.split(",")]
    bindir = os.path.join(args.build, "bin")
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    import onnxruntime as ort
    _, base_rss = measured([sys.executable, "-c", BASELINE_CHILD])

    rows = []
    print(f"{cpu_model()}, {os.cpu_count()} cpus, flags {' '.join(cpu_flags())}; onnxruntime {ort.__version__}; "
          f"median of {args.runs} after {args.warmup} warm-up")
    hdr = (f"{'model':<20} {'target':<9} {'thr':>3} {'ours ms':>9} {'ort ms':>9} {'ratio':>6} "
           f"{'load ms':>8} {'ort load':>8} {'1st-med':>7} {'RSS MiB':>8} {'ort RSS':>8} {'RSS ratio':>9}")
    print(hdr)
    for name in names:
        try:
            onnx_path, qdq, ctx, test_list, feeds = prepare(bindir, args.work, name, args.int16)
        except Exception as e:  # one model that fails to convert must not hide the others
            print(f"{name:<20} skipped: {str(e).splitlines()[0]}")
            continue
        for t in threads:
            targets = [("cpu fp32", "cpu", onnx_path), ("htp int8", "htp", qdq)]
            if args.int16:
                targets.append(("htp a16", "htp16", None))
            ort_of, ours_of = {}, {}
            for target, backend, ref in targets:
                try:
                    o = ours_time(bindir, os.path.join(args.work, name), "htp" if backend == "htp16" else backend,
                                  ctx[backend], test_list, t, args.runs, args.warmup)
                    # W8A16 is timed against our own W8A8 context ("16-bit activations at most 2x
                    # the 8-bit time"); its onnxruntime columns repeat the int8 QDQ model's.
                    r = ort_of["htp"] if backend == "htp16" else ort_time(ref, t, args.runs, args.warmup, feeds)
                except Exception as e:
                    print(f"{name:<20} {target:<9} {t:>3} failed: {str(e).splitlines()[0]}")
                    continue
                ort_of[backend], ours_of[backend] = r, o
                ort_rss = max(1.0, r["rss_mib"] - base_rss)
                base_ms = ours_of["htp"]["ms"] if backend == "htp16" and "htp" in ours_of else r["ms"]
                row = {"model": name, "target": backend, "threads": t, "ours_ms": o["ms"], "ort_ms": r["ms"],
                       "ratio": o["ms"] / base_ms, "load_ms": o["load_ms"], "ort_load_ms": r["load_ms"],
                       "first_minus_median_ms": o["first_ms"] - o["ms"], "rss_mib": o["rss_mib"],
                       "ort_rss_mib": ort_rss, "rss_ratio": o["rss_mib"] / ort_rss}
                rows.append(row)
                print(f"{name:<20} {target:<9} {t:>3} {o['ms']:9.2f} {r['ms']:9.2f} {row['ratio']:6.2f} "
                      f"{o['load_ms']:8.1f} {r['load_ms']:8.1f} {row['first_minus_median_ms']:7.1f} "
                      f"{o['rss_mib']:8.1f} {ort_rss:8.1f} {row['rss_ratio']:9.2f}", flush=True)
    print()
    for backend, label in (("cpu", "cpu fp32 / ort fp32"), ("htp", "htp int8 / ort int8 QDQ"),
                           ("htp16", "htp a16 / our htp int8")):
        for t in threads:
            rs = [r["ratio"] for r in rows if r["target"] == backend and r["threads"] == t]
            if rs:
                worst = max((r for r in rows if r["target"] == backend and r["threads"] == t), key=lambda r: r["ratio"])
                print(f"{label:<24} {t} threads: geometric mean {geomean(rs):.2f}x over {len(rs)} models, "
                      f"worst {worst['ratio']:.2f}x ({worst['model']})")
    with open(os.path.join(args.out, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["model"])
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in r.items()})
    write_svg(rows, threads, os.path.join(args.out, "ratios.svg"))
    print(f"wrote {os.path.join(args.out, 'results.csv')} and ratios.svg")


if __name__ == "__main__":
    main()
