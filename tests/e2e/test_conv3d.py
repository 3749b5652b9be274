"""3-D convolutions end to end: a small video-style torch module (Conv3d + BatchNorm3d +
ReLU, a depthwise temporal Conv3d (r2plus1d's (3,1,1) kernel), a grouped strided Conv3d
with Clip, a ConvTranspose3d upsampling), exported at opsets 13 and 17, through the four
commands. CPU within 1e-4 relative of onnxruntime; the GPU has no 3-D convolutions, so
they run through the CPU fallback (gpu bar, 1e-2); HTP (8-bit activations, per-channel
int8 weights) by SQNR against fp32 onnxruntime, no worse than 1 dB under onnxruntime's own
static W8A8 QDQ quantization calibrated on the same inputs. Model library and context
binary agree byte for byte on every target."""
import json
import os

import numpy as np
import pytest

from e2e_lib import context_binary, make_inputs, net_run, ort_qdq_outputs, rel_error, sqnr_db, tool

SHAPE = [1, 3, 4, 8, 8]  # N, C, D (frames), H, W
NUM_TEST, NUM_CALIB = 2, 4
CPU_MAX_REL, GPU_MAX_REL = 1e-4, 1e-2
HTP_MARGIN_DB = 1.0


def export(path, opset):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv3d(3, 8, 3, padding=1)
            self.bn = nn.BatchNorm3d(8)
            self.temporal = nn.Conv3d(8, 8, (3, 1, 1), padding=(1, 0, 0), groups=8)
            self.conv2 = nn.Conv3d(8, 12, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), groups=2, bias=False)
            self.up = nn.ConvTranspose3d(12, 4, 2, stride=2)

        def forward(self, x):
            x = torch.relu(self.bn(self.conv1(x)))
            x = torch.relu(self.temporal(x))
            x = torch.clamp(self.conv2(x), 0.0, 6.0)
            return self.up(x)

    torch.manual_seed(0)
    net = Net().eval()
    with torch.no_grad():  # statistics a trained net would have, not the identity
        net.bn.running_mean.uniform_(-0.5, 0.5)
        net.bn.running_var.uniform_(0.5, 2.0)
        net.bn.weight.uniform_(0.5, 1.5)
        net.bn.bias.uniform_(-0.2, 0.2)
    torch.onnx.export(net, torch.randn(*SHAPE), path, opset_version=opset, input_names=["input"],
                      output_names=["output"])


class Volume:
    def __init__(self, opset, root):
        self.root = root
        self.onnx = os.path.join(root, f"video_net_{opset}.onnx")
        export(self.onnx, opset)
        self.test_list, self.samples = make_inputs(os.path.join(root, "test"), SHAPE, NUM_TEST, seed=1)
        self.calib_list, self.calib_samples = make_inputs(os.path.join(root, "calib"), SHAPE, NUM_CALIB, seed=2)
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        sess = ort.InferenceSession(self.onnx, so, providers=["CPUExecutionProvider"])
        self.refs = [sess.run(None, {"input": s})[0] for s in self.samples]
        self.float_lib, self.float_ops = self.build("float")
        self.quant_lib, _ = self.build("quant", "--input_list", self.calib_list, "--use_per_channel_quantization")

    def build(self, tag, *extra):
        d = os.path.join(self.root, tag)
        os.makedirs(d, exist_ok=True)
        cpp = os.path.join(d, "model.cpp")
        tool("qnn-onnx-converter", "--input_network", self.onnx, "--output_path", cpp, *extra)
        lib = os.path.join(d, "libmodel.so")
        tool("qnn-model-lib-generator", "-c", cpp, "-b", os.path.join(d, "model.bin"), "-o", lib)
        with open(os.path.join(d, "model_net.json")) as f:
            nodes = json.load(f)["graph"]["nodes"].values()
        return lib, [n["type"] for n in nodes]

    def run(self, backend, tag, lib=None, context=None):
        return net_run(self.root, backend, tag, self.test_list, NUM_TEST, lib=lib, context=context)

    def context(self, backend, lib):
        return context_binary(self.root, backend, lib)


@pytest.fixture(scope="module", params=[13, 17])
def volume(request, tmp_path_factory):
    return Volume(request.param, str(tmp_path_factory.mktemp(f"conv3d_opset{request.param}")))


def test_converted_graph_is_conv3d_with_fused_activations(volume):
    # BatchNorm folded (by the exporter or our pass), every ReLU/Clip fused into its conv.
    ops = sorted(volume.float_ops)
    assert ops == ["Conv3d"] * 3 + ["Transpose"] * 2 + ["TransposeConv3d"], ops


@pytest.mark.parametrize("backend,max_rel", [("cpu", CPU_MAX_REL), ("gpu", GPU_MAX_REL)])
def test_float_targets_match_onnxruntime(volume, backend, max_rel):
    ctx, report = volume.context(backend, volume.float_lib)
    if backend == "gpu":  # no 3-D convolutions on the GPU: all four go to the CPU
        assert "Conv3d x3" in report and "TransposeConv3d x1" in report, report
    outs_lib = volume.run(backend, f"{backend}_lib", lib=volume.float_lib)
    outs_ctx = volume.run(backend, f"{backend}_ctx", context=ctx)
    for ref, a, b in zip(volume.refs, outs_lib, outs_ctx):
        e_lib, e_ctx = rel_error(ref, a), rel_error(ref, b)
        print(f"conv3d {backend}: relative error {e_lib:.3g} (model library), {e_ctx:.3g} (context binary)")
        assert e_lib <= max_rel and e_ctx <= max_rel
        assert a.tobytes() == b.tobytes(), "context binary differs from model library"


def test_htp_sqnr_against_onnxruntime_qdq(volume):
    ctx, report = volume.context("htp", volume.quant_lib)
    assert "fallback" not in report, report  # Conv3d and TransposeConv3d run on the HTP
    outs_lib = volume.run("htp", "htp_lib", lib=volume.quant_lib)
    outs_ctx = volume.run("htp", "htp_ctx", context=ctx)
    for a, b in zip(outs_lib, outs_ctx):
        assert a.tobytes() == b.tobytes(), "context binary differs from model library"
    feeds = [{"input": s} for s in volume.samples]
    calib = [{"input": s} for s in volume.calib_samples]
    qdq = ort_qdq_outputs(volume.onnx, calib, feeds, os.path.join(volume.root, "qdq.onnx"), per_channel=True)
    ours = np.mean([sqnr_db(r, a) for r, a in zip(volume.refs, outs_lib)])
    theirs = np.mean([sqnr_db(r, q) for r, q in zip(volume.refs, qdq)])
    print(f"conv3d htp: SQNR {ours:.1f} dB vs fp32 onnxruntime; onnxruntime W8A8 QDQ {theirs:.1f} dB")
    assert ours >= theirs - HTP_MARGIN_DB
