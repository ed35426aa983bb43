r"""LaTeX documents as users check them: the planted error refuted at the file's own line, every
other claim as the same math written in Markdown, labels kept beside the math and never in it,
comments skipped, the document's macros expanded within bounds, ``\input`` followed only inside
the checked file's folder, and a malformed document reported without a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import ROOT

from mathlint.app.cli import main
from mathlint.sources.formats import source_for
from mathlint.sources.texmacros import MAX_DEPTH

EXAMPLE = ROOT / "examples" / "derivation.tex"
TYPO = r"\frac{d}{dx} \frac{1}{1 + e^{-x}} = \frac{1}{1 + e^{-x}} (1 - \frac{1}{1 + e^{-x}})^{2}"

#: the example's math written in Markdown by hand: macros expanded, labels and comments left out
MARKDOWN_TWIN = r"""# The square of a sum

Expanding the product term by term, we have
\begin{align}
  \left(a + b\right)^{2} &= (a + b)(a + b) \\
             &= a^2 + ab + ba + b^2 \\
             &= a^2 + 2ab + b^2
\end{align}
Subtracting the cross term from the first line gives
\begin{equation}
  \left(a - b\right)^{2} = a^2 - 2ab + b^2 .
\end{equation}

# The logistic function

Hence the logistic function is symmetric:
\[
  1 - \frac{1}{1 + e^{-x}} = \frac{1}{1 + e^{-(-x)}} ,
\]
and therefore its derivative is
\begin{equation}
  \frac{d}{dx} \frac{1}{1 + e^{-x}} = \frac{1}{1 + e^{-x}} \left(1 - \frac{1}{1 + e^{-x}}\right)^{2} .
