"""The real book as yardstick: the refuted claims of d2l-en are exactly the reviewed list.

One cold run over the corpus (as ``benchmarks/corpus.py`` makes it). A new refutation is a
claim nobody has read (a false alarm until shown otherwise); a vanished one may be a real
error no longer found. Either way the list ``benchmarks/corpus/d2l-en-refuted.tsv`` is
updated on purpose (``benchmarks/corpus.py --refuted-tsv``, which keeps the reasons written).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "d2l-en"
REVIEWED = ROOT / "benchmarks" / "corpus" / "d2l-en-refuted.tsv"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/d2l-en is not beside this checkout")


def _benchmark():
    spec = importlib.util.spec_from_file_location("corpus_benchmark", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refuted_claims_are_the_reviewed_ones():
    bench = _benchmark()
    doc, _, _ = bench.run_corpus(CORPUS, jobs=2)
    got = {bench.row_key(r["file"], r["line"], r["latex"]): r["message"] for r in bench.refuted_claims(doc, CORPUS)}
    reviewed = bench.read_tsv(REVIEWED)
    new = sorted(set(got) - set(reviewed))
    vanished = sorted(set(reviewed) - set(got))
    lines = [f"new refutation {f}:{n}: {latex}  — {got[(f, n, latex)][:160]}" for f, n, latex in new]
    lines += [f"vanished refutation {f}:{n}: {latex}" for f, n, latex in vanished]
    assert not lines, f"{len(new)} new, {len(vanished)} vanished (update {REVIEWED.name} on purpose):\n" + \
        "\n".join(lines)
