"""Folders: every input format's files are found, include/exclude patterns (configuration and
flags) choose among them, and one report covers them all."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from mathlint.app.cli import main
from mathlint.app.config import ConfigError, load_config
from mathlint.sources.files import Globs, InputError, discover
from mathlint.sources.formats import SUFFIXES

WRONG = "$$\n(x+1)^2 = x^2 + 1\n$$\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "a.md").write_text("# A\n\n" + WRONG, encoding="utf-8")
    (tmp_path / "drafts" / "b.md").write_text(WRONG, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(WRONG, encoding="utf-8")
    nb = new_notebook(cells=[new_markdown_cell("Intro.\n\n" + WRONG)])
    nbformat.write(nb, str(tmp_path / "c.ipynb"))
    (tmp_path / ".ipynb_checkpoints").mkdir()
    nbformat.write(nb, str(tmp_path / ".ipynb_checkpoints" / "c-checkpoint.ipynb"))
    return tmp_path


def _names(found: list[str], root: Path) -> list[str]:
    return [Path(f).relative_to(root).as_posix() for f in found]


def test_a_folder_gives_every_formats_files_and_nothing_else(folder):
    assert ".ipynb" in SUFFIXES and ".md" in SUFFIXES
    assert _names(discover([str(folder)]), folder) == ["a.md", "c.ipynb", "drafts/b.md"]


@pytest.mark.parametrize("globs, expected", [
    (Globs(exclude=("drafts",)), ["a.md", "c.ipynb"]),
    (Globs(include=("*.ipynb",)), ["c.ipynb"]),
    (Globs(include=("drafts/*",)), ["drafts/b.md"]),
    (Globs(include=("*.md",), exclude=("b.md",)), ["a.md"]),
])
def test_include_and_exclude_patterns_choose_among_them(folder, globs, expected):
    assert _names(discover([str(folder)], lambda _: globs), folder) == expected


def test_a_file_named_is_checked_whatever_the_patterns(folder):
    named = str(folder / "drafts" / "b.md")
    assert discover([named], lambda _: Globs(exclude=("drafts",))) == [named]


def test_patterns_that_leave_nothing_say_so(folder):
    with pytest.raises(InputError, match="selected by the include/exclude patterns"):
        discover([str(folder)], lambda _: Globs(include=("*.rst",)))


def test_the_configuration_holds_the_patterns(tmp_path):
    cfg = tmp_path / "mathlint.toml"
    cfg.write_text('include = ["posts/**"]\nexclude = ["drafts", "*.draft.md"]\n', encoding="utf-8")
    loaded = load_config(cfg)
    assert (loaded.include, loaded.exclude) == (("posts/**",), ("drafts", "*.draft.md"))
    cfg.write_text('exclude = "drafts"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="exclude must be a list of glob patterns"):
        load_config(cfg)


def test_the_cli_reads_patterns_from_the_folders_configuration_and_flags(folder, capsys):
    (folder / "mathlint.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    assert main(["check", str(folder), "--no-cache", "--no-fix", "-q"]) == 1
    out = capsys.readouterr().out
    assert "a.md:" in out and "c.ipynb:" in out and "b.md" not in out
    assert out.endswith("2 files: 2 refuted; 0 findings (2 claims, seed 0)\n")
    assert main(["check", str(folder), "--no-cache", "--no-fix", "-q", "--include", "*.ipynb"]) == 1
    assert "a.md" not in capsys.readouterr().out
    assert main(["check", str(folder), "--no-cache", "--no-fix", "-q", "--isolated"]) == 1
    assert "drafts/b.md" in capsys.readouterr().out  # --isolated: no configuration, no patterns


def test_one_combined_report_with_each_files_positions(folder, capsys):
    assert main(["check", str(folder), "--no-cache", "--no-fix", "--format", "json", "--exclude", "drafts"]) == 1
    doc = json.loads(capsys.readouterr().out)
    claims = {Path(f["file"]).name: f["claims"] for f in doc["files"]}
    assert [(c.get("cell"), c["line"]) for c in claims["a.md"]] == [(None, 4)]
    assert [(c["cell"], c["line"]) for c in claims["c.ipynb"]] == [(1, 4)]
    assert doc["summary"]["refuted"] == 2
    assert main(["check", str(folder), "--no-cache", "--no-fix", "--format", "sarif", "--exclude", "drafts"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    lines = {Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name:
             r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results}
    notebook = (folder / "c.ipynb").read_text(encoding="utf-8").splitlines()
    assert lines["a.md"] == 4 and "(x+1)^2 = x^2 + 1" in notebook[lines["c.ipynb"] - 1]


def test_a_file_another_checked_file_includes_is_checked_as_part_of_it(tmp_path):
    from mathlint.sources.files import without_included

    (tmp_path / "a.tex").write_text("\\input{b}\n$1 = 1$\n", encoding="utf-8")
    (tmp_path / "b.tex").write_text("$2 = 2$\n", encoding="utf-8")
    (tmp_path / "c.tex").write_text("\\input{d}\n", encoding="utf-8")  # c and d include each other: both kept
    (tmp_path / "d.tex").write_text("\\input{c}\n", encoding="utf-8")
    (tmp_path / "e.md").write_text("\\input{b}\n", encoding="utf-8")  # Markdown includes nothing
    found = discover([str(tmp_path)])
    assert [Path(p).name for p in without_included(found)] == ["a.tex", "c.tex", "d.tex", "e.md"]
    assert without_included([str(tmp_path / "b.tex")]) == [str(tmp_path / "b.tex")]  # named alone: checked