\end{equation}
"""


def _check(path: Path, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    out = tmp_path / f"{path.name}.json"
    code = main(["check", str(path), "--no-cache", "--no-fix", "--format", "json", "--output", str(out), *extra])
    return code, json.loads(out.read_text(encoding="utf-8"))


def _spans(text: str, path: Path):
    return source_for(path).math_spans(text)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_planted_error_is_refuted_at_its_own_line(tmp_path, capsys):
    assert main(["check", str(EXAMPLE), "--no-cache", "--no-fix"]) == 1
    text = capsys.readouterr().out
    typo_line = next(k for k, line in enumerate(EXAMPLE.read_text().splitlines(), 1) if r"\frac{d}{dx}" in line)
    assert f"{EXAMPLE}:{typo_line}: ML100 refuted {TYPO}" in text
    _, doc = _check(EXAMPLE, tmp_path)
    (refuted,) = [c for c in doc["claims"] if c["verdict"] == "refuted"]
    assert (refuted["line"], refuted["latex"]) == (typo_line, TYPO)
    assert {c["verdict"] for c in doc["claims"] if c is not refuted} == {"proved"}


def test_every_claim_is_as_in_the_same_math_written_in_markdown(tmp_path):
    _, tex = _check(EXAMPLE, tmp_path)
    _, md = _check(_write(tmp_path, "twin.md", MARKDOWN_TWIN), tmp_path)

    def claims(doc):  # the twin writes (-x) where the macro's argument is substituted: read alike
        return [(c["latex"].replace("--x", "-(-x)").replace("{(-x)}", "{-(-x)}"), c["verdict"]) for c in doc["claims"]]

    assert len(tex["claims"]) == 6
    assert [v for _, v in claims(tex)] == [v for _, v in claims(md)]
    assert [latex.replace(" ", "") for latex, _ in claims(tex)] == [latex.replace(" ", "") for latex, _ in claims(md)]


def test_labels_are_kept_and_never_in_the_math():
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = _spans(text, EXAMPLE)
    assert [s.label for s in spans] == ["eq:square", "eq:difference", None, "eq:derivative"]
    assert not any("label" in s.latex or "eq:" in s.latex for s in spans)
    refs = source_for(EXAMPLE).references(text)
    assert [(r.label, r.syntax) for r in refs][:2] == [("eq:square", "eqref"), ("eq:difference", "eqref")]
    assert refs[0].line == next(k for k, line in enumerate(text.splitlines(), 1) if r"\eqref{eq:square}" in line)


def test_rows_keep_their_lines_and_comments_are_skipped(tmp_path):
    text = ("% $x = 2$ in a comment is no math\n"          # 1
            "We have\n"                                     # 2
            "\\begin{align}\n"                              # 3
            "  a + a &= 2a \\label{eq:x} % = 3a\n"         # 4
            "  % c = d, a commented row\n"                  # 5
            "  \\\\ b + b &= 3b\n"                          # 6
            "\\end{align}\n")
    path = _write(tmp_path, "rows.tex", text)
    (span,) = _spans(text, path)
    assert "3a" not in span.latex and "c = d" not in span.latex and "label" not in span.latex
    assert (span.line, span.label) == (4, "eq:x")
    _, doc = _check(path, tmp_path)
    assert [(c["line"], c["latex"], c["verdict"]) for c in doc["claims"]] == [
        (4, "a + a = 2a", "proved"), (6, "b + b = 3b", "refuted")]


def test_every_math_delimiter_and_environment_is_read(tmp_path):
    text = (r"Inline $a=1$, \(b=2\), \begin{math}c=3\end{math}; display \[d=4\] and $$e=5$$." "\n"
            r"\begin{gather*} f=6 \end{gather*} \begin{multline} g=7 \end{multline}" "\n"
            r"\begin{eqnarray} h &=& 8 \end{eqnarray} \begin{displaymath} i=9 \end{displaymath}" "\n"
            r"\begin{equation}\begin{aligned} j &= 10 \end{aligned}\end{equation}" "\n"
            r"\begin{verbatim} $k = 11$ \end{verbatim} \verb|$l = 12$|" "\n")
    spans = _spans(text, _write(tmp_path, "all.tex", text))
    got = [(s.kind, s.delimiter, s.latex.strip()[:3]) for s in spans]
    assert got == [("inline", "$", "a=1"), ("inline", "\\(", "b=2"), ("inline", "\\(", "c=3"),
                   ("display", "\\[", "d=4"), ("display", "$$", "e=5"), ("display", "\\begin", "f=6"),
                   ("display", "\\begin", "g=7"), ("display", "\\begin", "h &"), ("display", "\\[", "i=9"),
                   ("display", "\\begin", "\\be")]
    (code,) = source_for(tmp_path / "all.tex").code_spans(text)
    assert "$k = 11$" in code.content


def test_macros_are_expanded(tmp_path):
    text = (r"\newcommand{\R}{\mathbb{R}}" "\n"
            r"\newcommand\pw[2][x]{#1^{#2}}" "\n"
            r"\def\half#1{\frac{#1}{2}}" "\n"
            r"\DeclareMathOperator*{\argmax}{arg\,max}" "\n"
            r"\newcommand{\two}{2}\renewcommand{\two}{3}\providecommand{\two}{4}" "\n"
            r"$\pw{3} + \pw[y]{2} = \half{a} \two$ and $\argmax_x f \in \R$" "\n")
    first, second = _spans(text, _write(tmp_path, "m.tex", text))
    assert first.latex == r"x^{3} + y^{2} = \frac{a}{2} 3"
    assert second.latex == r"\operatorname*{arg\,max}_x f \in \mathbb{R}"


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@pytest.mark.parametrize("definitions, why", [
    (r"\newcommand{\loop}{\loop + 1}", f"more than {MAX_DEPTH} levels deep"),
    ("".join(rf"\def\m{a}{{\m{b}\m{b}}}" for a, b in zip(_LETTERS, _LETTERS[1:])) + r"\def\mz{}",
     "more than"),  # each macro calls the next twice: 2^25 calls
])
def test_a_macro_that_does_not_end_is_an_unparsed_span_that_says_why(tmp_path, definitions, why):
    use = r"\loop" if "loop" in definitions else r"\ma"
    text = definitions + "\n\nThus $x = " + use + "$. Hence $y + y = 2y$.\n"
    path = _write(tmp_path, "rec.tex", text)
    code, doc = _check(path, tmp_path)
    assert code != 2
    unparsed, fine = doc["claims"]
    assert unparsed["verdict"] == "unparsed" and why in unparsed["message"] and unparsed["line"] == 3
    assert fine["verdict"] == "proved"


def test_includes_are_followed_inside_the_folder_only(tmp_path):
    folder = tmp_path / "paper"
    (folder / "parts").mkdir(parents=True)
    _write(tmp_path, "outside.tex", "Thus $s = s + 1$.\n")
    _write(folder, "macros.tex", r"\newcommand{\sq}[1]{#1^{2}}" "\n")
    _write(folder / "parts", "body.tex", "Hence\n\\begin{align}\n\\sq{(u+1)} &= u^2 + 2u + 1\n\\end{align}\n")
    _write(folder, "self.tex", "\\input{self}\n")
    os.symlink(tmp_path / "outside.tex", folder / "link.tex")
    main_tex = _write(folder, "main.tex", "\\input{macros}\n"             # 1
                      "\\input{parts/body}\n"                              # 2
                      "\\input{../outside}\n"                              # 3
                      f"\\input{{{tmp_path / 'outside.tex'}}}\n"           # 4
                      "\\input{link}\n"                                    # 5
                      "\\include{missing}\n"                               # 6
                      "\\input{self}\n")                                   # 7
    code, doc = _check(main_tex, tmp_path)
    assert code != 2
    got = [(c.get("file"), c["line"], c["verdict"]) for c in doc["claims"]]
    body, self_tex = str(folder / "parts" / "body.tex"), str(folder / "self.tex")
    assert got == [(body, 3, "proved"), (None, 3, "unparsed"), (None, 4, "unparsed"), (None, 5, "unparsed"),
                   (None, 6, "unparsed"), (self_tex, 1, "unparsed")]  # the cycle: at the \input that closes it
    reasons = [c["message"] for c in doc["claims"][1:]]
    assert "outside the checked file's folder" in reasons[0] and "relative to the checked file" in reasons[1]
    assert "outside the checked file's folder" in reasons[2] and "no file missing.tex" in reasons[3]
    assert "cycle" in reasons[4]
    assert not any("s + 1" in c["latex"] for c in doc["claims"])  # nothing outside the folder is read


def test_a_changed_included_file_is_checked_again(tmp_path):
    _write(tmp_path, "part.tex", "Thus $2 + 2 = 4$.\n")
    main_tex = _write(tmp_path, "main.tex", "\\input{part}\n")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    out = tmp_path / "out.json"
    assert main(["check", str(main_tex), "--no-fix", "--format", "json", "--output", str(out), *cache]) == 0
    _write(tmp_path, "part.tex", "Thus $2 + 2 = 5$.\n")
    assert main(["check", str(main_tex), "--no-fix", "--format", "json", "--output", str(out), *cache]) == 1


@pytest.mark.parametrize("text", [
    "Thus $a = {b$ and } more { unclosed \\begin{align} x &= y \n",
    "\\begin{align} a &= a \\\\ \\end{equation} }}} $$ x = x",
    "{" * 5000 + "$x = x$",
    "\\newcommand{\\f}[2]{#1 + #2}\nThus $\\f{1}$.\n",
    "\\input{}\n\\newcommand\n\\def\n$\\\\$ % mathlint:\n",
])
def test_a_malformed_document_is_reported_without_a_traceback(tmp_path, capsys, text):
    path = _write(tmp_path, "bad.tex", text)
    code = main(["check", str(path), "--no-cache", "--no-fix"])
    captured = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in captured.out + captured.err
    assert "checker error" not in captured.out + captured.err


def test_annotations_headings_and_suppressions(tmp_path):
    text = ("\\chapter{One}\n"                        # 1
            "\\section*[short]{Two $x$}\n"           # 2
            "% mathlint: ignore ML100\n"             # 3
            "Thus $1 + 1 = 3$.\n"                    # 4
            "Thus $2 + 2 = 5$. % mathlint: ignore\n"  # 5
            "Thus $3 + 3 = 7$.\n"                    # 6
            "% mathlint: assume x > 0\n")            # 7
    path = _write(tmp_path, "notes.tex", text)
    source = source_for(path)
    assert [(h.line, h.level, h.title) for h in source.headings(text)] == [(1, 1, "One"), (2, 2, "Two $x$")]
    assert [(a.line, a.verb, a.argument) for a in source.annotations(text)] == [
        (3, "ignore", "ML100"), (4, "ignore", ""), (7, "assume", "x > 0")]
    _, doc = _check(path, tmp_path)
    suppressed = {c["line"]: c["rule"] is None for c in doc["claims"]}  # a silenced claim names no rule
    assert suppressed == {4: True, 5: True, 6: False}


def _book(tmp_path: Path) -> tuple[Path, Path]:
    """A document whose math is in the files it includes: a part with a refuted step at its line 5,
    two files included on one line, and the document's own refuted line 8 after them."""
    folder = tmp_path / "book"
    (folder / "parts").mkdir(parents=True)
    _write(folder / "parts", "part.tex", "% a part\nAlso\n\\begin{align}\n(x+1)^2 &= x^2 + 2x + 1\n\\end{align}\n"
                                          "and $(y+1)^2 = y^2 + y + 1$.\n")
    _write(folder, "one.tex", "Here $1 + 1 = 3$.\n")
    _write(folder, "two.tex", "\n\nThere $3 + 1 = 5$.\n")
    main_tex = _write(folder, "main.tex", "\\documentclass{article}\n\\begin{document}\n"    # 1-2
                      "\\section{A}\nWe have $(a+b)^2 = a^2 + 2ab + b^2$.\n"                # 3-4
                      "\\input{parts/part}\n"                                                # 5
                      "\\input{one} \\input{two}\n"                                          # 6
                      "Then\n$2 + 2 = 5$ here.\n\\end{document}\n")                         # 7-9
    return folder, main_tex


