"""Time ``mathlint check`` on a post: cold processes split by stage, and cached re-checks.

    .venv/bin/python benchmarks/post.py [FILE] [--runs 5] [--no-fix] [--json build/bench-post.json]

Cold: a new process with no cache, stages timed inside it (import, extract, parse,
check, report) and the whole command timed from outside. Cached: the same command
again with a warm ``--cache-dir``. Figures are medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "posts" / "softmax-post.md"
if not DEFAULT.exists():
    DEFAULT = ROOT / "examples" / "softmax.md"
MATHLINT = Path(sys.executable).parent / "mathlint"

_STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
from mathlint.report.text import render_text
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.sources.markdown import extract
from mathlint.latex.reader import read_text
from mathlint.app.runner import fewer_collections, pick_derivation
from mathlint.sources.files import read_source
fewer_collections()                                  # as ``mathlint check`` does
t1 = time.perf_counter()
text = read_source(sys.argv[1])
extract(text)
t2 = time.perf_counter()
read_text(text)                                  # parse (kept in parse_side's memo)
derivation = pick_derivation("auto", text)
t3 = time.perf_counter()
result = check_text(text, CheckOptions(suggest=sys.argv[2] == "fix"), derivation=derivation)
t4 = time.perf_counter()
render_text(sys.argv[1], result, 0)
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "extract": t2 - t1, "parse": t3 - t2, "check": t4 - t3, "report": t5 - t4}))
"""


def _timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)
    if res.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()}")
    return time.perf_counter() - t, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-fix", action="store_true", help="time the check without the fix search")
    ap.add_argument("--json", default=str(ROOT / "build" / "bench-post.json"))
    args = ap.parse_args()
    fix = [] if not args.no_fix else ["--no-fix"]
    stages, cold, cached = [], [], []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", _STAGES, args.file, "nofix" if args.no_fix else "fix"],
                             capture_output=True, text=True, check=True, cwd=ROOT, timeout=900).stdout
        stages.append(json.loads(out.splitlines()[-1]))
        cold.append(_timed([str(MATHLINT), "check", args.file, "-q", "--no-cache", *fix])[0])
    cache = Path(tempfile.mkdtemp(prefix="mathlint-bench-"))
    try:
        _timed([str(MATHLINT), "check", args.file, "-q", "--cache-dir", str(cache), *fix])
        for _ in range(args.runs):
            cached.append(_timed([str(MATHLINT), "check", args.file, "-q", "--cache-dir", str(cache), *fix])[0])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    med = {k: statistics.median(s[k] for s in stages) for k in stages[0]}
    figures = {"file": args.file, "runs": args.runs, "fix_search": not args.no_fix,
               "cold_process_median_s": statistics.median(cold), "cached_recheck_median_s": statistics.median(cached),
               "stages_median_s": med, "cold_s": cold, "cached_s": cached, "stages": stages}
    print(f"{args.file}: median of {args.runs} runs ({'with' if not args.no_fix else 'without'} the fix search)")
    print(f"  cold process (no cache)  {figures['cold_process_median_s']:8.2f} s")
    print(f"  cached re-check          {figures['cached_recheck_median_s']:8.2f} s")
    for k, v in med.items():
        print(f"    {k:22s} {v:8.2f} s")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(figures, indent=2))
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
