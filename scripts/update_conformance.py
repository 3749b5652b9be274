#!/usr/bin/env python3
"""Regenerates the conformance lists from a run of the ONNX backend node tests.

  scripts/update_conformance.py [--build build] [--filter REGEX] [--backends cpu,gpu,htp,gpu+cpu,htp+cpu]

Runs <build>/bin/oqnn-conformance --update over the node tests of the onnx package this
Python imports (use .venv/bin/python: requirements.txt pins onnx), which rewrites
tests/conformance/expected_failures_<backend>.txt and expected_passes.txt. Entries of tests
or backends that did not run (--filter, --backends, or a gpu skipped for want of an OpenCL
device) are kept as they were. Review the diff before committing it: a new failure is a
regression to fix, not a line to add (docs/conformance.md)."""
import argparse
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def node_tests_dir():
    import onnx

    return os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--filter", help="only the tests whose name this regex matches")
    ap.add_argument("--backends", help="comma-separated subset of cpu,gpu,htp,gpu+cpu,htp+cpu (+cpu: with CPU fallback)")
    args = ap.parse_args()
    runner = os.path.join(args.build, "bin", "oqnn-conformance")
    if not os.path.exists(runner):
        sys.exit(f"{runner} does not exist: build the oqnn-conformance target first")
    cmd = [runner, "--data", node_tests_dir(), "--lists", os.path.join(REPO, "tests", "conformance"),
           "--update"]
    if args.filter:
        cmd += ["--filter", args.filter]
    if args.backends:
        cmd += ["--backends", args.backends]
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
