"""Quarto (``.qmd``), R Markdown (``.Rmd``) and MyST posts of our own, each with a correct
derivation and one typo: the typo is refuted at the file's own line, labels never enter the math,
chunks are code, and every other claim is as in the same math written in plain Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mathlint.app.cli import main
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.sources.files import discover
from mathlint.sources.formats import format_of, source_for

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "derivation.qmd"

RMD = """---
title: "Differences of squares"
output: bookdown::html_document2
---

```{r setup, include=FALSE}
knitr::opts_chunk$set(echo = TRUE)
```

Factoring the difference of two squares,

\\begin{equation}
a^2 - b^2 = (a - b)(a + b) (\\#eq:diff)
\\end{equation}

With $b = 1$, \\@ref(eq:diff) reads

\\begin{equation}
a^2 - 1 = (a - 1)(a + 1) (\\#eq:one)
\\end{equation}

and with $b = 2$ it reads

$$
a^2 - 4 = (a - 2)(a + 3)
$$

```{r}
a <- 5; a^2 - 4 == (a - 2) * (a + 2)
```
"""

MYST = """---
kernelspec:
  name: python3
---

# Cubes

The cube of a sum:

```{math}
:label: cube
(x + y)^3 = x^3 + 3x^2 y + 3x y^2 + y^3
```

Putting $y = -y$ in {eq}`cube`:

$$
(x - y)^3 = x^3 - 3x^2 y + 3x y^2 - y^3
$$ (cube-minus)

Adding {eq}`cube` and {eq}`cube-minus`:

$$
(x + y)^3 + (x - y)^3 = 2x^3 + 3x y^2
$$ (cube-sum)
"""


def _plain(text: str) -> str:
    """The same math in plain Markdown: every label and citation syntax removed, lines kept."""
    text = re.sub(r"\$\$ (\{#[^}]+\}|\([\w-]+\))", "$$", text)
    text = re.sub(r"\(\\#eq:[\w-]+\)", "", text)
    text = re.sub(r"```\{math\}\n:label: \S+\n(.*?)```", r"$$\n\1$$\n", text, flags=re.S)
    return re.sub(r"@eq-[\w-]+|\\@ref\([^)]*\)|\{eq\}`[^`]*`", "(1)", text)


def _checked(path: Path, capsys) -> dict:
    main(["check", str(path), "--format", "json", "--no-cache", "--no-fix"])
    return json.loads(capsys.readouterr().out)


def _verdicts(claims) -> list[tuple[str, str]]:
    return sorted((c["latex"], c["verdict"]) if isinstance(c, dict) else (c.latex, c.verdict) for c in claims)


@pytest.mark.parametrize("name, text, typo_line, labels", [
    ("derivation.qmd", EXAMPLE.read_text(encoding="utf-8"), 32,
     ["eq-plus", "eq-minus", "eq-difference", "eq-sum"]),
    ("post.Rmd", RMD, 25, ["eq:diff", "eq:one"]),
    ("myst.md", MYST, 24, ["cube", "cube-minus", "cube-sum"]),
])
def test_the_typo_is_refuted_at_the_files_line_and_the_rest_is_as_in_markdown(tmp_path, capsys, name, text,
                                                                                typo_line, labels):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = _checked(path, capsys)
    refuted = [c for c in doc["claims"] if c["verdict"] == "refuted"]
    assert [c["line"] for c in refuted] == [typo_line]
    assert [c["label"] for c in doc["claims"] if "label" in c] == labels
    assert not any(re.search(r"#|label|eq[-:]|cube", c["latex"]) for c in doc["claims"])
    plain = check_text(_plain(text), CheckOptions(seed=0, suggest=False))
    assert _verdicts(doc["claims"]) == _verdicts(plain.claims)
    assert not [f for f in doc["findings"] if f["rule"] == "ML006"]


def test_quarto_citations_link_the_claims_of_the_example(capsys):
    doc = _checked(EXAMPLE, capsys)
    cites = {c["line"]: c.get("cites") for c in doc["claims"]}
    assert cites[12] is None
    assert cites[18] == [{"label": "eq-plus", "line": 12}]
    assert cites[26] == [{"label": "eq-minus", "line": 18}, {"label": "eq-plus", "line": 12}]
    assert cites[32] == [{"label": "eq-plus", "line": 12}, {"label": "eq-minus", "line": 18}]


def test_suffixes_chunks_and_front_matter():
    assert format_of("a.qmd") == "quarto" and format_of("b.Rmd") == "rmarkdown" and format_of("c.RMD") == "rmarkdown"
    source = source_for("post.Rmd")
    assert [(c.kind, c.info) for c in source.code_spans(RMD) if c.kind == "fence"] == [("fence", "r"), ("fence", "r")]
    spans = source.math_spans("---\ntitle: \"$x = 2$\"\n---\n\n$y = 3$\n")
    assert [s.latex for s in spans] == ["y = 3"]  # the YAML front matter is no math


def test_folder_discovery_picks_up_quarto_and_r_markdown(tmp_path):
    for name in ("a.qmd", "b.Rmd", "c.md", "d.txt"):
        (tmp_path / name).write_text("$x = x$\n", encoding="utf-8")
    assert [Path(p).name for p in discover([str(tmp_path)])] == ["a.qmd", "b.Rmd", "c.md"]
