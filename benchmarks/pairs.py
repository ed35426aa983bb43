"""Equation pairs: mathlint against HuggingFace math-verify on the same ML-derivation pairs.

    .venv/bin/python benchmarks/pairs.py [--limit N] [--only mathlint|math-verify] [--timeout S]
                                         [--cold] [--json OUT] [--corpus FILE] [--regenerate]

The corpus (``benchmarks/pairs.json``, written by ``--regenerate`` from
``benchmarks/pairs_corpus.py``) holds equal and unequal pairs, each with its truth checked
numerically. For each pair ``lhs = rhs``:

* mathlint: ``mathlint.pipeline.equiv.equivalent(lhs, rhs, CheckOptions(jobs=1, timeout=S))``
  (proved/consistent = equal, refuted/needs-assumption = unequal, anything else = no verdict);
* math-verify (optional, ``pip install math-verify``): ``verify(parse("$lhs$"), parse("$rhs$"))``
  with ``LatexExtractionConfig`` only, gold = lhs, target = rhs, its own signal-based timeouts
  (S seconds, rounded up) in the main thread of a process of its own. A side that does not
  parse to a SymPy object, or a comparison that times out, is no verdict.

The two tools run one after the other, math-verify in a process started for it: in one
process they would share SymPy's global cache, and each would be timed with the other's
cache state (a tool that empties it slows the other down, one that fills it speeds it up).
Each call is timed with ``time.perf_counter`` in its tool's process after one warm-up pair
per tool (reported apart). Both tools keep their parse caches between pairs (as on a post
whose sides repeat); ``--cold`` clears them before every pair. No verdict counts as wrong in
the accuracy.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import math
import multiprocessing as mp
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

CORPUS = ROOT / "benchmarks" / "pairs.json"
WARMUP = (r"\frac{1}{1+e^{-t}}", r"\frac{e^{t}}{e^{t}+1}")


@dataclass(frozen=True)
class Pair:
    id: str
    category: str
    equal: bool
    typo: str | None
    lhs: str
    rhs: str
    domain: dict = field(default_factory=dict)


@dataclass
class Answer:
    said: bool | None  # True equal, False unequal, None no verdict
    verdict: str
    message: str
    seconds: float = 0.0


class Mathlint:
    name = "mathlint"

    def __init__(self, timeout: float) -> None:
        from mathlint.latex.parse import parse_side
        from mathlint.options import CheckOptions
        from mathlint.pipeline.equiv import domain_assumptions, equivalent

        self._equivalent, self._parse_side, self._assume = equivalent, parse_side, domain_assumptions
        self.opts = CheckOptions(jobs=1, timeout=timeout)

    def clear(self) -> None:
        self._parse_side.cache_clear()

    def __call__(self, lhs: str, rhs: str, domain: dict | None = None) -> Answer:
        """The pair's stated ranges (``p`` a probability, ``\\sigma > 0``) as a post states them."""
        v = self._equivalent(lhs, rhs, self.opts, self._assume(domain))
        return Answer(v.equal, v.verdict, v.message)


class MathVerify:
    name = "math-verify"

    def __init__(self, timeout: float) -> None:
        import math_verify.parser as mvp  # ImportError when it is not installed
        from math_verify import LatexExtractionConfig, parse, verify

        self._parse, self._verify, self._mvp = parse, verify, mvp
        self.config = [LatexExtractionConfig()]
        self.seconds = max(1, math.ceil(timeout))  # signal.alarm takes whole seconds
        self.warnings: list[str] = []
        handler = logging.Handler()
        handler.emit = lambda record: self.warnings.append(record.getMessage())
        logging.getLogger("math_verify").addHandler(handler)

    def clear(self) -> None:
        self._mvp.parse_latex_cached.cache_clear()
        self._mvp.extract_latex.cache_clear()

    def __call__(self, lhs: str, rhs: str, domain: dict | None = None) -> Answer:  # no way to state a range
        import sympy

        self.warnings.clear()
        gold = self._parse(f"${lhs}$", extraction_config=self.config, parsing_timeout=self.seconds)
        target = self._parse(f"${rhs}$", extraction_config=self.config, parsing_timeout=self.seconds)
        shown = f"gold {_first(gold)}; target {_first(target)}"
        for side, parsed in (("lhs", gold), ("rhs", target)):
            if not any(isinstance(x, (sympy.Basic, sympy.MatrixBase)) for x in parsed):
                return Answer(None, "unparsed", f"{side} not parsed ({'; '.join(self.warnings)}); {shown}")
        same = self._verify(gold, target, timeout_seconds=self.seconds)
        if any("Timeout" in w for w in self.warnings):
            return Answer(None, "timeout", f"{'; '.join(self.warnings)}; {shown}")
        return Answer(bool(same), "equal" if same else "unequal", shown)


