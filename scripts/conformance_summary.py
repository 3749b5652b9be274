#!/usr/bin/env python3
"""Writes the "Current results" part of docs/conformance.md from a conformance run: the
pass counts per backend, every failing test with its reason, and why the rest are not run,
grouped (a reason for every test that does not pass).

  scripts/conformance_summary.py REPORT.tsv      (from oqnn-conformance --report)

scripts/update_docs.py runs the conformance runner and this script, and writes the output
between the <!-- conformance-results --> markers of docs/conformance.md."""
import collections
import re
import sys

BACKENDS = ["cpu", "gpu", "htp", "gpu+cpu", "htp+cpu"]
# gpu+cpu and htp+cpu: the same backends with CPU fallback, as the commands run by default.
LABELS = {"gpu+cpu": "gpu+cpu (with cpu fallback)", "htp+cpu": "htp+cpu (with cpu fallback)"}

# (group, regex on the message), first match wins; the group names say why.
GROUPS = [
    ("the op is not in our op set ([support matrix](support-matrix.md))", r"\): op is not supported$"),
    ("the op is in the op set, but this backend has no kernel for it (it runs through CPU fallback "
     "in the commands; conformance counts native runs only)", r"not supported by the (gpu|HTP|htp) backend"),
    ("an op we fold only on constants, fed at run time", r"supported only on constant inputs"),
    ("integer or bool tensors of a type the backend does not run there (on htp: integer dtypes "
     "other than int32, or an op without that dtype's row; CPU fallback in the commands)",
     r"must be a float32 activation|without a quantization encoding|only float32|kernel on the HTP"),
    ("input element type we do not take (float16, bfloat16, float8, int4, uint32/64, string, ...)",
     r"element type .* is not supported"),
    ("a Cast to a type we do not run (float16, bfloat16, float8, int4, string)", r"a cast of a run-time tensor"),
    ("sequence, optional or map inputs", r"only tensor inputs"),
    ("opset outside the supported range", r"opset \d+ of the default ONNX domain"),
    ("ops of another domain (ai.onnx.ml, ai.onnx.preview.training, ...)", r"domain '.*' is not supported"),
    ("a parameter still computed at run time after freezing", r"computed at run time; only a constant"),
    ("an empty input tensor", r"empty tensor"),
]
OTHER = "attributes or forms we refuse (dilations, antialias, storage order, 3-D, ...)"


def group_of(message):
    for name, rx in GROUPS:
        if re.search(rx, message):
            return name
    return OTHER


def main():
    rows = []
    with open(sys.argv[1]) as f:
        next(f)
        for line in f:
            test, backend, result, _score, message = line.rstrip("\n").split("\t", 4)
            rows.append((test, backend, result, message))
    total = len({r[0] for r in rows})
    counts = {b: collections.Counter(r[2] for r in rows if r[1] == b) for b in BACKENDS}
    out = ["| backend | pass | fail | error | unsupported | pass / total |", "|---|---|---|---|---|---|"]
    for b in BACKENDS:
        c = counts[b]
        if not sum(c.values()):
            continue
        out.append(f"| {LABELS.get(b, b)} | {c['pass']} | {c['fail']} | {c['error']} | {c['unsupported']} | "
                   f"{c['pass']}/{total} ({100.0 * c['pass'] / total:.1f}%) |")
    out += ["", "Tests that run and fail (each a known limit, see above; an unlisted failure fails the "
            "ctest; a test failing natively on gpu or htp fails with fallback too and is listed once):", ""]
    # A fallback run's failure is listed when its native run did not already fail so.
    failing = {(r[0], r[1]) for r in rows if r[2] in ("fail", "error")}
    fails = [r for r in rows if r[2] in ("fail", "error")
             and not (r[1].endswith("+cpu") and (r[0], r[1][:-4]) in failing)]
    for test, backend, result, message in sorted(fails):
        out.append(f"- `{test}` on {backend} ({result}): {message}")
    if not fails:
        out.append("- none")
    out += ["", "Why the others do not run, by backend (tests):", "",
            "| reason | " + " | ".join(LABELS.get(b, b) for b in BACKENDS) + " |", "|---|" + "---|" * len(BACKENDS)]
    by_group = collections.defaultdict(collections.Counter)
    missing_ops = collections.Counter()
    for test, backend, result, message in rows:
        if result != "unsupported":
            continue
        g = group_of(message)
        by_group[g][backend] += 1
        m = re.search(r"\((\w+), opset \d+\): op is not supported$", message)
        if m and backend == "cpu":
            missing_ops[m.group(1)] += 1
    for g in [n for n, _ in GROUPS] + [OTHER]:
        if g in by_group:
            out.append(f"| {g} | " + " | ".join(str(by_group[g][b]) for b in BACKENDS) + " |")
    out += ["", "Ops outside the op set, by the number of cpu tests they hold back: " +
            ", ".join(f"{op} {n}" for op, n in missing_ops.most_common()) + "."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
