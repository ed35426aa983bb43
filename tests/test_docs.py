"""The docs name every normalization rule and construct the code registers."""

from pathlib import Path

from checks.constructs import CONSTRUCTS
from checks.normalize import RULES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_normalization_doc_lists_every_rule_and_construct():
    text = (DOCS / "normalization.md").read_text(encoding="utf-8")
    missing = [r.name for r in [*RULES, *CONSTRUCTS] if f"| `{r.name}` |" not in text]
    assert missing == []