def test_an_included_files_math_is_reported_at_its_own_path_and_line(tmp_path):
    folder, main_tex = _book(tmp_path)
    part, one, two = str(folder / "parts" / "part.tex"), str(folder / "one.tex"), str(folder / "two.tex")
    code, doc = _check(main_tex, tmp_path)
    assert code == 1
    got = [(c.get("file"), c["line"], c["verdict"]) for c in doc["claims"]]
    assert got == [(None, 4, "proved"), (part, 4, "proved"), (part, 6, "refuted"), (one, 1, "refuted"),
                   (two, 3, "refuted"), (None, 8, "refuted")]
    out = {}
    for fmt in ("text", "sarif", "github", "junit"):
        target = tmp_path / f"out.{fmt}"
        main(["check", str(main_tex), "--no-cache", "--no-fix", "--format", fmt, "--output", str(target)])
        out[fmt] = target.read_text(encoding="utf-8")
    assert f"{part}:6: ML100 refuted (y+1)^2 = y^2 + y + 1" in out["text"]
    assert all(f"{at}: ML100" in out["text"] for at in (f"{one}:1", f"{two}:3", f"{main_tex}:8"))
    places = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["locations"][0]["physicalLocation"]["region"]["startLine"])
              for r in json.loads(out["sarif"])["runs"][0]["results"]]
    assert places == [(part, 6), (one, 1), (two, 3), (str(main_tex), 8)]
    assert f"::error file={part},line=6,title=ML100::" in out["github"]
    assert f"::error file={main_tex},line=8,title=ML100::" in out["github"]
    assert f'name="line 6 of {part}: (y+1)^2 = y^2 + y + 1"' in out["junit"]


