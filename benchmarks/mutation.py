"""Mutation testing: mutate each correct equation of a post once per operator site and
report the fraction of mutants mathlint refutes at the mutated line.

    .venv/bin/python benchmarks/mutation.py FILE [--derivation auto|none|NAME] [--jobs 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.engine import CheckOptions, check_text  # noqa: E402
from checks.mutate import detected, mutants_of  # noqa: E402
from checks.source import read_source  # noqa: E402

_STATE: dict = {}


def _init(text, derivation):
    _STATE.update(text=text, derivation=derivation)


def _one(m):
    return detected(_STATE["text"], m, _STATE["derivation"])


def run(path: str, derivation=None, jobs: int = 2) -> dict:
    text = read_source(path)
    base = check_text(text, CheckOptions(), derivation=derivation)
    mutants = mutants_of(text, base)
    start = time.monotonic()
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_init,
                             initargs=(text, derivation)) as pool:
        hits = list(pool.map(_one, mutants, chunksize=4))
    missed = [m for m, h in zip(mutants, hits) if not h]
    return {
        "file": path, "mutants": len(mutants), "detected": sum(hits),
        "rate": sum(hits) / len(mutants) if mutants else 0.0,
        "by_operator": dict(Counter(m.kind for m in mutants)),
        "seconds": round(time.monotonic() - start, 1),
        "missed": [{"line": m.line, "kind": m.kind, "latex": m.latex} for m in missed],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--derivation", default="auto")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    from checks.cli import _derivation
    report = run(args.file, _derivation(args.derivation, read_source(args.file)), args.jobs)
    print(f"{report['file']}: {report['detected']}/{report['mutants']} mutants refuted at their line "
          f"({report['rate']:.1%}) in {report['seconds']} s; by operator {report['by_operator']}")
    for m in report["missed"]:
        print(f"  missed line {m['line']} ({m['kind']}): {m['latex'][:100]}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
