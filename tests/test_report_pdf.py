"""The PDF/TeX report: written atomically, typeset with xelatex, robust to one bad equation."""

import shutil
import subprocess

import pytest
from conftest import EXAMPLE

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.report.pdf import build_tex, write_report
from mathlint.sources.files import read_source

HAS_TEX = all(shutil.which(t) for t in ("latexmk", "xelatex"))


@pytest.fixture(scope="module")
def example():
    text = read_source(EXAMPLE)
    return text, check_text(text, CheckOptions(suggest=True))


def test_tex_report_has_every_shown_claim_by_section(tmp_path, example):
    text, result = example
    out = tmp_path / "r.tex"
    assert write_report(out, "examples/softmax.md", result, text, 0, 1.0, "none") == f"wrote {out}"
    tex = out.read_text(encoding="utf-8")
    assert "\\section*{反向传播: backpropagating into W}" in tex
    assert tex.count("\\verdict{refuted}") >= 6 and "suggested fix" in tex
    assert [p.name for p in tmp_path.iterdir()] == ["r.tex"]  # no temporary file left behind


def test_without_a_tex_engine_the_tex_is_written_and_the_message_says_how(tmp_path, example, monkeypatch):
    text, result = example
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    msg = write_report(tmp_path / "r.pdf", "p.md", result, text, 0, 1.0, "none")
    assert (tmp_path / "r.tex").exists() and not (tmp_path / "r.pdf").exists()
    assert "texlive-xetex" in msg and "make setup" in msg


@pytest.mark.skipif(not HAS_TEX, reason="latexmk/xelatex not installed (make setup installs them)")
def test_pdf_builds_and_shows_verdicts_fix_and_cjk(tmp_path, example):
    text, result = example
    out = tmp_path / "report.pdf"
    msg = write_report(out, "examples/softmax.md", result, text, 0, 1.0, "softmax")
    assert msg == f"wrote {out}", msg
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "反向传播" in words and "refuted" in words and "suggested fix" in words


def test_every_equation_of_the_example_is_typeset_as_math(example):
    """The allow-list (checks/report/texsafe.py) lets through every equation of the bundled post."""
    text, result = example
    tex, slots = build_tex("examples/softmax.md", result, text, 0, 1.0, "none")
    assert [s.latex for s in slots if s.refused] == []
    assert "\\begin{Verbatim}" not in tex and tex.count("\\begin{gather*}") >= 30
    assert "$N = m$" in tex  # an assumption, as inline math


def test_an_equation_outside_the_allow_list_is_shown_verbatim(tmp_path):
    result = check_text("# t\n\n$$x + 1 = 1 + x$$\n\n$$y = y$$\n")
    result.claims[0].latex = r"x + 1 = \undefinedmacro{1} + x"
    out = tmp_path / "r.tex"
    assert write_report(out, "t.md", result, "# t\n", 0, 1.0, "none") == f"wrote {out}"
    tex = out.read_text(encoding="utf-8")
    assert "\\begin{Verbatim}[fontsize=\\small]\nx + 1 = \\undefinedmacro{1} + x\n\\end{Verbatim}" in tex
    assert tex.count("\\begin{gather*}") == 1  # y = y


@pytest.mark.skipif(not HAS_TEX, reason="latexmk/xelatex not installed (make setup installs them)")
def test_an_equation_latex_cannot_typeset_is_shown_verbatim(tmp_path):
    result = check_text("# t\n\n$$x + 1 = 1 + x$$\n\n$$y = y$$\n\n$$z = z$$\n")
    result.claims[0].latex = r"x + 1 = \left( 1 + x"  # allow-listed, but LaTeX stops at it
    result.claims[1].latex = r"y = \notacommand{y}"
    out = tmp_path / "r.pdf"
    msg = write_report(out, "t.md", result, "# t\n", 0, 1.0, "none")
    assert msg == (f"wrote {out} (1 equation(s) shown verbatim: LaTeX could not typeset them; "
                   "1 equation(s) shown verbatim: outside the LaTeX subset mathlint typesets)")
    assert out.exists()
