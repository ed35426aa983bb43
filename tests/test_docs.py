"""The docs stay in step with the code's registries."""

from pathlib import Path

from mathlint.dev.docgen import DOC, render

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_normalization_tables_are_current():
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "run: .venv/bin/python -m mathlint.dev.docgen"


def test_rules_doc_names_every_verdict():
    from mathlint.report.text import VERDICTS
    text = (DOCS / "checking.md").read_text(encoding="utf-8")
    assert [v for v in VERDICTS if f"`{v}`" not in text] == []


def test_rules_doc_is_current():
    from mathlint.dev.rulesdoc import DOC as RULES_DOC
    from mathlint.dev.rulesdoc import render
    assert RULES_DOC.read_text(encoding="utf-8") == render(), "run: .venv/bin/python -m mathlint.dev.rulesdoc"
