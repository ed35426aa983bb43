"""The fast reader reads what the grammar reads, as the grammar reads it.

Every side of the bundled post, the real post (when ../shared is present) and the pair
corpus is read twice: by the fast reader and by latex2sympy2's antlr grammar. Where the
fast reader accepts a side, both trees must be equal after mathlint's re-evaluation."""

from __future__ import annotations

import json

import pytest
import sympy as sp
from conftest import EXAMPLE, ROOT, SHARED_POST

import mathlint.latex.parse as latex
from mathlint.latex.fastparse import fast_parse
from mathlint.latex.reader import read_text


class Differential:
    """Wraps ``fast_parse`` inside ``parse_side``: every accepted side is also read by the grammar."""

    def __init__(self):
        self.accepted, self.declined, self.mismatches = [], [], []

    def __call__(self, work: str):
        got = fast_parse(work)
        if got is None:
            self.declined.append(work)
            return None
        try:
            ref = latex._rebuild(latex._converter()(work))
        except Exception as exc:  # the grammar refuses what the fast reader read
            self.mismatches.append((work, f"grammar fails: {exc}", latex._rebuild(got)))
            return got
        if latex._rebuild(got) != ref:
            self.mismatches.append((work, ref, latex._rebuild(got)))
        self.accepted.append(work)
        return got


@pytest.fixture
def differential(monkeypatch):
    d = Differential()
    monkeypatch.setattr(latex, "fast_parse", d)
    latex.parse_side.cache_clear()
    yield d
    latex.parse_side.cache_clear()


def _read(texts: list[str]) -> None:
    for t in texts:
        read_text(t)


def test_the_example_post_is_read_as_the_grammar_reads_it_and_without_it(differential):
    _read([EXAMPLE.read_text(encoding="utf-8")])
    assert not differential.mismatches
    assert differential.accepted and not differential.declined, differential.declined


@pytest.mark.skipif(not SHARED_POST.exists(), reason="../shared/posts/softmax-post.md is not beside this checkout")
def test_the_real_post_is_read_as_the_grammar_reads_it(differential):
    _read([SHARED_POST.read_text(encoding="utf-8")])
    assert not differential.mismatches
    assert not differential.declined, differential.declined


def test_the_pair_corpus_is_read_as_the_grammar_reads_it(differential):
    pairs = json.loads((ROOT / "benchmarks" / "pairs.json").read_text())["pairs"]
    _read([f"$${p[side]}$$" for p in pairs for side in ("lhs", "rhs")])
    assert not differential.mismatches, differential.mismatches[:5]
    assert len(differential.accepted) >= 0.95 * (len(differential.accepted) + len(differential.declined))


QUIRKS = [
    r"\ln x y", r"\ln x \cdot y", r"\ln (a) b", r"\ln (a)^2", r"\ln a e^{b}", r"\ln a \cdot e^{b} c",
    r"\ln \sum_{j=1}^{K} e^{o_j} - o_k", r"\ln \frac{a}{b} \cdot c", r"\ln a / b", r"a/b c", r"-a b",
    r"x(1+y)", r"f(x)", r"f(x)y", r"J(w)^2", r"x_i(a)", r"p_{y_i}(x)", r"f(x^2)", r"f(\text{mlph0})",
    r"g(x+1)", r"f(\frac{1}{2})", r"x_{i j}", r"x_{10}", r"y_ix_i", r"\text{ab c}_i", r"\lambda_j",
    r"\pi r", r"\pi_i", r"x^\alpha", r"e^x", r"e^{x}y", r"a d", r"ad - bc", r"d_i", r"\frac{ad}{bd}",
    r"3.5x", r"\frac{1}{2}x", r"1/2", r"\sum_{i=1}^{N} x_i y + 1", r"\prod_{i=1}^{n} p_i^{y_i}",
    r"\frac{d}{dx} x^2 z + 1", r"y\frac{d}{dx}(1-x)^{n}", r"\sqrt{x}", r"\{0,1\}", r"\sin x \cos y", r"\ln \ln x y",
]


@pytest.mark.parametrize("text", QUIRKS)
def test_the_grammars_quirks_are_kept(text):
    got = fast_parse(text)
    assert got is not None, f"{text} is in the subset"
    assert latex._rebuild(got) == latex._rebuild(latex._converter()(text))


@pytest.mark.parametrize("text", [
    r"x^23", r"2\frac{1}{2}", r"(3)(2)", r"x_10", r"|x|", r"\log x", r"\gamma", r"E(x)",
    r"\frac{d}{dx}", r"\left( a \right)", r"d x", r"\sigma(z)", r"\text{f}(x)", r"p_{e_i}", r"x_e", r"f(x, y)",
    r"x^2_i", r"\mathbb{1}",
])
def test_outside_the_subset_it_declines(text):
    """These the grammar reads its own way (or not at all): the fast reader leaves them to it."""
    assert fast_parse(text) is None


def test_a_declined_side_is_still_read_by_the_grammar():
    latex.parse_side.cache_clear()
    assert latex.parse_side(r"\log_{2} 8") == sp.log(8, 2)


@pytest.mark.parametrize("text", [r"\sum_{I=1}^{N} x_i", r"-\frac{1}{m}\sum_{I=1}^{m}(a-y_i)x_{ij}"])
def test_where_the_grammar_fails_the_fast_reader_fails_the_same_way(text, monkeypatch):
    """``\\sum_{I=1}`` (a suggested-fix candidate): SymPy refuses the imaginary unit as an index."""
    latex.parse_side.cache_clear()
    with pytest.raises(latex.ParseError) as fast:
        latex.parse_side(text)
    monkeypatch.setattr(latex, "fast_parse", lambda _t: None)
    latex.parse_side.cache_clear()
    with pytest.raises(latex.ParseError) as grammar:
        latex.parse_side(text)
    latex.parse_side.cache_clear()
    assert str(fast.value) == str(grammar.value)
