#!/usr/bin/env python3
"""Makes the seed corpus of every fuzz target from real files, with this build's tools.

  make_corpus.py --bin <build>/bin --out <build>/tests/fuzz/corpus

Two tiny ONNX models (small enough that the plan fuzzers execute their plans) and the
bundled examples/simple_model go through the real pipeline: qnn-onnx-converter (quantized
from calibration inputs, encodings dumped), qnn-model-lib-generator, then
qnn-context-binary-generator for cpu and htp and qnn-net-run with detailed profiling.
Seeds are the files that come out (the ONNX models, X.bin archives, encodings, context
binaries, their plan sections, input lists, profiling logs) plus a few short texts here.
The GPU plan needs an OpenCL device to generate, so its seeds wrap a CPU plan's graph in
the GPU plan header (plan_format.h). Also creates <out>/../work/<target>, the folder each
fuzz test writes the inputs it finds into. Needs numpy and onnx."""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

TARGETS = ["fuzz_onnx_import", "fuzz_overrides", "fuzz_backend_config", "fuzz_input_list_raw",
           "fuzz_ustar", "fuzz_context_binary", "fuzz_plan_cpu", "fuzz_plan_htp", "fuzz_plan_gpu",
           "fuzz_profile_log"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def tiny_cnn(rng):
    """Conv, BatchNorm, Relu, MaxPool, depthwise Conv, Clip, Pad, AveragePool, Gemm, Softmax."""
    w = lambda *s: rng.standard_normal(s).astype(np.float32) * 0.5
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "g", "be", "mu", "var"], ["bn"]),
        helper.make_node("Relu", ["bn"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], group=4, pads=[1, 1, 1, 1]),
        helper.make_node("Clip", ["c2", "lo", "hi"], ["k"]),
        helper.make_node("Pad", ["k", "pads"], ["pd"]),
        helper.make_node("AveragePool", ["pd"], ["ap"], kernel_shape=[3, 3]),
        helper.make_node("GlobalAveragePool", ["ap"], ["gp"]),
        helper.make_node("Flatten", ["gp"], ["f"]),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["g3"], transB=1),
        helper.make_node("Softmax", ["g3"], ["y"], axis=1),
    ]
    inits = [const("w1", w(4, 3, 3, 3)), const("b1", w(4)), const("g", np.ones(4)),
             const("be", w(4)), const("mu", w(4)), const("var", np.ones(4) * 2),
             const("w2", w(4, 1, 3, 3)), const("lo", 0.0), const("hi", 6.0),
             numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads"),
             const("w3", w(3, 4)), const("b3", w(3))]
    graph = helper.make_graph(
        nodes, "tiny_cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), {"x": [1, 3, 8, 8]}


def tiny_mix(rng):
    """Two inputs; elementwise ops, a Shape-Gather-Concat-Reshape chain folded at import,
    Transpose, MatMul, LeakyRelu, HardSwish, PRelu, ReduceMean."""
    nodes = [
        helper.make_node("Add", ["a", "b"], ["s"]),
        helper.make_node("Mul", ["s", "half"], ["m"]),
        helper.make_node("Sigmoid", ["m"], ["sg"]),
        helper.make_node("Concat", ["sg", "b"], ["cat"], axis=1),
        helper.make_node("Shape", ["cat"], ["shp"]),
        helper.make_node("Gather", ["shp", "zero"], ["n0"], axis=0),
        helper.make_node("Unsqueeze", ["n0", "axes0"], ["n0u"]),
        helper.make_node("Concat", ["n0u", "rest"], ["newshape"], axis=0),
        helper.make_node("Reshape", ["cat", "newshape"], ["r"]),
        helper.make_node("Transpose", ["r"], ["t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["t", "wm"], ["mm"]),
        helper.make_node("LeakyRelu", ["mm"], ["lr"], alpha=0.1),
        helper.make_node("HardSwish", ["lr"], ["hs"]),
        helper.make_node("PRelu", ["hs", "slope"], ["pr"]),
        helper.make_node("Sub", ["pr", "half"], ["sb"]),
        helper.make_node("ReduceMean", ["sb"], ["y"], axes=[2], keepdims=1),
    ]
    inits = [const("half", 0.5), numpy_helper.from_array(np.array(0, np.int64), "zero"),
             numpy_helper.from_array(np.array([0], np.int64), "axes0"),
             numpy_helper.from_array(np.array([3, 4], np.int64), "rest"),
             const("wm", rng.standard_normal((3, 2))), const("slope", [0.25, 0.5])]
    graph = helper.make_graph(
        nodes, "tiny_mix",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [1, 6]),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, [1, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 1])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), {"a": [1, 6], "b": [1, 6]}


def op_zoo():
    """One small model per op family the importer translates or folds, with the attributes
    that steer it, so that the ONNX fuzzer starts from every translator."""
    f = TensorProto.FLOAT
    i64 = lambda name, v: numpy_helper.from_array(np.array(v, np.int64), name)
    x4 = [("x", [1, 4, 6, 6])]
    cases = [  # name, op, inputs [(name, shape)], attributes, initializers, opset
        ("conv_group", "Conv", x4 + [("w", [4, 2, 3, 3])],
         dict(group=2, dilations=[2, 1], auto_pad="SAME_UPPER", strides=[1, 2]), [], 13),
        ("maxpool_ceil", "MaxPool", x4, dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1), [], 13),
        ("avgpool_pad", "AveragePool", x4,
         dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1), [], 11),
        ("globalmax", "GlobalMaxPool", x4, {}, [], 13),
        ("hardsigmoid", "HardSigmoid", x4, dict(alpha=0.3, beta=0.4), [], 13),
        ("clip_attr", "Clip", x4, dict(min=-1.0, max=1.0), [], 9),
        ("softmax_axis", "Softmax", x4, dict(axis=1), [], 11),
        ("div_broadcast", "Div", x4 + [("y", [4, 1, 1])], {}, [], 13),
        ("matmul_3d", "MatMul", [("x", [2, 3, 4]), ("y", [4, 5])], {}, [], 13),
        ("gemm_trans", "Gemm", [("x", [4, 3]), ("y", [5, 4])],
         dict(transA=1, transB=1, alpha=0.5, beta=2.0), [], 13),
        ("reshape_infer", "Reshape", x4 + [("s", None)], {}, [i64("s", [0, -1, 6])], 13),
        ("squeeze_attr", "Squeeze", [("x", [1, 4, 1, 6])], dict(axes=[0, 2]), [], 11),
        ("unsqueeze_input", "Unsqueeze", [("x", [4, 6]), ("a", None)], {}, [i64("a", [0, 3])], 13),
        ("transpose", "Transpose", x4, dict(perm=[0, 2, 3, 1]), [], 13),
        ("pad_reflect", "Pad", x4 + [("p", None)], dict(mode="reflect"),
         [i64("p", [0, 0, 1, 2, 0, 0, 2, 1])], 13),
        ("reducemean", "ReduceMean", x4, dict(axes=[2, 3], keepdims=0), [], 13),
        ("cast", "Cast", x4, dict(to=int(f)), [], 13),
        ("slice_folded", "Slice", [("y", [1, 4, 6, 6]), ("st", None), ("en", None), ("ax", None)], {},
         [i64("st", [1]), i64("en", [-1]), i64("ax", [3])], 13),
        ("constant_of_shape", "ConstantOfShape", [("s", None)],
         dict(value=helper.make_tensor("v", f, [1], [0.5])), [i64("s", [2, 3])], 13),
        ("sym_batch", "Relu", [("x", ["batch", 4, 6, 6])], {}, [], 13),
    ]
    models = []
    for name, op, inputs, attrs, inits, opset in cases:
        init_names = {t.name for t in inits}
        graph_inputs = [helper.make_tensor_value_info(n, f, shape) for n, shape in inputs
                        if n not in init_names and n not in ("y", "w")]
        inits = inits + [const(n, np.full(shape, 0.5)) for n, shape in inputs if n in ("y", "w")]
        node = helper.make_node(op, [n for n, _ in inputs], ["out"], **attrs)
        graph = helper.make_graph([node], name, graph_inputs,
                                  [helper.make_tensor_value_info("out", f, None)], inits)
        models.append((name, helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])))
    return models


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit(f"make_corpus: {' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}")


