#!/usr/bin/env python3
"""ResNet-50, side by side with onnxruntime in the same run, reported as ratios.

  bench/bench_resnet50.py [--build build] [--work /tmp/oqnn-bench] [--runs 10]

Measures (each step in its own child process, median of 3 runs; peak memory = the
child's max RSS from wait4): converting the ONNX model (qnn-onnx-converter) and building its model library
(qnn-model-lib-generator), against onnxruntime creating an inference session for the same
model; then steady-state CPU inference (qnn-net-run --backend cpu, execute time from the
profiling log) against onnxruntime's CPU provider with the same thread count.
Nothing here asserts a time: the numbers are printed for people to read."""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_measured(cmd, cwd=None):
    """(wall seconds, peak RSS MiB) of one child process; raises on failure."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    out, err = p.communicate()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.decode()}\n{err.decode()}")
    return wall, usage.ru_maxrss / 1024.0


def run_measured_median(cmd, repeats=3):
    """Median wall seconds and max peak RSS over `repeats` runs (the first one also pays for
    a cold page cache)."""
    runs = [run_measured(cmd) for _ in range(repeats)]
    return float(np.median([r[0] for r in runs])), max(r[1] for r in runs)


ORT_SESSION = """
import sys, onnxruntime as ort
o = ort.SessionOptions(); o.intra_op_num_threads = int(sys.argv[2])
ort.InferenceSession(sys.argv[1], o, providers=["CPUExecutionProvider"])
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--work", default="/tmp/oqnn-bench")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    bindir = os.path.join(args.build, "bin")
    os.makedirs(args.work, exist_ok=True)
    models = os.path.join(args.build, "e2e-models")
    model = os.path.join(models, "resnet50.onnx")
    if not os.path.exists(model):
        subprocess.run([sys.executable, os.path.join(REPO, "tests", "e2e", "export_models.py"), models], check=True)
    size_mib = os.path.getsize(model) / 2**20
    w = args.work

    conv_s, conv_mib = run_measured_median([os.path.join(bindir, "qnn-onnx-converter"), "-i", model, "-o",
                                     os.path.join(w, "resnet50.cpp"), "-d", "input", "1,3,224,224"])
    lib_s, lib_mib = run_measured_median([os.path.join(bindir, "qnn-model-lib-generator"), "-c", os.path.join(w, "resnet50.cpp"),
                                   "-b", os.path.join(w, "resnet50.bin"), "-t", "x86_64-linux-clang",
                                   "-o", os.path.join(w, "resnet50.so")])
    ort_s, ort_mib = run_measured_median([sys.executable, "-c", ORT_SESSION, model, str(args.threads)])

    x = np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32)
    x.transpose(0, 2, 3, 1).tofile(os.path.join(w, "x.raw"))  # the converted input is NHWC
    with open(os.path.join(w, "list.txt"), "w") as f:
        f.write(os.path.join(w, "x.raw") + "\n")
    with open(os.path.join(w, "cpu.json"), "w") as f:
        json.dump({"cpu_config": {"num_threads": args.threads}}, f)
    out = os.path.join(w, "out")
    subprocess.run([os.path.join(bindir, "qnn-net-run"), "--model", os.path.join(w, "resnet50.so"), "--backend", "cpu",
                    "--input_list", os.path.join(w, "list.txt"), "--output_dir", out, "--num_inferences",
                    str(args.runs + 1), "--profiling_level", "basic", "--config_file", os.path.join(w, "cpu.json")],
                   check=True, capture_output=True)
    with open(os.path.join(out, "qnn-profiling-data_0.log")) as f:
        times = [i["execute_us"] / 1e3 for i in json.load(f)["inferences"]][1:]  # first one warms up
    ours_ms = float(np.median(times))

    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    sess.run(None, {"input": x})
    ort_times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        sess.run(None, {"input": x})
        ort_times.append((time.perf_counter() - t0) * 1e3)
    ort_ms = float(np.median(ort_times))

    print(f"ResNet-50 ({size_mib:.1f} MiB ONNX), {args.threads} threads, onnxruntime {ort.__version__}")
    print(f"  convert (qnn-onnx-converter)      {conv_s:6.2f} s   peak {conv_mib:7.1f} MiB "
          f"= {conv_mib / size_mib:.2f}x the model")
    print(f"  build (qnn-model-lib-generator)   {lib_s:6.2f} s   peak {lib_mib:7.1f} MiB")
    print(f"  onnxruntime session creation      {ort_s:6.2f} s   peak {ort_mib:7.1f} MiB")
    print(f"  ratio convert / ort session: time {conv_s / ort_s:.2f}x, memory {conv_mib / ort_mib:.2f}x")
    print(f"  CPU inference, median of {args.runs}: OpenQNN {ours_ms:.1f} ms, onnxruntime {ort_ms:.1f} ms "
          f"-> {ours_ms / ort_ms:.2f}x onnxruntime's time")


if __name__ == "__main__":
    main()
