#!/usr/bin/env python3
"""Keeps the generated parts of docs/ true to the code.

  scripts/update_docs.py [--build build] [--check]

Rewrites every block between `<!-- help: TOOL -->` and `<!-- /help -->` in docs/commands/*.md
with `TOOL --help`, and docs/support-matrix.md with `oqnn-support-matrix`. With --check it
changes nothing and exits 1 when a page is stale (a ctest runs it)."""
import argparse
import glob
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLOCK = re.compile(r"(<!-- help: (\S+) -->\n)(.*?)(<!-- /help -->)", re.S)
CONF = re.compile(r"(<!-- conformance-results -->\n)(.*?)(<!-- /conformance-results -->)", re.S)


def conformance_block(bindir):
    """A conformance run on every backend, summarized (scripts/conformance_summary.py)."""
    import tempfile

    import onnx
    data = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.tsv")
        subprocess.run([os.path.join(bindir, "oqnn-conformance"), "--data", data, "--lists",
                        os.path.join(REPO, "tests", "conformance"), "--backends", "cpu,gpu,htp,gpu+cpu,htp+cpu",
                        "--report", report], check=False, capture_output=True)
        return subprocess.run([sys.executable, os.path.join(REPO, "scripts", "conformance_summary.py"), report],
                              check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    bindir = os.path.join(args.build, "bin")

    def output(tool, *a):
        return subprocess.run([os.path.join(bindir, tool), *a], check=True, capture_output=True, text=True).stdout

    pages = {}
    for path in sorted(glob.glob(os.path.join(REPO, "docs", "commands", "*.md"))):
        text = open(path).read()
        new = BLOCK.sub(lambda m: m.group(1) + "```\n" + output(m.group(2), "--help") + "```\n" + m.group(4), text)
        pages[path] = (text, new)
    conf = os.path.join(REPO, "docs", "conformance.md")
    if os.path.exists(conf):
        text = pages.get(conf, (None, open(conf).read()))[1]
        pages[conf] = (open(conf).read(), CONF.sub(lambda m: m.group(1) + conformance_block(bindir) + m.group(3), text))
    matrix = os.path.join(REPO, "docs", "support-matrix.md")
    pages[matrix] = (open(matrix).read() if os.path.exists(matrix) else "", output("oqnn-support-matrix"))
    stale = [p for p, (old, new) in pages.items() if old != new]
    if args.check:
        for p in stale:
            print(f"{os.path.relpath(p, REPO)} is stale: run scripts/update_docs.py")
        return 1 if stale else 0
    for p in stale:
        with open(p, "w") as f:
            f.write(pages[p][1])
        print(f"updated {os.path.relpath(p, REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
