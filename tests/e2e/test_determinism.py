"""Converting the same model twice gives byte-identical .cpp, .bin and _net.json, with
and without quantization; building the library twice gives the same bytes too."""
import filecmp
import os

import pytest

from e2e_lib import MODELS, make_inputs, tool


@pytest.mark.parametrize("model", ["simple_model", "mobilenet_v2"])
def test_conversion_is_byte_identical(model, tmp_path):
    onnx_path = os.path.join(MODELS, model + ".onnx")
    calib, _ = make_inputs(str(tmp_path / "calib"), [1, 3, 224, 224], 2, seed=3)
    for run in ("a", "b"):
        d = tmp_path / run
        d.mkdir()
        # Same relative paths in both runs: the command line is part of the .cpp header.
        tool("qnn-onnx-converter", "--input_network", onnx_path, "--output_path", "m.cpp",
             "--input_dim", "input", "1,3,224,224", "--input_list", calib, "--dump_encodings", cwd=str(d))
        tool("qnn-model-lib-generator", "-c", "m.cpp", "-b", "m.bin", "-t", "x86_64-linux-clang",
             "-o", "m.so", cwd=str(d))
    for f in ("m.cpp", "m.bin", "m_net.json", "m_encodings.json", "m.so"):
        assert filecmp.cmp(tmp_path / "a" / f, tmp_path / "b" / f, shallow=False), f
