"""Time the reading layer on a post: import, extract, parse (median of several runs).

    .venv/bin/python benchmarks/parse_speed.py [FILE] [--runs N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "posts" / "softmax-post.md"
if not DEFAULT.exists():
    DEFAULT = ROOT / "examples" / "softmax.md"

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from mathlint.latex.reader import read_text
from mathlint.sources.markdown import extract
from mathlint.latex.parse import _converter, parse_side
from mathlint.sources.files import read_source
_converter()
t1 = time.perf_counter()
text = read_source(sys.argv[1])
spans = extract(text)
t2 = time.perf_counter()
blocks = read_text(text)
t3 = time.perf_counter()
parse_side.cache_clear()
read_text(text)
t4 = time.perf_counter()
sides = sum(len(st.sides) for b in blocks for st in b.all_statements())
print(json.dumps({"import": t1 - t0, "extract": t2 - t1, "parse_first": t3 - t2,
                  "parse_again_uncached": t4 - t3, "spans": len(spans), "sides": sides}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    runs = []
    for _ in range(args.runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _CHILD, args.file], capture_output=True,
                             text=True, check=True, cwd=ROOT).stdout
        rec = json.loads(out)
        rec["process"] = time.perf_counter() - t
        runs.append(rec)
    keys = ["process", "import", "extract", "parse_first", "parse_again_uncached"]
    med = {k: statistics.median(r[k] for r in runs) for k in keys}
    sides = runs[0]["sides"]
    print(f"{args.file}: {runs[0]['spans']} spans, {sides} sides, median of {args.runs} cold processes")
    for k in keys:
        print(f"  {k:22s} {med[k] * 1000:8.1f} ms")
    print(f"  per side (warm parser)   {med['parse_again_uncached'] / sides * 1000:8.1f} ms")
    if args.json:
        Path(args.json).write_text(json.dumps({"file": args.file, "runs": runs, "median": med}, indent=2))


if __name__ == "__main__":
    main()