TOOLS = {"mathlint": Mathlint, "math-verify": MathVerify}


def run_tool(name: str, pairs: list[Pair], timeout: float, cold: bool) -> tuple[float, list[Answer]]:
    """Every pair through one tool in this process: the warm-up's time and the answers."""
    tool = TOOLS[name](timeout)
    warm = timed(tool, *WARMUP).seconds
    out = []
    for k, p in enumerate(pairs, 1):
        if cold:
            tool.clear()
        out.append(timed(tool, p.lhs, p.rhs, p.domain))
        if k % 100 == 0:
            print(f"  {name}: {k}/{len(pairs)} pairs", file=sys.stderr)
    return warm, out


def _first(parsed: list) -> str:
    return str(parsed[0])[:160] if parsed else "[]"


def load(path: Path) -> list[Pair]:
    return [Pair(**p) for p in json.loads(path.read_text())["pairs"]]


def regenerate(path: Path) -> None:
    from pairs_corpus import __doc__ as about
    from pairs_corpus import build

    pairs = build()
    doc = {"about": about.strip().splitlines()[0],
           "convention": "equal: the sides agree at every real point where both "
           "are defined (log is the natural log; sums over i = 1..N, j, k = 1..K; domain lists the usual range "
           "of a name, e.g. probabilities)", "count": len(pairs), "equal": sum(p["equal"] for p in pairs),
           "pairs": pairs}
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path}: {len(pairs)} pairs, {doc['equal']} equal, every truth checked numerically")


