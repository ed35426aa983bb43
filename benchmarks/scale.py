"""How the cost grows with work: 1, 10, 100 copies of a post in a folder, ``--jobs 1`` and ``--jobs 2``.

    .venv/bin/python benchmarks/scale.py [FILE] [--copies 1 10 100] [--fix] [--json build/bench-scale.json]

Each run is a cold ``mathlint check FOLDER --no-cache`` (without the fix search unless
``--fix``); the speed-up is time(jobs 1) / time(jobs 2).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MATHLINT = Path(sys.executable).parent / "mathlint"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "examples" / "softmax.md"))
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--fix", action="store_true", help="include the fix search")
    ap.add_argument("--json", default=str(ROOT / "build" / "bench-scale.json"))
    args = ap.parse_args()
    text = Path(args.file).read_text(encoding="utf-8")
    rows = []
    for n in args.copies:
        folder = Path(tempfile.mkdtemp(prefix=f"mathlint-scale-{n}-"))
        try:
            for k in range(n):
                (folder / f"post{k:03d}.md").write_text(text, encoding="utf-8")
            row = {"copies": n}
            for jobs in args.jobs:
                cmd = [str(MATHLINT), "check", str(folder), "-q", "--no-cache", "--jobs", str(jobs)]
                t = time.perf_counter()
                res = subprocess.run(cmd + ([] if args.fix else ["--no-fix"]), capture_output=True, text=True)
                row[f"jobs{jobs}_s"] = time.perf_counter() - t
                if res.returncode not in (0, 1):
                    raise SystemExit(f"failed: {res.stderr}")
            if len(args.jobs) >= 2:
                row["speedup"] = row[f"jobs{args.jobs[0]}_s"] / row[f"jobs{args.jobs[1]}_s"]
            rows.append(row)
            print("  ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()),
                  flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"file": args.file, "fix_search": args.fix, "rows": rows}, indent=2))
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
