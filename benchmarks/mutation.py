"""Mutation testing: mutate each correct equation of a post once per operator site and
report the fraction of mutants mathlint refutes at the mutated line.

    .venv/bin/python benchmarks/mutation.py FILE [--derivation auto|none|NAME] [--jobs 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mathlint.dev.mutate import run  # noqa: E402
from mathlint.sources.files import read_source  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--derivation", default="auto")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    from mathlint.app.runner import pick_derivation
    text = read_source(args.file)
    report = run(text, pick_derivation(args.derivation, text), args.jobs)
    report["file"] = args.file
    print(f"{report['file']}: {report['detected']}/{report['mutants']} mutants refuted at their line "
          f"({report['rate']:.1%}) in {report['seconds']} s; by operator {report['by_operator']}")
    for m in report["missed"]:
        print(f"  missed line {m['line']} ({m['kind']}): {m['latex'][:100]}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
