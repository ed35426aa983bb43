"""Equation labels and citations in every syntax: the label never enters the math, is kept on the
span and the claim, citations link the claim to the equation, and a citation of no equation is
ML006 at its line (but not a ``\\ref`` to a figure, nor a label another checked file has)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mathlint.app.cli import main
from mathlint.findings.references import across_files, link_references
from mathlint.model import Result
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.sources.markdown import MarkdownSource

SOURCE = MarkdownSource()

#: (syntax, a post with a labelled identity at line 3 and, at line 7, a sentence citing it that
#: leads into a second identity at line 9), the label as written
POSTS = {
    "quarto": ("Intro.\n\n$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$ {#eq-sq}\n\nBy @eq-sq, with $b = a$ we get\n\n"
               "$$\n(a+a)^2 = 4a^2\n$$\n", "eq-sq"),
    "myst": ("Intro.\n\n$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$ (sq)\n\nBy {eq}`sq`, with $b = a$ we get\n\n"
             "$$\n(a+a)^2 = 4a^2\n$$\n", "sq"),
    "myst-directive": ("Intro.\n\n```{math}\n:label: sq\n(a+b)^2 = a^2 + 2ab + b^2\n```\nBy {eq}`sq`, "
                       "with $b = a$ we get\n\n$$\n(a+a)^2 = 4a^2\n$$\n", "sq"),
    "bookdown": ("Intro.\n\n\\begin{equation}\n(a+b)^2 = a^2 + 2ab + b^2 (\\#eq:sq)\n\\end{equation}\n\n"
                 "By \\@ref(eq:sq), with $b = a$ we get\n\n$$\n(a+a)^2 = 4a^2\n$$\n", "eq:sq"),
    "latex": ("Intro.\n\n$$\n(a+b)^2 = a^2 + 2ab + b^2 \\label{eq:sq}\n$$\n\nBy \\eqref{eq:sq}, with $b = a$ "
              "we get\n\n$$\n(a+a)^2 = 4a^2\n$$\n", "eq:sq"),
    "d2l": ("Intro.\n\n$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$\n:eqlabel:`eq_sq`\nBy :eqref:`eq_sq`, with $b = a$ "
            "we get\n\n$$\n(a+a)^2 = 4a^2\n$$\n", "eq_sq"),
}


@pytest.mark.parametrize("syntax", sorted(POSTS))
def test_label_is_kept_and_never_in_the_math(syntax):
    text, label = POSTS[syntax]
    spans = SOURCE.math_spans(text)
    first = next(s for s in spans if "a^2 + 2ab" in s.latex)
    assert first.label == label
    assert label not in first.latex and "#" not in first.latex and "label" not in first.latex
    math = " ".join(first.latex.replace("\\begin{equation}", "").replace("\\end{equation}", "").split())
    assert math == "(a+b)^2 = a^2 + 2ab + b^2"
    assert [s.label for s in spans if s is not first] == [None, None]  # the inline $b = a$, the second display
    refs = SOURCE.references(text)
    assert [(r.label, r.line) for r in refs] == [(label, 7)]


@pytest.mark.parametrize("syntax", sorted(POSTS))
def test_the_citing_claim_is_linked_to_the_equation(syntax):
    text, label = POSTS[syntax]
    result = check_text(text, CheckOptions(timeout=5.0, suggest=False))
    first = next(c for c in result.claims if "2ab" in c.latex)
    second = next(c for c in result.claims if "4a^2" in c.latex)
    assert first.verdict == second.verdict == "proved"
    assert first.label == label and first.cites == ()
    assert second.label is None
    assert [(x.label, x.line) for x in second.cites] == [(label, first.line)]
    assert not [f for f in result.findings if f.rule == "ML006"]


def test_a_label_inside_the_math_keeps_every_other_column():
    text = "$$x + x = 2x \\label{eq:d} + 0$$\n"
    (span,) = SOURCE.math_spans(text)
    assert len(span.latex) == len("x + x = 2x \\label{eq:d} + 0") and span.latex.index("+ 0") == 24
    assert "label" not in span.latex and span.label == "eq:d"


def test_rows_of_an_align_keep_their_own_labels():
    text = ("\\begin{align}\na + a &= 2a \\label{eq:one} \\\\\nb + b &= 2b \\label{eq:two}\n\\end{align}\n\n"
            "From \\eqref{eq:two} we have $c + c = 2c$.\n")
    result = check_text(text, CheckOptions(timeout=5.0, suggest=False))
    by_latex = {c.latex: c for c in result.claims}
    assert by_latex["a + a = 2a"].label == "eq:one" and by_latex["b + b = 2b"].label == "eq:two"
    assert [(x.label, x.line) for x in by_latex["c + c = 2c"].cites] == [("eq:two", 3)]
    assert [(lab.label, lab.line) for lab in SOURCE.labels(text)] == [("eq:one", 2), ("eq:two", 3)]


def test_a_citation_in_the_math_or_after_it_on_its_line():
    text = ("$$\na = b \\label{eq:ab}\n$$\n\n"
            "So $b + 1 = a + 1$ by \\eqref{eq:ab}, and $a - b = 0 \\quad \\text{by } \\eqref{eq:ab}$.\n")
    result = check_text(text, CheckOptions(timeout=5.0, suggest=False))
    citing = [c for c in result.claims if c.cites]
    assert {c.latex for c in citing} == {"b + 1 = a + 1", "a - b = 0"}


def test_dangling_citations_are_ml006_at_their_line():
    text = ("$$\nx + x = 2x\n$$ {#eq-x}\n\nSee @eq-y, \\eqref{eq:z} and :eqref:`eq_w`; also @fig-plot and\n"
            "\\ref{fig:plot} and \\ref{sec:nowhere}.\n\n![a plot](p.png){#fig-plot}\n\\label{fig:plot}\n")
    result = check_text(text, CheckOptions(timeout=5.0, suggest=False))
    found = [(f.line, f.message) for f in result.findings if f.rule == "ML006"]
    assert [line for line, _ in found] == [5, 5, 5, 6]
    assert any("`@eq-y`" in m and "`eq-y`" in m for _, m in found)
    assert any("\\eqref{eq:z}" in m for _, m in found) and any(":eqref:`eq_w`" in m for _, m in found)
    assert any("\\ref{sec:nowhere}" in m for line, m in found if line == 6)
    assert not any("fig" in m for _, m in found)  # a figure's label, @fig- is no equation citation


def test_citations_in_code_are_not_read_but_role_arguments_are_no_code():
    text = ("```markdown\nSee @eq-a and \\eqref{b}.\n```\n\nInline `@eq-c` too; but :eqref:`eq_d` cites.\n\n"
            "```{python}\nx = 1\n```\n")
    assert [(r.label, r.line) for r in SOURCE.references(text)] == [("eq_d", 5)]
    codes = SOURCE.code_spans(text)
    assert [(c.kind, c.info) for c in codes] == [("fence", "markdown"), ("inline", ""), ("fence", "python")]


def test_a_suppression_silences_ml006():
    text = "<!-- mathlint: ignore ML006 -->\nSee @eq-missing.\n"
    assert not check_text(text, CheckOptions(timeout=5.0)).findings


def test_a_label_of_another_checked_file_resolves():
    one = "$$\nx + x = 2x\n$$\n:eqlabel:`eq_double`\n"
    two = "By :eqref:`eq_double` and :eqref:`eq_none`, $y + y = 2y$.\n"
    claims, blocks = [], []
    alone = link_references(claims, blocks, SOURCE, two)
    assert len(alone) == 2
    first, second = Result([], [], findings=[]), Result([], [], findings=list(alone))
    across_files([("one.md", one, first), ("two.md", two, second)])
    assert first.findings == [] and [f.message for f in second.findings] == [alone[1].message]
    assert "eq_none" in alone[1].message


def test_a_citation_of_another_checked_file_names_that_file_and_line(tmp_path, capsys):
    (tmp_path / "a.md").write_text("Intro.\n\n$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n:eqlabel:`eq_a`\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("By :eqref:`eq_a`, $(y+1)^2 = y^2 + 2y + 1$.\n", encoding="utf-8")
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# N\n"]},
                    {"cell_type": "markdown", "metadata": {},
                     "source": ["Text.\n", "$$\n", "(z+1)^2 = z^2 + 2z + 1\n", "$$ {#eq-z}\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "c.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "d.md").write_text("By @eq-z and :eqref:`eq_a`, $(w+1)^2 = w^2 + 2w + 1$.\n", encoding="utf-8")
    main(["check", str(tmp_path), "--format", "json", "--no-cache", "--jobs", "1"])
    files = {Path(f["file"]).name: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert files["b.md"]["claims"][0]["cites"] == [{"label": "eq_a", "file": str(tmp_path / "a.md"), "line": 4}]
    assert files["d.md"]["claims"][0]["cites"] == [{"label": "eq-z", "file": str(tmp_path / "c.ipynb"), "cell": 2,
                                                    "line": 3},
                                                   {"label": "eq_a", "file": str(tmp_path / "a.md"), "line": 4}]
    assert not files["d.md"]["findings"]


def test_folder_check_json_has_labels_cites_and_cross_file_resolution(tmp_path, capsys):
    (tmp_path / "a.md").write_text("$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n:eqlabel:`eq_a`\n", encoding="utf-8")
    (tmp_path / "b.qmd").write_text("Using :eqref:`eq_a` and @eq-gone, we find\n\n$$\n(y+1)^2 = y^2 + 2y + 1\n"
                                    "$$ {#eq-b}\n", encoding="utf-8")
    main(["check", str(tmp_path), "--format", "json", "--no-cache", "--jobs", "1"])
    doc = json.loads(capsys.readouterr().out)
    a, b = doc["files"]
    assert a["claims"][0]["label"] == "eq_a" and "cites" not in a["claims"][0]
    assert b["claims"][0]["label"] == "eq-b"
    assert b["claims"][0]["cites"] == [{"label": "eq_a", "file": str(tmp_path / "a.md"), "line": 2},
                                       {"label": "eq-gone"}]
    assert [(f["rule"], f["line"]) for f in b["findings"]] == [("ML006", 1)]
    assert "eq-gone" in b["findings"][0]["message"]


def test_d2l_labels_after_the_closing_dollars_or_after_a_blank_line():
    text = ("$$x + x = 2x,$$ :eqlabel:`eq_same`\n\nText.\n\n$$\ny + y = 2y\n$$\n\n:eqlabel:`eq_later`\n")
    spans = SOURCE.math_spans(text)
    assert [(s.label, s.latex.strip()) for s in spans] == [("eq_same", "x + x = 2x,"), ("eq_later", "y + y = 2y")]


def test_the_pdf_report_shows_labels_and_citations(tmp_path):
    from mathlint.report.pdf import build_tex

    text, _ = POSTS["quarto"]
    path = tmp_path / "post.qmd"
    path.write_text(text, encoding="utf-8")
    result = check_text(text, CheckOptions(timeout=5.0, suggest=False))
    tex, _ = build_tex(str(path), result, text, 0, 0.1, "none")
    assert "\\texttt{(eq-sq)}" in tex
    assert "\\textit{cites:} (eq-sq) at line 4" in tex


def test_a_dangling_citation_is_named_as_written_and_the_report_points_at_the_findings():
    from mathlint.report.pdf import build_tex

    text = "Intro.\n\nBy {eq}`gone` and \\eqref{lost}, $u + 0 = u$.\n"
    result = check_text(text, CheckOptions(timeout=5.0))
    assert sorted(f.message for f in result.findings) == [
        "`\\eqref{lost}` cites the label `lost`, which no equation of the files checked has",
        "{eq}`gone` cites the label `gone`, which no equation of the files checked has"]
    tex, _ = build_tex("p.md", result, text, 0, 0.1, "none")
    assert "No claim is refuted; the findings are listed at the end." in tex
    assert "there are no findings" not in tex
