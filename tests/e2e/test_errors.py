"""Every command, on a malformed input file, a missing file, an unsupported op or target,
and a bad flag: the exit code from DESIGN §7 (1 bad input, 2 usage, 3 unsupported), one
error line naming the culprit, and no output files left behind."""
import os
import shutil

import pytest

from e2e_lib import MODELS, files_under, make_inputs, tool

SEED = os.path.join(MODELS, "simple_model.onnx")


def error_lines(p):
    return [l for l in p.stderr.splitlines() if "error" in l.lower() and "hint" not in l.lower()]


def check(p, code, culprit, out_dir):
    assert p.returncode == code, f"exit {p.returncode}, wanted {code}\n{p.stderr}"
    lines = error_lines(p)
    assert len(lines) == 1, f"wanted one error line:\n{p.stderr}"
    assert culprit in lines[0], f"'{culprit}' not named in: {lines[0]}"
    assert files_under(out_dir) == [], f"left behind: {files_under(out_dir)}"


def unsupported_model(path):
    import onnx
    from onnx import TensorProto, helper
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    # Unique: its output shape depends on the data, and it has no static-output form.
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None])
    node = helper.make_node("Unique", ["x"], ["y"], name="my_unique")
    model = helper.make_model(helper.make_graph([node], "g", [x], [y]), opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, path)


@pytest.fixture(scope="module")
def seed_lib(tmp_path_factory):
    d = tmp_path_factory.mktemp("seed")
    cpp = str(d / "m.cpp")
    tool("qnn-onnx-converter", "--input_network", SEED, "--output_path", cpp, "--input_dim", "input", "1,3,224,224")
    tool("qnn-model-lib-generator", "-c", cpp, "-b", str(d / "m.bin"), "-t", "x86_64-linux-clang", "-o", str(d / "m.so"))
    lst, _ = make_inputs(str(d / "in"), [1, 3, 224, 224], 1, seed=0)
    tool("qnn-context-binary-generator", "--model", str(d / "m.so"), "--backend", "cpu", "--output_dir", str(d / "ctx"))
    return {"dir": d, "cpp": cpp, "bin": str(d / "m.bin"), "lib": str(d / "m.so"), "list": lst,
            "ctx": str(d / "ctx" / "cpu_context.bin")}


# ---- qnn-onnx-converter
def test_converter_malformed_model(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x07garbage that is not a protobuf\xff\xff\xff")
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-onnx-converter", "-i", bad, "-o", out / "m.cpp", check=False)
    check(p, 1, "bad.onnx", out)


def test_converter_missing_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-onnx-converter", "-i", tmp_path / "nope.onnx", "-o", out / "m.cpp", check=False)
    check(p, 1, "nope.onnx", out)


def test_converter_unsupported_op(tmp_path):
    model = str(tmp_path / "unique.onnx")
    unsupported_model(model)
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-onnx-converter", "-i", model, "-o", out / "m.cpp", check=False)
    check(p, 3, "my_unique", out)
    assert "Unique" in error_lines(p)[0]


def test_converter_bad_flag(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-onnx-converter", "-i", SEED, "-o", out / "m.cpp", "--no_such_flag", check=False)
    check(p, 2, "--no_such_flag", out)


def test_converter_malformed_overrides(tmp_path):
    cfg = tmp_path / "q.json"
    cfg.write_text('{"param_encodings": {"conv1.weight": {"bitwidth": "eight"}}}')
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-onnx-converter", "-i", SEED, "-o", out / "m.cpp", "--input_dim", "input", "1,3,224,224",
             "--quantization_overrides", cfg, check=False)
    check(p, 1, "q.json", out)


# ---- qnn-model-lib-generator
def test_libgen_malformed_bin(tmp_path, seed_lib):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a tar archive" * 10)
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-model-lib-generator", "-c", seed_lib["cpp"], "-b", bad, "-t", "x86_64-linux-clang",
             "-o", out / "m.so", check=False)
    check(p, 1, "bad.bin", out)


def test_libgen_missing_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-model-lib-generator", "-c", tmp_path / "nope.cpp", "-t", "x86_64-linux-clang",
             "-o", out / "m.so", check=False)
    check(p, 1, "nope.cpp", out)


