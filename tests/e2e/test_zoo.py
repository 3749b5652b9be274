"""Today's deployed architectures end to end (tests/e2e/zoo_models.py: vision transformers,
ConvNeXt, segmenters, a detector head, a text encoder with token-id inputs, a speech model),
each through convert -> model library -> context binary -> qnn-net-run on cpu, gpu and htp,
against onnxruntime on the same inputs. Integer tensors and ops a target lacks run on the
CPU (fallback). Run one model with `pytest test_zoo.py -k vit_13`."""
import os
import sys

import numpy as np
import pytest

from e2e_lib import BUILD, context_binary, net_run, ort_qdq_outputs, rel_error, sanitize, sqnr_db, tool
from zoo_models import MODELS, export

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from fp16_floor import with_fp16_intermediates  # noqa: E402

ZOO = os.path.join(os.environ.get("OQNN_E2E_MODELS", os.path.join(BUILD, "e2e-models")), "zoo")
# GPU: fp16 storage of activations. Bar: 1e-2, or at the fp16 floor where the model itself
# amplifies fp16 rounding past that (the chaotic random-weight nets): no more than
# GPU_FLOOR_FACTOR x what onnxruntime loses with every intermediate rounded to fp16
# (scripts/fp16_floor.py) on the same input. Per layer the GPU tracks that floor within
# 0.8-1.2x; the factor covers how such chaotic errors scatter at the output.
CPU_MAX_REL, GPU_MAX_REL, GPU_FLOOR_FACTOR = 1e-4, 1e-2, 1.5
# HTP (8-bit per-channel weights, 16-bit activations, tf calibration on 4 random inputs):
# SQNR against fp32 onnxruntime, averaged over the test inputs, no worse than 1 dB below
# onnxruntime's own static W8A8 quantization (QDQ, MinMax) calibrated on the same inputs.
# The models whose BatchNorm statistics are estimated (zoo_models.BN_ESTIMATED) are chaotic
# (every error grows block by block), so both sit low there (docs/accuracy.md).
HTP_MARGIN_DB = 1.0
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "zoo_tested.txt")) as f:
    TESTED = [line.strip() for line in f if line.strip() and not line.startswith("#")]
NUM_TEST, NUM_CALIB = 2, 4


def write_inputs(folder, specs, count, seed):
    """One line per sample, one raw file per graph input. Files hold float32 values, as
    qnn-net-run reads every input by default (QNN's rule; token ids and masks too: they are
    converted to the graph's int32)."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    samples, lines = [], []
    for i in range(count):
        feed, paths = {}, []
        for name, shape, dtype in specs:
            if dtype == "int64":
                a = rng.integers(0, 100, shape)
                raw = a.astype(np.float32)
            elif dtype == "mask":  # ones, then padding zeros at the end
                a = np.ones(shape, dtype=np.int64)
                a[..., shape[-1] * 3 // 4:] = 0
                raw = a.astype(np.float32)
            else:
                a = rng.standard_normal(shape).astype(np.float32)
                raw = a
            p = os.path.join(folder, f"{sanitize(name)}_{i}.raw")
            raw.tofile(p)
            feed[name] = a
            paths.append(p)
        samples.append(feed)
        lines.append(" ".join(paths))
    lst = os.path.join(folder, "input_list.txt")
    with open(lst, "w") as f:
        f.write("\n".join(lines) + "\n")
    return lst, samples


class Zoo:
    def __init__(self, name, root):
        os.makedirs(ZOO, exist_ok=True)
        self.name, self.root = name, root
        self.onnx = os.path.join(ZOO, name + ".onnx")
        if not os.path.exists(self.onnx):
            export(name, self.onnx)
        specs = MODELS[name][1]
        self.test_list, self.samples = write_inputs(os.path.join(root, "test"), specs, NUM_TEST, seed=1)
        self.calib_list, self.calib_samples = write_inputs(os.path.join(root, "calib"), specs, NUM_CALIB, seed=2)
        import onnx
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        sess = ort.InferenceSession(self.onnx, so, providers=["CPUExecutionProvider"])
        self.refs = [sess.run(None, s)[0] for s in self.samples]
        rounded = ort.InferenceSession(with_fp16_intermediates(onnx.load(self.onnx)).SerializeToString(), so,
                                       providers=["CPUExecutionProvider"])
        self.fp16_floor = [rel_error(r, rounded.run(None, s)[0]) for r, s in zip(self.refs, self.samples)]
        self.float_lib = self.build("float")
        self.quant_lib = self.build("quant", "--input_list", self.calib_list, "--act_bitwidth", "16",
                                    "--use_per_channel_quantization")

    def build(self, tag, *extra):
        d = os.path.join(self.root, tag)
        os.makedirs(d, exist_ok=True)
        cpp = os.path.join(d, "model.cpp")
        tool("qnn-onnx-converter", "--input_network", self.onnx, "--output_path", cpp, "--preserve_io", "layout",
             *extra)
        lib = os.path.join(d, "libmodel.so")
        tool("qnn-model-lib-generator", "-c", cpp, "-b", os.path.join(d, "model.bin"), "-o", lib)
        return lib

    def run(self, backend, tag, lib=None, context=None):
        return net_run(self.root, backend, tag, self.test_list, NUM_TEST, lib=lib, context=context)

    def context(self, backend, lib):
        return context_binary(self.root, backend, lib)[0]


@pytest.fixture(scope="module", params=TESTED)
def zoo(request, tmp_path_factory):
    return Zoo(request.param, str(tmp_path_factory.mktemp(request.param)))


@pytest.mark.parametrize("backend,max_rel", [("cpu", CPU_MAX_REL), ("gpu", GPU_MAX_REL)])
def test_float_targets_match_onnxruntime(zoo, backend, max_rel):
    outs_lib = zoo.run(backend, f"{backend}_lib", lib=zoo.float_lib)
    outs_ctx = zoo.run(backend, f"{backend}_ctx", context=zoo.context(backend, zoo.float_lib))
    for ref, a, b, floor in zip(zoo.refs, outs_lib, outs_ctx, zoo.fp16_floor):
        e_lib, e_ctx = rel_error(ref, a), rel_error(ref, b)
        bar = max(max_rel, GPU_FLOOR_FACTOR * floor) if backend == "gpu" else max_rel
        print(f"{zoo.name} {backend}: relative error {e_lib:.3g} (model library), {e_ctx:.3g} (context binary)"
              + (f"; fp16 floor {floor:.3g}" if backend == "gpu" else ""))
        assert e_lib <= bar and e_ctx <= bar
        assert a.tobytes() == b.tobytes(), "context binary differs from model library"


def test_htp_sqnr_against_onnxruntime_qdq(zoo):
    outs_lib = zoo.run("htp", "htp_lib", lib=zoo.quant_lib)
    outs_ctx = zoo.run("htp", "htp_ctx", context=zoo.context("htp", zoo.quant_lib))
    for a, b in zip(outs_lib, outs_ctx):
        assert a.tobytes() == b.tobytes(), "context binary differs from model library"
    qdq = ort_qdq_outputs(zoo.onnx, zoo.calib_samples, zoo.samples, os.path.join(zoo.root, "qdq.onnx"))
    ours = np.mean([sqnr_db(r, a) for r, a in zip(zoo.refs, outs_lib)])
    theirs = np.mean([sqnr_db(r, q) for r, q in zip(zoo.refs, qdq)])
    print(f"{zoo.name} htp: SQNR {ours:.1f} dB vs fp32 onnxruntime; onnxruntime W8A8 QDQ {theirs:.1f} dB")
    assert ours >= theirs - HTP_MARGIN_DB
