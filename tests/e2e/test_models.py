"""The toolchain end to end on real CNNs, checked against onnxruntime on the same inputs:
CPU within 1e-4 relative, GPU within 1e-2, through the model library and the context
binary; HTP by SQNR against fp32, bit-identical across runs, thread counts, and model
library vs context binary. Run one model with `pytest -k resnet18`."""
import json
import os

import numpy as np
import pytest

from e2e_lib import MODELS, io_info, make_inputs, onnx_reference, read_output, rel_error, sqnr_db, tool

MODEL_NAMES = ["simple_model", "resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1"]
# HTP SQNR floors (dB) against fp32 onnxruntime with `tf` calibration on 8 random inputs.
# The seed model's 40 dB is the bar; the torchvision floors sit a few dB under what
# this scheme measures on these random-weight models (see docs/quantization.md).
# MobileNetV2 (BatchNorm statistics estimated, see export_models.py) is chaotic with random
# weights: any per-layer error grows ~1.3x per block (measured with fp16 on the GPU target),
# so per-tensor 8-bit noise ends near 13 dB.
HTP_MIN_SQNR = {"simple_model": 40.0, "resnet18": 25.0, "resnet50": 25.0, "mobilenet_v2": 10.0,
                "squeezenet1_1": 30.0}
NUM_TEST_INPUTS = 2
CPU_MAX_REL, GPU_MAX_REL = 1e-4, 1e-2


class Built:
    """One model converted (float and quantized), compiled, with inputs and references."""

    def __init__(self, name, root):
        self.name = name
        self.onnx = os.path.join(MODELS, name + ".onnx")
        self.root = root
        self.test_list, self.test_inputs = make_inputs(os.path.join(root, "test_inputs"), [1, 3, 224, 224],
                                                       NUM_TEST_INPUTS, seed=1)
        self.calib_list, _ = make_inputs(os.path.join(root, "calib_inputs"), [1, 3, 224, 224], 8, seed=2)
        self.float_lib = self._convert_and_build("float")
        self.quant_lib = self._convert_and_build("quant", "--input_list", self.calib_list)
        layout = io_info(os.path.join(root, "float", name + "_net.json"))["input"][1]
        self.refs = onnx_reference(self.onnx, self.test_inputs, layout)

    def _convert_and_build(self, tag, *extra):
        d = os.path.join(self.root, tag)
        os.makedirs(d, exist_ok=True)
        cpp = os.path.join(d, self.name + ".cpp")
        tool("qnn-onnx-converter", "--input_network", self.onnx, "--output_path", cpp,
             "--input_dim", "input", "1,3,224,224", *extra)
        lib = os.path.join(d, self.name + ".so")
        tool("qnn-model-lib-generator", "-c", cpp, "-b", os.path.join(d, self.name + ".bin"),
             "-t", "x86_64-linux-clang", "-l", self.name, "-o", lib)
        return lib

    def run(self, backend, lib=None, context=None, tag="", config=None):
        out = os.path.join(self.root, f"out_{backend}_{tag}")
        args = ["--backend", backend, "--input_list", self.test_list, "--output_dir", out]
        args += ["--model", lib] if lib else ["--retrieve_context", context]
        if config:
            args += ["--config_file", config]
        tool("qnn-net-run", *args)
        return [read_output(out, i) for i in range(NUM_TEST_INPUTS)], out

    def context(self, backend, lib, tag, *extra):
        d = os.path.join(self.root, f"ctx_{tag}")
        tool("qnn-context-binary-generator", "--model", lib, "--backend", backend, "--output_dir", d, *extra)
        return os.path.join(d, f"{backend}_context.bin")


@pytest.fixture(scope="module", params=MODEL_NAMES)
def built(request, tmp_path_factory):
    return Built(request.param, str(tmp_path_factory.mktemp(request.param)))