def timed(tool: Callable[..., Answer], lhs: str, rhs: str, domain: dict | None = None) -> Answer:
    t = time.perf_counter()
    try:
        a = tool(lhs, rhs, domain)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a crash (or math-verify's TimeoutException) is the tool's no-verdict
        a = Answer(None, "error", f"{type(exc).__name__}: {exc}")
    a.seconds = time.perf_counter() - t
    return a


def summary(pairs: list[Pair], answers: list[Answer]) -> dict:
    secs = [a.seconds for a in answers]
    right = [a.said == p.equal for p, a in zip(pairs, answers)]
    cats: dict[str, list[bool]] = {}
    for p, ok in zip(pairs, right):
        cats.setdefault(p.category, []).append(ok)
    return {
        "pairs": len(pairs), "correct": sum(right), "accuracy": sum(right) / len(pairs),
        "false_alarms": sum(p.equal and a.said is False for p, a in zip(pairs, answers)),
        "misses": sum(not p.equal and a.said is True for p, a in zip(pairs, answers)),
        "no_verdict": sum(a.said is None for a in answers),
        "no_verdict_on_equal": sum(a.said is None and p.equal for p, a in zip(pairs, answers)),
        "mean_s": statistics.fmean(secs), "median_s": statistics.median(secs), "max_s": max(secs),
        "total_s": sum(secs),
        "verdicts": {v: sum(a.verdict == v for a in answers) for v in sorted({a.verdict for a in answers})},
        "per_category": {c: {"pairs": len(v), "accuracy": sum(v) / len(v)} for c, v in sorted(cats.items())},
    }


def report(pairs: list[Pair], results: dict[str, list[Answer]], warm: dict[str, float]) -> dict:
    sums = {name: summary(pairs, ans) for name, ans in results.items()}
    names = list(results)
    print(f"\n{len(pairs)} pairs ({sum(p.equal for p in pairs)} equal), warm-up: "
          + ", ".join(f"{n} {warm[n]:.2f} s" for n in names))
    head = f"{'tool':12s} {'accuracy':>9s} {'false alarms':>13s} {'misses':>7s} {'no verdict':>11s} " \
           f"{'mean s':>8s} {'median s':>9s} {'max s':>7s} {'total s':>8s}"
    print(head + "\n" + "-" * len(head))
    for n, s in sums.items():
        print(f"{n:12s} {s['accuracy']:9.1%} {s['false_alarms']:13d} {s['misses']:7d} {s['no_verdict']:11d} "
              f"{s['mean_s']:8.3f} {s['median_s']:9.3f} {s['max_s']:7.2f} {s['total_s']:8.1f}")
    ratio = {}
    if len(names) == 2:
        a, b = sums["math-verify"], sums["mathlint"]
        ratio = {"mean": a["mean_s"] / b["mean_s"], "median": a["median_s"] / b["median_s"]}
        print(f"speed ratio math-verify / mathlint: mean {ratio['mean']:.2f}x, median {ratio['median']:.2f}x "
              "(> 1: mathlint faster)")
    cats = sorted({p.category for p in pairs})
    print("\naccuracy per category\n" + f"{'category':15s} {'pairs':>5s} " + " ".join(f"{n:>12s}" for n in names))
    for c in cats:
        k = sums[names[0]]["per_category"][c]["pairs"]
        print(f"{c:15s} {k:5d} " + " ".join(f"{sums[n]['per_category'][c]['accuracy']:12.1%}" for n in names))
    wrong = {}
    for n in names:
        wrong[n] = [{"id": p.id, "truth": p.equal, "typo": p.typo, "lhs": p.lhs, "rhs": p.rhs,
                     "verdict": a.verdict, "message": a.message}
                    for p, a in zip(pairs, results[n]) if a.said != p.equal]
        print(f"\n{n} wrong on {len(wrong[n])} pairs")
        for w in wrong[n]:
            print(f"  {w['id']} [{'equal' if w['truth'] else 'unequal'}] {w['lhs']}  =  {w['rhs']}\n"
                  f"      said {w['verdict']}: {w['message'][:300]}")
    return {"summary": sums, "ratio": ratio, "warmup_s": warm, "wrong": wrong}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--regenerate", action="store_true", help="rebuild the corpus file, then exit")
    ap.add_argument("--limit", type=int, help="only the first N pairs")
    ap.add_argument("--only", choices=["mathlint", "math-verify"])
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per pair and tool")
    ap.add_argument("--cold", action="store_true", help="clear both tools' parse caches before each pair")
    ap.add_argument("--json", type=Path, default=ROOT / "build" / "bench-pairs.json")
    args = ap.parse_args()
    if args.regenerate:
        regenerate(args.corpus)
        return
    pairs = load(args.corpus)[: args.limit]
    names = [n for n in ("mathlint", "math-verify") if args.only in (None, n)]
    if "math-verify" in names and importlib.util.find_spec("math_verify") is None:
        print("math-verify is not installed (pip install math-verify): running mathlint alone")
        names.remove("math-verify")
        if not names:
            sys.exit(2)
    warm: dict[str, float] = {}
    results: dict[str, list[Answer]] = {}
    for name in names:
        if name == "mathlint":  # here: its checks fork workers, which a pool's (daemonic) worker may not
            warm[name], results[name] = run_tool(name, pairs, args.timeout, args.cold)
        else:
            with mp.get_context("spawn").Pool(1) as pool:
                warm[name], results[name] = pool.apply(run_tool, (name, pairs, args.timeout, args.cold))
    out = report(pairs, results, warm)
    out.update(corpus=str(args.corpus), timeout=args.timeout, cold=args.cold, tools=names,
               results=[{"id": p.id, "category": p.category, "truth": p.equal,
                         **{n: asdict(results[n][k]) for n in results}} for k, p in enumerate(pairs)])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
