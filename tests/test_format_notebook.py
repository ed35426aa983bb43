"""Jupyter notebooks as users check them: math from markdown cells only, each verdict at the cell
and line a notebook interface shows, SARIF and GitHub annotations at the notebook file's own line,
a broken notebook one line of error."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import nbformat
import pytest
from conftest import ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from mathlint.app.cli import main
from mathlint.sources.files import InputError, read_source
from mathlint.sources.formats import source_for

EXAMPLE = ROOT / "examples" / "notebook.ipynb"
TYPO = r"1 - \sigma(x) = \frac{e^{x}}{1 + e^{-x}}"


def _notebook(path: Path, *cells, language: str = "python") -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "k", "language": language, "display_name": "k"}
    nb.cells = list(cells)
    for k, c in enumerate(nb.cells):
        c.id = f"c{k}"
    nbformat.write(nb, str(path))
    return path


def _json_line(path: Path, needle: str) -> int:
    """The 1-based line of the notebook file that holds ``needle`` as JSON writes it."""
    escaped = json.dumps(needle)[1:-1]
    (line,) = [k for k, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if escaped in text]
    return line


@pytest.fixture(scope="module")
def example_outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb")
    got = {}
    for fmt in ("text", "json", "sarif", "github", "junit"):
        target = out / f"out.{fmt}"
        assert main(["check", str(EXAMPLE), "--no-cache", "--format", fmt, "--output", str(target)]) == 1
        got[fmt] = target.read_text(encoding="utf-8")
    return got


def test_the_planted_error_is_refuted_at_its_cell_and_line(example_outputs):
    text = example_outputs["text"]
    assert f"{EXAMPLE}:cell 3:6: ML100 refuted {TYPO}" in text
    assert "1 refuted" in text and "1 proved" in text  # the derivative in the same cell holds
    doc = json.loads(example_outputs["json"])
    (refuted,) = [c for c in doc["claims"] if c["verdict"] == "refuted"]
    assert (refuted["cell"], refuted["line"], refuted["latex"]) == (3, 6, TYPO)
    assert list(refuted)[:3] == ["rule", "cell", "line"]
    (proved,) = [c for c in doc["claims"] if c["verdict"] == "proved"]
    assert (proved["cell"], proved["line"]) == (3, 12)


def test_sarif_and_github_point_at_the_notebook_files_own_line(example_outputs):
    line = _json_line(EXAMPLE, TYPO)
    (result,) = json.loads(example_outputs["sarif"])["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["region"] == {"startLine": line}
    assert "fixes" not in result  # a fix's columns are the cell's, not the JSON file's
    assert f"::error file={EXAMPLE},line={line},title=ML100::" in example_outputs["github"]
    assert "| cell 3:6 | ML100 |" in example_outputs["github"]  # the summary names the cell


def test_junit_names_the_cell_and_line(example_outputs):
    cases = ET.fromstring(example_outputs["junit"]).iter("testcase")
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == [f"cell 3, line 6: {TYPO}"]


def test_only_markdown_cells_give_math_and_code_cells_give_code(tmp_path):
    path = _notebook(tmp_path / "n.ipynb",
                     new_markdown_cell("# Title\n\n$$\na + b = b + a\n$$"),
                     new_code_cell("x = 1  # $$ 1 = 2 $$", execution_count=None),
                     new_raw_cell("$$ 3 = 4 $$"),
                     new_markdown_cell("<!-- mathlint: ignore ML100 -->\n$$2 = 3$$"),
                     language="julia")
    text, source = read_source(path), source_for(path)
    spans = source.math_spans(text)
    assert [s.latex.strip() for s in spans] == ["a + b = b + a", "2 = 3"]
    where = [source.locate(text, s.line) for s in spans]
    assert [(w.cell, w.cell_line) for w in where] == [(1, 4), (4, 2)]
    assert [w.file_line for w in where] == [_json_line(path, "a + b = b + a"), _json_line(path, "2 = 3")]
    (code,) = source.code_spans(text)
    assert (code.kind, code.info, code.content) == ("fence", "julia", "x = 1  # $$ 1 = 2 $$")
    assert source.locate(text, code.line).cell == 2
    assert [(h.title, source.locate(text, h.line).cell) for h in source.headings(text)] == [("Title", 1)]
    (note,) = source.annotations(text)
    assert source.locate(text, note.line + 1) == where[1]  # "ignore" reaches the equation below it


def test_a_suppression_in_a_markdown_cell_silences_the_line_below(tmp_path, capsys):
    silenced = new_markdown_cell("<!-- mathlint: ignore ML100 -->\n$$(x+1)^2 = x^2 + 1$$")
    alone = _notebook(tmp_path / "alone.ipynb", silenced)
    assert main(["check", str(alone), "--no-cache", "--no-fix"]) == 0
    capsys.readouterr()
    both = _notebook(tmp_path / "both.ipynb", silenced, new_markdown_cell("$$(x+1)^2 = x^2 + 1$$"))
    assert main(["check", str(both), "--no-cache", "--no-fix", "--format", "json"]) == 1  # the second one fails
    doc = json.loads(capsys.readouterr().out)
    assert [(c["cell"], c["line"], c["verdict"]) for c in doc["claims"]] == [(1, 2, "refuted"), (2, 1, "refuted")]


def test_an_ignore_at_the_end_of_a_cell_does_not_reach_the_next_cell(tmp_path, capsys):
    path = _notebook(tmp_path / "n.ipynb",
                     new_markdown_cell("Text.\n<!-- mathlint: ignore -->"),
                     new_markdown_cell("$$\n(x+1)^2 = x^2 + 1\n$$"))
    assert main(["check", str(path), "--no-cache", "--no-fix"]) == 1
    assert f"{path}:cell 2:2: ML100 refuted" in capsys.readouterr().out


def test_a_source_written_as_one_string_is_on_its_own_file_line(tmp_path):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "Intro\n\n$$\nx = x\n$$"}]
    raw = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}, indent=1)
    path = tmp_path / "flat.ipynb"
    path.write_text(raw, encoding="utf-8")
    text, source = read_source(path), source_for(path)
    (span,) = source.math_spans(text)
    where = source.locate(text, span.line)
    assert (where.cell, where.cell_line, where.file_line) == (1, 4, _json_line(path, "Intro"))


@pytest.mark.parametrize("content, reason", [
    ('{"cells": [', "not JSON"),
    ("[1, 2]", "its JSON is not laid out as a notebook"),
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
])
def test_a_broken_notebook_is_one_line_of_error(tmp_path, capsys, content, reason):
    path = tmp_path / "broken.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=reason):
        read_source(path)
    assert main(["check", str(path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a valid Jupyter notebook" in err and "Traceback" not in err
    assert content[:5] not in err.split(":", 2)[-1] or reason == "not JSON"


def test_markdown_json_keeps_its_keys(tmp_path, capsys):
    post = tmp_path / "p.md"
    post.write_text("$$\n(x+1)^2 = x^2 + 1\n$$\n", encoding="utf-8")
    main(["check", str(post), "--no-cache", "--no-fix", "--format", "json"])
    (claim,) = json.loads(capsys.readouterr().out)["claims"]
    assert "cell" not in claim and claim["line"] == 2 and list(claim)[:2] == ["rule", "line"]


def _check_json(path: Path, *extra: str) -> dict:
    out = path.with_suffix(".out.json")
    code = main(["check", str(path), "--no-cache", "--no-fix", "--format", "json", "--output", str(out), *extra])
    assert code in (0, 1)
    return json.loads(out.read_text(encoding="utf-8"))


def test_a_message_that_names_another_line_names_its_cell(tmp_path):
    path = _notebook(tmp_path / "n.ipynb", new_markdown_cell("# Setting\n\nLet $x = 4$."), new_code_cell("x = 4"),
                     new_markdown_cell("Then\n\n$$x^2 = 17$$"))
    doc = _check_json(path)
    (refuted,) = [c for c in doc["claims"] if c["verdict"] == "refuted"]
    assert (refuted["cell"], refuted["line"]) == (3, 3)
    assert "x := 4 from cell 1, line 3" in refuted["message"] and "from line" not in refuted["message"]


def test_an_assumption_names_the_cell_of_the_hypothesis(tmp_path):
    path = _notebook(tmp_path / "n.ipynb", new_markdown_cell("Suppose $x > 0$."),
                     new_markdown_cell("Then\n$$\\sqrt{x^2} = x$$"))
    (claim,) = [c for c in _check_json(path)["claims"] if c["cell"] == 2]
    assert claim["verdict"] == "proved" and claim["assumptions"] == ["x > 0 (cell 1, line 1)"]


def test_an_align_with_a_label_on_each_row_keeps_every_label(tmp_path):
    path = _notebook(tmp_path / "n.ipynb", new_markdown_cell("Intro."), new_markdown_cell(
        "Then\n\\begin{align}\n(a+b)^2 &= a^2 + 2ab + b^2 \\label{eq:p} \\\\\n"
        "(a-b)^2 &= a^2 - 2ab + b^2 \\label{eq:m}\n\\end{align}\n"
        "Subtracting \\eqref{eq:m} from \\eqref{eq:p} we get\n$$(a+b)^2 - (a-b)^2 = 4ab$$"))
    text = path.read_text(encoding="utf-8")
    labels = source_for(path).labels(text)
    assert [lab.label for lab in labels] == ["eq:p", "eq:m"]
    assert [source_for(path).locate(text, lab.line).cell_line for lab in labels] == [3, 4]
    doc = _check_json(path)
    assert [c.get("label") for c in doc["claims"]] == ["eq:p", "eq:m", None]
    assert doc["claims"][2]["cites"] == [{"label": "eq:m", "cell": 2, "line": 4},
                                         {"label": "eq:p", "cell": 2, "line": 3}]
    assert doc["findings"] == []


def test_parse_prints_cell_and_line_positions(tmp_path, capsys):
    path = _notebook(tmp_path / "n.ipynb", new_markdown_cell("# T"), new_markdown_cell("Text.\n\n$$a + a = 2a$$"))
    assert main(["parse", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}:cell 2:3:3: parsed display a + a = 2a"
    assert lines[1] == "    cell 2:3: 2*a = 2*a"
    assert main(["parse", str(path), "--format", "json"]) == 0
    (block,) = json.loads(capsys.readouterr().out)["blocks"]
    assert (block["cell"], block["line"]) == (2, 3) and block["statements"][0]["cell"] == 2


def test_format_in_reads_a_file_as_the_format_named(tmp_path, capsys):
    path = _notebook(tmp_path / "n.ipynb", new_markdown_cell("Thus $$1 + 1 = 3$$"))
    renamed = path.rename(tmp_path / "n.json")
    for name in ("notebook", "ipynb"):
        doc = _check_json(renamed, "--format-in", name)
        assert [(c["cell"], c["line"], c["verdict"]) for c in doc["claims"]] == [(1, 1, "refuted")]
    assert main(["parse", str(renamed), "--format-in", "notebook"]) == 0
    assert capsys.readouterr().out.startswith(f"{renamed}:cell 1:1:")
    md = tmp_path / "post.ipynb"
    md.write_text("Thus $1 + 1 = 2$.\n", encoding="utf-8")  # a Markdown post misnamed: read as Markdown
    assert [c["line"] for c in _check_json(md, "--format-in", "markdown")["claims"]] == [1]
    assert main(["check", str(md), "--format-in", "word"]) == 2
    err = capsys.readouterr().err
    assert "--format-in: unknown input format 'word' (known: markdown, quarto, rmarkdown, notebook, tex)" in err
    assert main(["parse", str(md), "--format-in", "word"]) == 2