@pytest.mark.parametrize("backend,max_rel", [("cpu", CPU_MAX_REL), ("gpu", GPU_MAX_REL)])
def test_float_targets_match_onnxruntime(built, backend, max_rel):
    outs_lib, _ = built.run(backend, lib=built.float_lib, tag="lib")
    ctx = built.context(backend, built.float_lib, backend)
    outs_ctx, _ = built.run(backend, context=ctx, tag="ctx")
    for i, ref in enumerate(built.refs):
        e_lib, e_ctx = rel_error(ref, outs_lib[i]), rel_error(ref, outs_ctx[i])
        print(f"{built.name} {backend}: relative error {e_lib:.3g} (model library), {e_ctx:.3g} (context binary)")
        assert e_lib <= max_rel
        assert e_ctx <= max_rel


def test_htp_sqnr_and_bit_exactness(built):
    one = os.path.join(built.root, "htp_1thread.json")
    two = os.path.join(built.root, "htp_2threads.json")
    for path, n in ((one, 1), (two, 2)):
        with open(path, "w") as f:
            json.dump({"htp_config": {"hvx_threads": n}}, f)
    outs_lib1, _ = built.run("htp", lib=built.quant_lib, tag="lib1", config=one)
    outs_lib2, _ = built.run("htp", lib=built.quant_lib, tag="lib2", config=two)
    outs_lib2b, _ = built.run("htp", lib=built.quant_lib, tag="lib2b", config=two)
    ctx = built.context("htp", built.quant_lib, "htp")
    outs_ctx, _ = built.run("htp", context=ctx, tag="ctx", config=one)
    for i, ref in enumerate(built.refs):
        s = sqnr_db(ref, outs_lib1[i])
        print(f"{built.name} htp: SQNR {s:.1f} dB vs fp32 onnxruntime (floor {HTP_MIN_SQNR[built.name]} dB)")
        assert s >= HTP_MIN_SQNR[built.name]
        assert outs_lib1[i].tobytes() == outs_lib2[i].tobytes(), "thread count changed HTP output"
        assert outs_lib2[i].tobytes() == outs_lib2b[i].tobytes(), "HTP output differs between runs"
        assert outs_lib1[i].tobytes() == outs_ctx[i].tobytes(), "context binary differs from model library"


def test_seed_overrides_sqnr(tmp_path):
    """The seed's quantization_config.json on top of tf calibration: >= 32 dB, and its
    unmatched name ('conv1/Relu:0') is a warning, not a failure."""
    name = "simple_model"
    onnx_path = os.path.join(MODELS, name + ".onnx")
    from e2e_lib import REPO
    cfg = os.path.join(REPO, "examples", "simple_model", "quantization_config.json")
    calib, _ = make_inputs(str(tmp_path / "calib"), [1, 3, 224, 224], 8, seed=2)
    test_list, test_inputs = make_inputs(str(tmp_path / "test"), [1, 3, 224, 224], NUM_TEST_INPUTS, seed=1)
    cpp = str(tmp_path / "m.cpp")
    p = tool("qnn-onnx-converter", "--input_network", onnx_path, "--output_path", cpp, "--input_dim", "input",
             "1,3,224,224", "--input_list", calib, "--quantization_overrides", cfg)
    assert "conv1/Relu:0" in p.stderr and "warn" in p.stderr.lower()
    lib = str(tmp_path / "m.so")
    tool("qnn-model-lib-generator", "-c", cpp, "-b", str(tmp_path / "m.bin"), "-t", "x86_64-linux-clang", "-o", lib)
    out = str(tmp_path / "out")
    tool("qnn-net-run", "--model", lib, "--backend", "htp", "--input_list", test_list, "--output_dir", out)
    layout = io_info(str(tmp_path / "m_net.json"))["input"][1]
    refs = onnx_reference(onnx_path, test_inputs, layout)
    for i, ref in enumerate(refs):
        s = sqnr_db(ref, read_output(out, i))
        print(f"simple_model htp with the seed's overrides: SQNR {s:.1f} dB (floor 32 dB)")
        assert s >= 32.0