def test_a_fix_in_an_included_file_is_at_that_files_line(tmp_path):
    _write(tmp_path, "part.tex", "\n\nThus $(a+b)(a-b) = a^2 + b^2$.\n")
    main_tex = _write(tmp_path, "main.tex", "Intro.\n\n\\input{part}\nDone.\n")
    target = tmp_path / "out.sarif"
    main(["check", str(main_tex), "--no-cache", "--format", "sarif", "--output", str(target)])
    (result,) = json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"]
    (change,) = result["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == str(tmp_path / "part.tex")
    region = change["replacements"][0]["deletedRegion"]
    assert (region["startLine"], region["endLine"], region["startColumn"]) == (3, 3, 24)  # the `+` of `+ b^2`
    out = tmp_path / "out.json"
    main(["check", str(main_tex), "--no-cache", "--format", "json", "--output", str(out)])
    (claim,) = json.loads(out.read_text(encoding="utf-8"))["claims"]
    assert (claim["line"], claim["suggestion"]["line"], claim["suggestion"]["column"]) == (3, 3, 24)


def test_a_message_names_the_line_of_the_included_file(tmp_path):
    _write(tmp_path, "defs.tex", "Let $y = 3$.\n")
    main_tex = _write(tmp_path, "main.tex", "\\section{A}\n\\input{defs}\nThen $y + 1 = 5$.\n")
    code, doc = _check(main_tex, tmp_path)
    (refuted,) = [c for c in doc["claims"] if c["verdict"] == "refuted"]
    assert refuted["line"] == 3 and "file" not in refuted
    assert f"y := 3 from line 1 of {tmp_path / 'defs.tex'}" in refuted["message"]


def test_a_folder_check_checks_an_included_file_once(tmp_path, capsys):
    folder, main_tex = _book(tmp_path)
    _write(folder, "alone.tex", "So $4 = 4$.\n")
    main(["check", str(folder), "--no-cache", "--no-fix", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert [f["file"] for f in doc["files"]] == [str(folder / "alone.tex"), str(main_tex)]
    assert doc["summary"]["refuted"] == 4  # each planted error once


def test_includes_fanning_out_at_every_depth_are_read_a_bounded_number_of_times(tmp_path):
    """Each file includes the next twenty times: without a bound on the files read in all,
    reading would take 20^7 file reads; with it, the rest are unparsed with the reason."""
    from mathlint.sources.tex import MAX_INCLUDES

    for n in range(8):
        body = "".join(f"\\input{{f{n + 1}}}\n" for _ in range(20)) if n < 7 else "$$x + 1 = 1 + x$$\n"
        (tmp_path / f"f{n}.tex").write_text(body, encoding="utf-8")
    code, doc = _check(tmp_path / "f0.tex", tmp_path)
    claims = doc["claims"]
    assert sum(c["verdict"] == "proved" for c in claims) <= MAX_INCLUDES
    assert any("not followed" in c["message"] and str(MAX_INCLUDES) in c["message"] for c in claims)