def test_libgen_unsupported_target(tmp_path, seed_lib):
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-model-lib-generator", "-c", seed_lib["cpp"], "-b", seed_lib["bin"], "-t", "aarch64-android",
             "-o", out, check=False)
    check(p, 3, "aarch64-android", out)


def test_libgen_unsupported_op(tmp_path, seed_lib):
    # A model source naming an op outside the op table (as a hand-edited or newer X.cpp could).
    src = open(seed_lib["cpp"]).read()
    assert 'node.type = "PoolAvg2d";' in src
    cpp = tmp_path / "m.cpp"
    cpp.write_text(src.replace('node.type = "PoolAvg2d";', 'node.type = "NoSuchOp";'))
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-model-lib-generator", "-c", cpp, "-b", seed_lib["bin"], "-t", "x86_64-linux-clang",
             "-o", out / "m.so", check=False)
    check(p, 3, "'NoSuchOp'", out)
    assert "GlobalAveragePool" in error_lines(p)[0]


def test_libgen_bad_flag(tmp_path, seed_lib):
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-model-lib-generator", "-c", seed_lib["cpp"], "-t", "x86_64-linux-clang", "-o", out,
             "--no_such_flag", check=False)
    check(p, 2, "--no_such_flag", out)


# ---- qnn-context-binary-generator
def test_ctxgen_malformed_model_library(tmp_path):
    bad = tmp_path / "bad.so"
    bad.write_bytes(b"\x7fELF but not really" * 4)
    out = tmp_path / "out"
    p = tool("qnn-context-binary-generator", "--model", bad, "--backend", "cpu", "--output_dir", out, check=False)
    assert p.returncode == 1 and "bad.so" in error_lines(p)[0] and len(error_lines(p)) == 1, p.stderr
    assert not out.exists()


def test_ctxgen_missing_file(tmp_path):
    out = tmp_path / "out"
    p = tool("qnn-context-binary-generator", "--model", tmp_path / "nope.so", "--backend", "cpu",
             "--output_dir", out, check=False)
    assert p.returncode == 1 and "nope.so" in error_lines(p)[0] and len(error_lines(p)) == 1
    assert not out.exists()


def test_ctxgen_unsupported_backend(tmp_path, seed_lib):
    out = tmp_path / "out"
    p = tool("qnn-context-binary-generator", "--model", seed_lib["lib"], "--backend", "libQnnDsp.so",
             "--output_dir", out, check=False)
    assert p.returncode == 3 and "libQnnDsp.so" in error_lines(p)[0] and len(error_lines(p)) == 1
    assert not out.exists()


def test_ctxgen_bad_flag(tmp_path, seed_lib):
    out = tmp_path / "out"
    p = tool("qnn-context-binary-generator", "--model", seed_lib["lib"], "--backend", "cpu", "--output_dir", out,
             "--no_such_flag", check=False)
    assert p.returncode == 2 and "--no_such_flag" in error_lines(p)[0] and len(error_lines(p)) == 1
    assert not out.exists()


def test_ctxgen_htp_without_encodings_names_fixes(tmp_path, seed_lib):
    out = tmp_path / "out"
    p = tool("qnn-context-binary-generator", "--model", seed_lib["lib"], "--backend", "htp", "--output_dir", out,
             check=False)
    assert p.returncode == 1, p.stderr
    assert "--input_list" in p.stderr and "--quantization_overrides" in p.stderr
    assert not out.exists()


