#!/usr/bin/env python3
"""Exports the end-to-end test models to ONNX: torchvision ResNet-18, ResNet-50,
MobileNetV2 and SqueezeNet 1.1 (opset 13, random weights from a fixed seed, exported
offline with Debian's torch), plus the course page's SimpleModel (opset 11, dynamic
batch). Skips files that already exist. Usage: export_models.py OUT_DIR

Random weights alone leave BatchNorm's running statistics at mean 0 / variance 1. That is
fine for the ResNets and SqueezeNet, but in MobileNetV2 the activations then shrink layer
by layer to ~1e-8 at the output: below fp16's range and below QNN's minimum quantization
range (1e-4), so no fp16 or 8-bit target could represent them, unlike a trained network.
For MobileNetV2 only, the BatchNorm statistics are therefore estimated from random batches
before export (weights stay random), giving unit-scale activations."""
BN_ESTIMATED = {"mobilenet_v2"}
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TORCHVISION_MODELS = ["resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1"]


def export_torchvision(name, path):
    import torch
    import torchvision

    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    if name in BN_ESTIMATED:
        sys.path.insert(0, HERE)
        from zoo_models import estimate_batchnorm_statistics
        estimate_batchnorm_statistics(model, [("input", [1, 3, 224, 224], "float32")])
    model.eval()
    x = torch.randn(1, 3, 224, 224)
    tmp = path + ".tmp"
    torch.onnx.export(model, x, tmp, opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=True)
    os.replace(tmp, path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seed = os.path.join(out, "simple_model.onnx")
    if not os.path.exists(seed):
        shutil.copyfile(os.path.join(REPO, "examples", "simple_model", "simple_model.onnx"), seed)
    for name in TORCHVISION_MODELS:
        path = os.path.join(out, name + ".onnx")
        if not os.path.exists(path):
            export_torchvision(name, path)
        print(path)


if __name__ == "__main__":
    main()
