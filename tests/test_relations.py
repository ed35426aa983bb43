"""The relation registry: every kind is complete, and every module's view comes from it."""

import pytest

from mathlint.claims.build import side_text
from mathlint.latex.split import RELATION_RE, TOKENS, relation_name, split_statements
from mathlint.model import Side, Statement
from mathlint.relations import RELATIONS, Defines, condition_met, never_met
from mathlint.report.parse import render_text

KINDS = list(RELATIONS.values())


@pytest.mark.parametrize("rel", KINDS, ids=[r.name for r in KINDS])
def test_each_kind_is_complete(rel):
    assert rel.tokens or rel.patterns
    assert rel.tex and rel.sign
    assert (rel.holds is None) == bool(rel.why_not)


@pytest.mark.parametrize("rel", KINDS, ids=[r.name for r in KINDS])
def test_its_tex_reads_back_as_it(rel):
    """A claim written back as LaTeX (fix suggestions, reports) is read as the same relation."""
    _, sts = split_statements(f"a {rel.tex} b", lambda _o: 1)
    assert [st.relations for st in sts] == [[rel.name]]


def test_every_token_reads_as_its_kind():
    for rel in KINDS:
        for token in rel.tokens:
            assert TOKENS[token] == rel.name
            m = RELATION_RE.search(f"a {token} b")
            assert m.group(0) == token and relation_name(m.group(0)) == rel.name


@pytest.mark.parametrize("text, name", [(r"\stackrel{def}{=}", "def"), (r"\overset{\triangle}{=}", "def"),
                                        (r"\coloneqq", "def")])
def test_patterns(text, name):
    assert relation_name(RELATION_RE.search(f"a {text} b").group(0)) == name


def test_a_command_is_not_read_inside_a_longer_one():
    assert RELATION_RE.search(r"\int_0^1 \inf \lesssim \neqq \geqq") is None


def test_derived_views():
    st = Statement(sides=[Side("a", 1), Side("b", 1), Side("c", 1)], relations=["le", "ne"], line=1)
    assert side_text(st, 0, 2) == r"a \le b \neq c"
    assert [n for n, r in RELATIONS.items() if r.defines is not Defines.NEVER] == ["eq", "def", "equiv"]
    assert [n for n, r in RELATIONS.items() if r.order] == ["lt", "le", "gt", "ge"]
    assert [n for n, r in RELATIONS.items() if r.condition] == ["eq", "ne"]


def test_conditions():
    assert condition_met("eq", 2, 2) and not condition_met("eq", 2, 3)
    assert condition_met("ne", 2, 3) and not condition_met("ne", 2, 2)
    assert condition_met("lt", 3, 2)  # not a condition on index values: no restriction
    assert never_met("ne", "i", "i") and not never_met("eq", "i", "i") and not never_met("ne", "i", "j")


def test_parse_listing_uses_the_signs(tmp_path):
    from mathlint.latex.reader import read_text
    text = render_text("p.md", read_text("$$a \\le b \\neq c \\approx d$$\n"))
    assert "≤" in text and "≠" in text and "≈" in text
