"""A declared shape of a name the text also defines is checked against the definition (issue 17):
``\\mathbf H \\in \\mathbb R^{n\\times h}`` with ``\\mathbf H = \\tanh(\\mathbf X\\mathbf W + \\mathbf b)`` is
proved from the declared shapes of X, W and b, naming what the reading took; a definition of
another shape leaves the declaration unchecked, saying why; a declaration of a name the text
does not define stays a declaration."""

import pytest

from mathlint.model import Verdict
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

LAYER = (r"Let $\mathbf{X} \in \mathbb{R}^{n \times d}$ be a batch, $\mathbf{W} \in \mathbb{R}^{W_SHAPE}$ the "
         r"weights and $\mathbf{b} \in \mathbb{R}^{1 \times h}$ the bias. The output "
         r"$\mathbf{H} \in \mathbb{R}^{H_SHAPE}$ is" "\n\n"
         r"$$\mathbf{H} = \tanh(\mathbf{X}\mathbf{W} + \mathbf{b}).$$" "\n\n"
         r"The loss is $L = \frac{1}{2}\|\mathbf{H}\|_F^2$, with "
         r"$\partial L/\partial \mathbf{W} \in \mathbb{R}^{G_SHAPE}$.")


def _declarations(w="d \\times h", h="n \\times h", g="d \\times h") -> dict:
    text = "# A layer\n\n" + LAYER.replace("W_SHAPE", w).replace("H_SHAPE", h) \
        .replace("G_SHAPE", g) + "\n"
    claims = check_text(text, CheckOptions()).claims
    return {c.latex.split("\\in")[0].strip(): c for c in claims if c.role == "domain"}


def test_the_shape_of_a_defined_name_follows_from_the_declared_shapes():
    d = _declarations()
    h = d[r"\mathbf{H}"]
    assert h.verdict == Verdict.PROVED, h.message
    assert "line 5" in h.message and "broadcasting" in h.message and "entry by entry" in h.message
    gradient = d[r"\partial L/\partial \mathbf{W}"]
    assert gradient.verdict == Verdict.PROVED, gradient.message
    assert "`L` as a number" in gradient.message


@pytest.mark.parametrize("w, h, g, why", [
    ("h \\times d", "n \\times h", "h \\times d", "a product of a n×d and a h×d array"),  # the weights transposed
    ("d \\times h", "n \\times d", "d \\times h", "differs from n×h"),  # the output declared wrongly
])
def test_a_definition_of_another_shape_leaves_the_declaration_unchecked(w, h, g, why):
    c = _declarations(w, h, g)[r"\mathbf{H}"]
    assert c.verdict == Verdict.UNCHECKED
    assert why in c.message


def test_the_gradient_of_a_number_by_a_matrix_has_its_shape_or_is_not_proved():
    c = _declarations(g="h \\times d")[r"\partial L/\partial \mathbf{W}"]
    assert c.verdict == Verdict.UNCHECKED
    assert "differs from d×h" in c.message


def test_declarations_of_names_the_text_does_not_define_stay_declarations():
    d = _declarations()
    for name in (r"\mathbf{X}", r"\mathbf{W}", r"\mathbf{b}"):
        assert d[name].verdict == Verdict.UNCHECKED
        assert d[name].message.startswith("declares the domain")


def test_an_undeclared_bold_name_in_the_definition_gives_no_verdict():
    text = ("# t\n\nLet $\\mathbf{X} \\in \\mathbb{R}^{n \\times d}$ and "
            "$\\mathbf{H} \\in \\mathbb{R}^{n \\times h}$ with\n\n"
            "$$\\mathbf{H} = \\mathbf{X}\\mathbf{V}.$$\n")
    h = next(c for c in check_text(text, CheckOptions()).claims if c.role == "domain" and "H" in c.latex)
    assert h.verdict == Verdict.UNCHECKED and h.message == "declares the domain of math{H} (real)"


def _verdicts(text: str) -> dict[int, object]:
    return {c.line: c for c in check_text("# t\n\n" + text + "\n", CheckOptions()).claims
            if c.role not in ("definition",) and not c.message.startswith("declares the domain")}


@pytest.mark.parametrize("text", [
    # an undeclared layer matrix, a plain letter of a declared bold matrix
    r"Let $\mathbf{X} \in \mathbb{R}^{n\times d}$ and $\mathbf{H} \in \mathbb{R}^{n\times d}$ with" "\n\n"
    r"$$\mathbf{H} = \mathbf{X}\mathbf{W}^{(1)}.$$",
    r"Let $\mathbf{X} \in \mathbb{R}^{n\times d}$, $\mathbf{W} \in \mathbb{R}^{d\times h}$ and "
    r"$\mathbf{H} \in \mathbb{R}^{n\times d}$ with" "\n\n" r"$$\mathbf{H} = \mathbf{X} W.$$",
    # a plain name the text defines as a vector is no number
    r"Let $\mathbf{X} \in \mathbb{R}^{n\times d}$ and $\mathbf{w} \in \mathbb{R}^{d}$ with" "\n\n"
    r"$$L = \mathbf{X}\mathbf{w}.$$" "\n\n" r"Then $\partial L/\partial \mathbf{w} \in \mathbb{R}^{d}$.",
    # a function of a bold name (a reduction) is not applied entry by entry, nor is a max
    r"Let $s(\mathbf{z}) = \sum_i z_i$, $\mathbf{Z} \in \mathbb{R}^{n\times h}$, "
    r"$\mathbf{Y} \in \mathbb{R}^{n\times h}$ with" "\n\n" r"$$\mathbf{Y} = s(\mathbf{Z}).$$",
    r"Let $\mathbf{Z} \in \mathbb{R}^{n\times h}$ and $\mathbf{S} \in \mathbb{R}^{n\times h}$ with" "\n\n"
    r"$$\mathbf{S} = \max(\mathbf{Z}).$$",
])
def test_a_shape_that_cannot_be_told_gives_no_verdict(text):
    assert all(c.verdict != Verdict.PROVED for c in _verdicts(text).values())


@pytest.mark.parametrize("latex", [
    r"\mathbf{W}^{(2)}\mathbf{W}^{(1)}\mathbf{x} = \mathbf{W}^{(1)}(\mathbf{W}^{(2)}\mathbf{x})",
    r"\mathbf{W}_{\text{hq}}\mathbf{W}_{\text{hh}}\mathbf{h} = \mathbf{W}_{\text{hh}}\mathbf{W}_{\text{hq}}\mathbf{h}",
    r"\mathbf{x}^\top\mathbf{W}^{(1)}\mathbf{y} = \mathbf{y}^\top\mathbf{W}^{(1)}\mathbf{x}",
])
def test_layer_and_labelled_matrices_are_never_numbers_in_an_ordered_product(latex):
    c = _verdicts(f"$${latex}$$")[3]
    assert c.verdict not in (Verdict.PROVED, Verdict.CONSISTENT), c.message


def test_a_capital_the_text_sets_to_a_number_is_not_read_as_the_bold_matrix():
    c = _verdicts("Let $A = 3$ be the area.\n\n" r"$$A\mathbf{x} + \mathbf{A}\mathbf{x} = 2\mathbf{A}\mathbf{x}.$$")[5]
    assert c.verdict == Verdict.UNCHECKED and "is defined at line 3" in c.message
