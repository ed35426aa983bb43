"""Finding math spans in Markdown, with their source positions."""

from mathlint.sources.markdown import extract


def spans(text):
    return [(s.latex.strip(), s.kind, s.line, s.column) for s in extract(text)]


def test_display_one_line_and_inline():
    text = "intro\n\n$$a=b$$\n\ntext $x=1$ and $y$.\n"
    assert spans(text) == [("a=b", "display", 3, 3), ("x=1", "inline", 5, 7), ("y", "inline", 5, 17)]


def test_display_block_over_several_lines_points_at_the_equation():
    text = "a\n\n$$\np_k = 1\n$$\n"
    assert spans(text) == [("p_k = 1", "display", 4, 1)]


def test_escaped_brackets_of_kramdown_mathjax():
    text = r"Let \\(p\\) be and \\( \partial L / \partial f \\) too." + "\n\n" + r"\\[x=2\\]" + "\n"
    got = spans(text)
    assert [g[0] for g in got] == ["p", r"\partial L / \partial f", "x=2"]
    assert [g[1] for g in got] == ["inline", "inline", "display"]
    assert got[0][2:] == (1, 8)  # the column of `p`


def test_latex_brackets_single_backslash():
    assert [g[:2] for g in spans(r"so \(a<b\) and \[c=d\]")] == [("a<b", "inline"), ("c=d", "display")]


def test_amsmath_environment():
    text = "x\n\n\\begin{align}\na &= b \\\\\n&= c\n\\end{align}\n"
    (s,) = extract(text)
    assert s.kind == "display" and s.line == 3 and "&= c" in s.latex


def test_code_is_skipped():
    text = "```python\nx = $a=b$\n```\n\nand `$c=d$` but $e=f$\n\n    $$g=h$$ indented code\n"
    assert [g[0] for g in spans(text)] == ["e=f"]


def test_front_matter_is_skipped():
    text = '---\ntitle: "$x=1$"\n---\n$y=2$\n'
    assert [(g[0], g[2]) for g in spans(text)] == [("y=2", 4)]


def test_html_comment_is_not_math():
    assert spans("<!-- mathlint: assume $x=1$ -->\n\n$y$\n") == [("y", "inline", 3, 2)]


def test_columns_count_characters_not_bytes():
    (s,) = extract("中文 $x=1$\n")
    assert (s.line, s.column) == (1, 5)


def test_same_formula_twice_on_a_line_gets_each_position():
    got = spans("$a$ then $a$\n")
    assert [g[3] for g in got] == [2, 11]


def test_no_math_and_empty():
    assert extract("") == []
    assert extract("just text\n\n# heading\n") == []


def test_unclosed_dollar_is_text():
    assert spans("price $5\n") == []
