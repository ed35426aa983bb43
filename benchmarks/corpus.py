"""Check a whole folder of real texts and print the figures that say how mathlint reads them.

    .venv/bin/python benchmarks/corpus.py [DIR] [--jobs 2] [--json build/corpus.json] [--refuted-tsv PATH]

DIR defaults to ``../shared/corpus/d2l-en`` (a book nobody here wrote). One cold run of
``mathlint check DIR --format json --no-fix --no-cache --derivation none`` in a new process;
then: files, math spans, spans with a relation and how many of them are parsed, claims by
role and by verdict, the time, and every refuted claim (file, line, LaTeX, message), which
must each be read by hand. ``--refuted-tsv PATH`` writes them as ``file<TAB>line<TAB>latex<TAB>reason``
(the reviewed list, as ``benchmarks/corpus/d2l-en-refuted.tsv``): the reason of a row already in PATH
is kept, a new row's is empty, for a reader to fill in.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "d2l-en"


def _spans(paths: list[str]) -> tuple[int, int, int]:
    """Math spans, spans with a relation, and of those the parsed ones (as ``mathlint parse``)."""
    from mathlint.latex.reader import read_text
    from mathlint.sources.files import read_source

    spans = relation = parsed = 0
    for p in paths:
        for b in read_text(read_source(p)):
            spans += 1
            if any(st.relations for st in b.statements):
                relation += 1
                parsed += b.status == "parsed"
    return spans, relation, parsed


COMMAND = ("check", "--format", "json", "--no-fix", "--no-cache", "--derivation", "none")
TSV_HEADER = "file\tline\tlatex\treason"


def run_corpus(folder: Path, jobs: int) -> tuple[dict, subprocess.CompletedProcess, float]:
    """One cold CLI run over ``folder``: its JSON document, the process, the seconds taken."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    argv = [sys.executable, "-m", "mathlint", COMMAND[0], str(folder), *COMMAND[1:], "--jobs", str(jobs)]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.monotonic() - start
    try:  # exit 2 with a report: some files could not be checked (listed under "errors")
        return json.loads(proc.stdout), proc, seconds
    except json.JSONDecodeError:
        raise RuntimeError(f"mathlint exited {proc.returncode}: {proc.stderr[-2000:]}") from None


def refuted_claims(doc: dict, folder: Path) -> list[dict]:
    """Every refuted claim of a run: file (relative to ``folder``), line, LaTeX, message."""
    return [{"file": os.path.relpath(f["file"], folder), "line": c["line"], "latex": c["latex"],
             "message": c["message"]}
            for f in doc.get("files", [doc]) for c in f["claims"] if c["verdict"] == "refuted"]


def _cell(text: str) -> str:
    """A TSV cell: tabs and line breaks of LaTeX as spaces (a row is one line)."""
    return " ".join(str(text).split())


def row_key(file: str, line: int | str, latex: str) -> tuple[str, int, str]:
    return file, int(line), _cell(latex)


def read_tsv(path: Path) -> dict[tuple[str, int, str], str]:
    """An adjudicated list: (file, line, latex) → reason; empty when the file does not exist."""
    if not path.is_file():
        return {}
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            file, num, latex, *reason = line.split("\t")
            rows[row_key(file, num, latex)] = reason[0] if reason else ""
    return rows


def write_tsv(path: Path, refuted: list[dict]) -> None:
    """The refuted claims as TSV, keeping the reason of every row already in ``path``."""
    old = read_tsv(path)
    keys = sorted({row_key(r["file"], r["line"], r["latex"]) for r in refuted})
    lines = [TSV_HEADER] + ["\t".join((f, str(n), latex, old.get((f, n, latex), ""))) for f, n, latex in keys]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


#: verdicts that say whether a claim is true
TRUTH = frozenset({"proved", "consistent", "needs-assumption", "refuted"})
#: roles of relations that state rather than claim: the issue's three, then every role mathlint gives
#: a relation that is no identity (a declared domain, a condition, an equation to solve, …)
STATING = {"that are not definitions, hypotheses (declared domains and conditions among them) or settings":
               {"definition", "hypothesis", "setting", "domain", "condition"},
           "that assert an identity or a step (every stating role aside)":
               {"definition", "hypothesis", "setting", "domain", "condition", "to-solve", "assignment",
                "approximation", "fragment"}}


def truth_share(claims: list) -> dict[str, tuple[int, int]]:
    """For each way of setting stating roles aside: (claims with a truth verdict, claims counted)."""
    out = {}
    for name, stating in STATING.items():
        counted = [c for _, c in claims if c["role"] not in stating]
        out[name] = (sum(c["verdict"] in TRUTH for c in counted), len(counted))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", default=str(ROOT / "build" / "corpus.json"))
    ap.add_argument("--refuted-tsv", help="write the refuted claims as TSV (reasons kept from an existing file)")
    args = ap.parse_args()
    folder = Path(args.folder)
    if not folder.is_dir():
        sys.exit(f"{folder}: no such folder (the corpus lives in ../shared beside the checkout)")
    try:
        doc, proc, seconds = run_corpus(folder, args.jobs)
    except RuntimeError as exc:
        sys.exit(str(exc))
    files = doc.get("files", [doc])
    sys.path.insert(0, str(ROOT))
    import warnings

    warnings.simplefilter("ignore")  # SymPy deprecation notes on odd readings: not figures
    spans, relation, parsed = _spans([f["file"] for f in files])
    claims = [(f["file"], c) for f in files for c in f["claims"]]
    by_role = collections.Counter(c["role"] for _, c in claims)
    by_verdict = collections.Counter(c["verdict"] for _, c in claims)
    refuted = refuted_claims(doc, folder)
    truth = truth_share(claims)
    figures = {"folder": str(folder), "files": len(files), "seconds": round(seconds, 1), "jobs": args.jobs,
               "math_spans": spans, "relation_spans": relation, "relation_spans_parsed": parsed,
               "claims": len(claims), "by_role": dict(by_role.most_common()),
               "by_verdict": dict(by_verdict.most_common()), "truth_verdicts": truth, "refuted": refuted,
               "errors": [line for line in proc.stderr.splitlines() if line.startswith("mathlint: ")]}
    print(f"{len(files)} files, {spans} math spans, {relation} with a relation, {parsed} of them parsed "
          f"({100 * parsed / max(relation, 1):.0f} %), {len(claims)} claims in {seconds:.1f} s (--jobs {args.jobs})")
    print("by role:    " + ", ".join(f"{k} {v}" for k, v in by_role.most_common()))
    print("by verdict: " + ", ".join(f"{k} {v}" for k, v in by_verdict.most_common()))
    for name, (got, of) in truth.items():
        print(f"truth verdicts among claims {name}: {got} of {of} ({100 * got / max(of, 1):.0f} %)")
    for line in figures["errors"]:
        print(f"stderr: {line}")
    print(f"{len(refuted)} refuted:")
    for r in refuted:
        print(f"  {r['file']}:{r['line']}: {r['latex'][:100]}  — {r['message'][:120]}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.refuted_tsv:
        write_tsv(Path(args.refuted_tsv), refuted)
        print(f"wrote {args.refuted_tsv}")


if __name__ == "__main__":
    main()
