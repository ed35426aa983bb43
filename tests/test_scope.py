"""Scope of definitions (issue 16): a name reused in a new section or a new example is a new
definition, a head mathlint cannot read is a definition and no claim, a value stays in its part
and is never put in for a variable that is differentiated; a restatement of the same object in
the same section is still checked."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claims(text: str) -> list[tuple[int, str, str, str]]:
    return [(c.line, c.role, c.verdict, c.message) for c in check_text(text, CheckOptions()).claims]


def test_a_name_defined_again_in_a_new_section_is_a_new_definition():
    text = "## One\n\n$$f(x) = x^2 + a$$\n\n## Two\n\n$$f(x) = \\cosh(a x) + a$$\n\n$$f(0) = 1 + a$$\n"
    got = _claims(text)
    assert [(line, role, verdict) for line, role, verdict, _ in got] == [
        (3, "definition", "unchecked"), (7, "definition", "unchecked"), (9, "equation", "proved")]
    assert "line 7" in got[2][3]  # read with the definition of its own section


def test_a_new_example_or_a_new_formula_in_the_same_section_is_a_new_definition():
    text = ("## One\n\nFor instance, $f(x) = (x-1)^2 + a$ is convex.\n\n"
            "For instance, the function $f(x) = \\exp(x) + a$ has no minimum.\n\n"
            "The layer computes\n\n$$h(x) = w x + b$$\n\nWith an activation,\n\n$$h(x) = \\sigma(w x + b)$$\n")
    assert [(line, role, verdict) for line, role, verdict, _ in _claims(text)] == [
        (3, "definition", "unchecked"), (5, "definition", "unchecked"),
        (9, "definition", "unchecked"), (13, "definition", "unchecked")]


def test_a_restatement_of_the_same_object_is_still_checked_across_subsections():
    text = ("### Topic\n\n#### Loss\n\n$$s(w) = a w^2 + 1$$\n\n#### Gradient\n\n$$s(w) = a w^2 + 2$$\n\n"
            "### Next topic\n\n### Another\n\n$$s(w) = a w^2 + 3$$\n")
    assert [(line, role, verdict) for line, role, verdict, _ in _claims(text)] == [
        (5, "definition", "unchecked"), (9, "restatement", "refuted"), (15, "definition", "unchecked")]


def test_a_head_mathlint_cannot_read_is_a_definition_not_a_claim():
    text = ("$$H[P] = \\sum_j - P(j) \\log P(j).$$\n\n"
            "$$l^{(i)}(\\mathbf{w}, b) = \\frac{1}{2} (\\hat{y}^{(i)} - y^{(i)})^2.$$\n\n"
            "$$J_{t_1,t_2} = a_{t_1} + b_{t_2}$$\n\nLet $\\sigma_t^2 = \\eta\\beta_t$ be the variance.\n\n"
            "$$\\sin(\\pi) = 1$$\n")
    got = _claims(text)
    assert [(line, role, verdict) for line, role, verdict, _ in got] == [
        (1, "definition", "unchecked"), (3, "definition", "unchecked"), (5, "definition", "unchecked"),
        (7, "definition", "unchecked"), (9, "equation", "refuted")]
    assert "does not read as a name" in got[0][3]


def test_a_value_stays_in_its_part_and_never_replaces_a_differentiated_variable():
    text = ("## Example\n\n$$x = 4$$\n\n$$\\frac{d}{dx} x^2 = 2x$$\n\n$$x^2 = 16$$\n\n"
            "## Rules\n\n$$x^2 = 16$$\n")
    got = _claims(text)
    assert [(line, role, verdict) for line, role, verdict, _ in got[1:3]] == [
        (5, "equation", "proved"), (7, "equation", "proved")]
    assert "line 3" in got[2][3] and "line 3" not in got[1][3]  # says where the value came from
    assert got[3][:3] == (11, "equation", "refuted") and "line 3" not in got[3][3]


def test_exercises_cases_and_let_lists_do_not_leak_a_definition():
    text = ("## Exercises\n\n1. Calculate the derivative of $f(x) = x^x$.\n"
            "1. Plot the function $y = f(x) = x^3 - \\frac{1}{x}$.\n\n"
            "Let $h(x) = (x/c)^2$ if $x < c$; otherwise $h(x) = 1$. Because $h(0) = 0$, fine.\n\n"
            "Let $c_J = \\log J$, $c_1 = -\\log J$, and $c_{i+1}-c_{i} = \\Delta c = 2\\frac{\\log J}{J}$.\n")
    got = {(c.line, c.latex): (c.role, c.verdict) for c in check_text(text, CheckOptions()).claims}
    assert all(verdict != "refuted" for _, verdict in got.values()), got
    assert got[(4, "f(x) = x^3 - \\frac{1}{x}")][0] == "step"  # the exercise before it defined another f
    assert got[(8, "c_1 = -\\ln J")] == ("definition", "unchecked")


def test_an_example_keeps_its_definition_for_its_own_sentence_and_item():
    text = ("## A\n\nFor instance, $f(x) = x^2 + a$ has $f(1) = 1 + a$ and $f(2) = 5 + a$.\n\n"
            "1. Let $g(x) = x^3$. Show that $g(2) = 8$.\n1. Show that $g(1) = 2$.\n")
    got = [(c.line, c.latex, c.verdict) for c in check_text(text, CheckOptions()).claims if c.role == "equation"]
    assert got[:3] == [(3, "f(1) = 1 + a", "proved"), (3, "f(2) = 5 + a", "refuted"), (5, "g(2) = 8", "proved")]
    assert got[3][2] != "refuted"  # the next exercise does not inherit g


def test_a_labelled_name_squared_states_a_variance():
    from mathlint.options import CheckOptions
    from mathlint.pipeline.engine import check_text
    got = {c.latex: (c.role, c.verdict) for c in check_text(
        "The variance is\n\n$$\\sigma_X^2 = p(1-p).$$\n\nAnd\n\n$$\\sigma_X^2 = \\sigma^2.$$\n\n"
        "But\n\n$$x^2 = 2x.$$\n", CheckOptions()).claims}
    assert got["\\sigma_X^2 = p(1-p)"] == ("definition", "unchecked")
    assert got["\\sigma_X^2 = \\sigma^2"] == ("definition", "unchecked")
    assert got["x^2 = 2x"][1] == "refuted"


def test_a_setting_binds_within_its_sentence_and_is_named_where_used():
    text = ("Note that if $\\epsilon = 0.0000001$, then $\\epsilon^{2}= 0.0000000000001$, a small number.\n\n"
            "For $x = 4$ we get $x^2 = 16$.\n\nLater, $x^2 = 15$ is another example.\n\n"
            "At $x = 3$, the derivative $\\frac{d}{dx} x^2 = 2x$ holds.\n")
    got = {c.latex: c for c in check_text(text, CheckOptions()).claims}
    tiny = got["\\epsilon^{2} = 0.0000000000001"]
    assert tiny.verdict == "refuted" and "\\epsilon := 0.0000001 from line 1" in tiny.message, tiny.message
    square = got["x^2 = 16"]
    assert square.verdict == "proved" and "x := 4 from line 3" in square.message, square.message
    assert got["x^2 = 15"].verdict == "unchecked"  # another sentence: x := 4 is not in force there
    derivative = got["\\frac{d}{dx} x^2 = 2x"]
    assert derivative.verdict == "proved" and "x :=" not in derivative.message  # never into a varied variable


def test_a_setting_is_not_substituted_into_the_display_its_sentence_leads_into():
    text = "At the point $x = 0$ the expansion reads\n\n$$f(x) = f(0) + x f'(0) + x^2 g(x)$$\n"
    (claim,) = [c for c in check_text(text, CheckOptions()).claims if c.role == "equation"]
    assert claim.verdict != "proved" and "x :=" not in claim.message, claim.message