def write_inputs(work, name, inputs, rng, count=2):
    """float32 .raw files and an input list (name:=path entries) for `inputs`."""
    lines = []
    for i in range(count):
        entries = []
        for inp, shape in inputs.items():
            path = f"{name}_{inp}_{i}.raw"
            rng.standard_normal(shape).astype(np.float32).tofile(os.path.join(work, path))
            entries.append(f"{inp}:={path}")
        lines.append(" ".join(entries))
    list_path = os.path.join(work, f"{name}_inputs.txt")
    with open(list_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return list_path


def pipeline(tools, work, name, onnx_path, list_path, convert_flags):
    """Converter, library, cpu/htp context binaries, and a detailed-profiling run."""
    conv = [tools["qnn-onnx-converter"], "-i", onnx_path, "-o", f"{name}.cpp", "--dump_encodings"]
    run(conv + convert_flags, work)
    run([tools["qnn-model-lib-generator"], "-c", f"{name}.cpp", "-b", f"{name}.bin",
         "-o", f"lib{name}.so", "--target_backends", "cpu,htp"], work)
    for backend in ("cpu", "htp"):
        run([tools["qnn-context-binary-generator"], "--model", f"lib{name}.so", "--backend",
             backend, "--output_dir", ".", "--binary_file", f"{name}_{backend}",
             "--input_list", list_path, "--profiling_level", "basic"], work)
        os.replace(os.path.join(work, "qnn-profiling-data_0.log"),
                   os.path.join(work, f"{name}_{backend}_generator.log"))
    run([tools["qnn-net-run"], "--retrieve_context", f"{name}_cpu.bin", "--backend", "cpu",
         "--input_list", list_path, "--output_dir", f"{name}_out", "--profiling_level",
         "detailed"], work)


def context_sections(blob):
    """(kind, bytes) of each section of a context binary (runtime/context_binary.h)."""
    pos = 8 + 4 + 4 + 8 + 4
    (count,) = struct.unpack_from("<I", blob, pos)
    pos += 4
    for _ in range(3):
        (n,) = struct.unpack_from("<I", blob, pos)
        pos += 4 + n
    sections = []
    for _ in range(count):
        kind, _, off, size, n = struct.unpack_from("<IIQQI", blob, pos)
        pos += 28 + n
        sections.append((kind, blob[off:off + size]))
    return sections


def gpu_plan(graph, fp16):
    """A GPU plan (backends/gpu/plan_format.h) around a serialized graph, with empty program
    binaries (the loader then builds from source) and a zero checksum (the fuzz target
    patches it)."""
    s = lambda t: struct.pack("<I", len(t)) + t.encode()
    out = b"OQNNGPU\0" + struct.pack("<II", 2, (1 if fp16 else 0) | 2) + s("default") + s("fuzz")
    out += struct.pack("<QQ", 0, 0) * (2 if fp16 else 1)
    off = (len(out) + 16 + 63) // 64 * 64
    out += struct.pack("<QQ", off, len(graph))
    out += b"\0" * (off - len(out)) + graph
    return out + b"\0" * 8


def legacy_form(v1):
    """AIMET's legacy list form of the same encodings as an AIMET 1.0.0 file."""
    def entries(items):
        out = {}
        for e in items:
            if e.get("dtype") == "FLOAT":
                out[e["name"]] = [{"bitwidth": e["bw"], "dtype": "float"}]
                continue
            out[e["name"]] = [
                {"bitwidth": e["bw"], "scale": s, "offset": o, "min": s * o,
                 "max": s * (o + (1 << e["bw"]) - 1), "is_symmetric": str(e["is_sym"]),
                 "dtype": "int"} for s, o in zip(e["scale"], e["offset"])]
        return out
    return {"version": "0.6.1", "activation_encodings": entries(v1["activation_encodings"]),
            "param_encodings": entries(v1["param_encodings"])}


TEXT_SEEDS = {
    "fuzz_overrides": [
        '{"version": "1.0.0", "param_encodings": [{"name": "w", "enc_type": "PER_BLOCK", "bw": 4,'
        ' "scale": [1], "offset": [0], "block_size": 32}], "activation_encodings": []}',
        '{"activation_encodings": {"y": {"bitwidth": 16, "min": -1.5, "max": 2.5}},'
        ' "param_encodings": {}, "activation_bitwidth": 16, "param_bitwidth": 8}'],
    "fuzz_backend_config": [
        '{"backend_extensions": {"shared_library_path": "libQnnHtpNetRunExtensions.so",'
        ' "config_file_path": "htp_ext.json"}, "htp_config": {"hvx_threads": 2}}',
        '{"graphs": [{"graph_names": ["m"], "vtcm_mb": 8, "O": 3}],'
        ' "devices": [{"cores": [{"perf_profile": "burst"}]}]}',
        '{"gpu_config": {"precision_mode": "fp32", "enable_transform_optimization": false}}'],
    "fuzz_input_list_raw": [
        "#y\n%y\na.raw b.raw\n\nc.raw d.raw\n\x00\x00\x00\x00\x00\x00\x80?\x03\x01\x02\x04",
        "input:=in.raw\n" + "\x00" * 16 + "\x02\x01\x01\x06\x00"],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="folder of the built tools")
    ap.add_argument("--out", required=True, help="corpus folder (one subfolder per target)")
    args = ap.parse_args()
    tools = {t: os.path.join(os.path.abspath(args.bin), t) for t in
             ("qnn-onnx-converter", "qnn-model-lib-generator", "qnn-context-binary-generator",
              "qnn-net-run")}
    out = os.path.abspath(args.out)
    work = os.path.join(out, "_pipeline")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(work)
    for t in TARGETS:
        os.makedirs(os.path.join(out, t))
        os.makedirs(os.path.join(os.path.dirname(out), "work", t), exist_ok=True)
    seeds = {t: [] for t in TARGETS}  # (file name, bytes)
    read = lambda p: open(os.path.join(work, p), "rb").read()

    rng = np.random.default_rng(7)
    models = [("tiny_cnn",) + tiny_cnn(rng), ("tiny_mix",) + tiny_mix(rng)]
    example = os.path.join(REPO, "examples", "simple_model")
    for name, model, inputs in models:
        onnx.save(model, os.path.join(work, f"{name}.onnx"))
        list_path = write_inputs(work, name, inputs, rng)
        pipeline(tools, work, name, f"{name}.onnx", list_path, ["--input_list", list_path])
    shutil.copy(os.path.join(example, "simple_model.onnx"), work)
    shutil.copy(os.path.join(example, "quantization_config.json"), work)
    list_path = write_inputs(work, "simple_model", {"input": [1, 3, 224, 224]}, rng, count=1)
    pipeline(tools, work, "simple_model", "simple_model.onnx", list_path,
             ["--input_dim", "input", "1,3,224,224", "--quantization_overrides",
              "quantization_config.json"])

    for name in [m[0] for m in models] + ["simple_model"]:
        seeds["fuzz_onnx_import"].append((f"{name}.onnx", read(f"{name}.onnx")))
        seeds["fuzz_ustar"].append((f"{name}.bin", read(f"{name}.bin")))
        v1 = json.loads(read(f"{name}_encodings.json"))
        seeds["fuzz_overrides"].append((f"{name}_v1.json", read(f"{name}_encodings.json")))
        seeds["fuzz_overrides"].append(
            (f"{name}_legacy.json", json.dumps(legacy_form(v1), indent=1).encode()))
        inputs = read(f"{name}_inputs.txt")
        first_raw = inputs.split()[0].split(b":=")[-1].decode()
        seeds["fuzz_input_list_raw"].append(
            (f"{name}_list", inputs + read(first_raw)[:64] + b"\x00\x03\x02\x01\x04"))
        for backend in ("cpu", "htp"):
            blob = read(f"{name}_{backend}.bin")
            seeds["fuzz_context_binary"].append((f"{name}_{backend}.bin", blob))
            plans = [b for kind, b in context_sections(blob) if kind == 2]
            seeds[f"fuzz_plan_{backend}"].append((f"{name}_{backend}.plan", plans[0]))
            if backend == "cpu":
                seeds["fuzz_plan_gpu"].append((f"{name}_fp16.plan", gpu_plan(plans[0], True)))
                seeds["fuzz_plan_gpu"].append((f"{name}_fp32.plan", gpu_plan(plans[0], False)))
            seeds["fuzz_profile_log"].append(
                (f"{name}_{backend}_generator.log", read(f"{name}_{backend}_generator.log")))
        seeds["fuzz_profile_log"].append(
            (f"{name}_net_run.log", read(f"{name}_out/qnn-profiling-data_0.log")))
    for name, model in op_zoo():
        seeds["fuzz_onnx_import"].append((f"op_{name}.onnx", model.SerializeToString()))
    seeds["fuzz_overrides"].append(
        ("seed_dict.json", open(os.path.join(example, "quantization_config.json"), "rb").read()))
    seeds["fuzz_backend_config"].append(
        ("example.json", open(os.path.join(example, "backend_config.json"), "rb").read()))
    # A pax archive as Python's tarfile writes it: a member name over ustar's 100 bytes.
    pax = os.path.join(work, "pax.tar")
    with tarfile.open(pax, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(os.path.join(work, "tiny_mix_a_0.raw"), arcname="w" * 120 + ".raw")
    seeds["fuzz_ustar"].append(("pax.tar", read("pax.tar")))
    for target, texts in TEXT_SEEDS.items():
        for i, text in enumerate(texts):
            seeds[target].append((f"text_{i}", text.encode("latin-1")))

    for target, files in seeds.items():
        for file_name, data in files:
            with open(os.path.join(out, target, file_name), "wb") as f:
                f.write(data)
    shutil.rmtree(work)
    print("make_corpus: " + ", ".join(f"{t} {len(seeds[t])}" for t in TARGETS))


if __name__ == "__main__":
    main()