# ---- qnn-net-run
def test_netrun_malformed_context(tmp_path, seed_lib):
    data = bytearray(open(seed_lib["ctx"], "rb").read())
    data[len(data) // 2] ^= 0xFF
    bad = tmp_path / "bad_context.bin"
    bad.write_bytes(bytes(data))
    out = tmp_path / "out"
    p = tool("qnn-net-run", "--retrieve_context", bad, "--backend", "cpu", "--input_list", seed_lib["list"],
             "--output_dir", out, check=False)
    assert p.returncode == 1 and "bad_context.bin" in error_lines(p)[0] and len(error_lines(p)) == 1, p.stderr
    assert not out.exists()


def test_netrun_malformed_raw(tmp_path, seed_lib):
    raw = tmp_path / "short.raw"
    raw.write_bytes(b"\0" * 100)
    lst = tmp_path / "list.txt"
    lst.write_text(str(raw) + "\n")
    out = tmp_path / "out"
    p = tool("qnn-net-run", "--model", seed_lib["lib"], "--backend", "cpu", "--input_list", lst,
             "--output_dir", out, check=False)
    line = error_lines(p)[0] if error_lines(p) else ""
    assert p.returncode == 1 and "short.raw" in line and "input" in line and len(error_lines(p)) == 1, p.stderr
    assert not out.exists()


def test_netrun_missing_file(tmp_path, seed_lib):
    out = tmp_path / "out"
    p = tool("qnn-net-run", "--retrieve_context", tmp_path / "nope.bin", "--backend", "cpu",
             "--input_list", seed_lib["list"], "--output_dir", out, check=False)
    assert p.returncode == 1 and "nope.bin" in error_lines(p)[0] and len(error_lines(p)) == 1
    assert not out.exists()


def test_netrun_unsupported_backend(tmp_path, seed_lib):
    out = tmp_path / "out"
    p = tool("qnn-net-run", "--model", seed_lib["lib"], "--backend", "libQnnDsp.so", "--input_list",
             seed_lib["list"], "--output_dir", out, check=False)
    assert p.returncode == 3 and "libQnnDsp.so" in error_lines(p)[0] and len(error_lines(p)) == 1
    assert not out.exists()


def test_netrun_bad_flag(tmp_path, seed_lib):
    out = tmp_path / "out"
    p = tool("qnn-net-run", "--model", seed_lib["lib"], "--backend", "cpu", "--input_list", seed_lib["list"],
             "--output_dir", out, "--no_such_flag", check=False)
    assert p.returncode == 2 and "--no_such_flag" in error_lines(p)[0] and len(error_lines(p)) == 1
    assert not out.exists()


def test_netrun_context_backend_mismatch(tmp_path, seed_lib):
    out = tmp_path / "out"
    p = tool("qnn-net-run", "--retrieve_context", seed_lib["ctx"], "--backend", "gpu", "--input_list",
             seed_lib["list"], "--output_dir", out, check=False)
    assert p.returncode == 1 and len(error_lines(p)) == 1
    assert not out.exists()


def test_converter_dry_run_lists_every_gap(tmp_path):
    """--dry_run names every node the converter cannot take, at once: ops outside the op set
    anywhere in the graph, and ops it folds only on constants when they would read a value
    computed at run time — fed by a graph input, or downstream of an earlier gap."""
    import onnx
    from onnx import TensorProto, helper
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    n = helper.make_tensor_value_info("n", TensorProto.INT64, [2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    nodes = [
        helper.make_node("MadeUpOp", ["x"], ["a"], name="gap_one", domain="com.example"),
        helper.make_node("Relu", ["a"], ["b"], name="fine_relu"),
        helper.make_node("ConstantOfShape", ["n"], ["c"], name="fold_on_input"),  # n: run-time
        helper.make_node("Cast", ["b"], ["bi"], name="to_int", to=TensorProto.INT64),
        helper.make_node("Range", ["bi", "bi", "bi"], ["r"], name="fold_downstream"),
        helper.make_node("AnotherMadeUpOp", ["b"], ["d"], name="gap_two", domain="com.example"),
        helper.make_node("Add", ["d", "c"], ["e"], name="add"),
        helper.make_node("Sub", ["e", "r"], ["y"], name="sub"),
    ]
    graph = helper.make_graph(nodes, "g", [x, n], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
    path = str(tmp_path / "gaps.onnx")
    onnx.save(model, path)
    out = tmp_path / "out"
    out.mkdir()
    p = tool("qnn-onnx-converter", "-i", path, "-o", out / "m.cpp", "--dry_run", check=False)
    assert p.returncode == 3, p.stderr
    text = p.stdout + p.stderr
    for name in ("gap_one", "gap_two", "fold_on_input", "fold_downstream"):
        assert name in text, f"{name} not listed:\n{text}"
    for name in ("fine_relu", "to_int", "'add'", "'sub'"):
        assert name not in text, f"{name} listed although supported:\n{text}"
    assert files_under(out) == []
