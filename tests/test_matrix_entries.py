"""Entries of matrix expressions (``[\\mathbf U\\mathbf V]_{ib}``), the case tie of ``u_{ik}`` to
``\\mathbf U``, and a bare capital read as the bold matrix (``check/entries``, ``latex/matprod``)."""

import pytest

from mathlint.latex.matprod import plain_matrices
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _verdicts(body: str) -> dict[int, tuple[str, str]]:
    text = "# t\n\nSome matrices.\n\n" + "\n\n".join(f"$${b}$$" for b in body) + "\n"
    result = check_text(text, CheckOptions())
    return {c.line: (str(c.verdict), c.reason) for c in result.claims}


def _one(latex: str) -> tuple[str, str]:
    (got,) = _verdicts([latex]).values()
    return got


HOLDS = [
    r"\sum_k u_{ik}v_{kj} = [\mathbf{U}\mathbf{V}]_{ij}",
    r"x_{ij} - \sum_k u_{ik}v_{kj} = [\mathbf{X}-\mathbf{U}\mathbf{V}]_{ij}",
    r"\sum_k u_{ki}v_{kj} = [\mathbf{U}^\top\mathbf{V}]_{ij}",
    r"[\mathbf{P} + \mathbf{Q}]_{ij} = p_{ij} + q_{ij}",
    r"\|\mathbf{W}\|_F = \sqrt{\sum_{i=1}^m \sum_{j=1}^n w_{ij}^2}",
    r"\frac{\partial}{\partial v_{ab}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_2^2 = "
    r"-2\sum_i \left(x_{ib} - \sum_k u_{ik}v_{kb}\right)u_{ia}",
    r"\frac{\partial}{\partial v_{ab}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_2^2 = "
    r"-2[\mathbf{U}^\top(\mathbf{X}-\mathbf{U}\mathbf{V})]_{ab}",
    r"[\mathbf{A}\mathbf{B}]_{ij} = [\mathbf{B}^\top\mathbf{A}^\top]_{ji}",
]


@pytest.mark.parametrize("latex", HOLDS)
def test_an_entry_of_a_matrix_expression_is_computed(latex):
    verdict, reason = _one(latex)
    assert verdict == "proved", reason


@pytest.mark.parametrize("latex", [
    r"\sum_k u_{ik}v_{kj} = [\mathbf{V}\mathbf{U}]_{ij}",  # swapped order
    r"\sum_k u_{ik}v_{kj} = [\mathbf{U}\mathbf{V}]_{ji}",  # swapped indices
    r"\sum_k u_{ki}v_{kj} = [\mathbf{U}\mathbf{V}]_{ij}",  # transpose lost
    r"x_{ij} + \sum_k u_{ik}v_{kj} = [\mathbf{X}-\mathbf{U}\mathbf{V}]_{ij}",  # sign
    r"[\mathbf{P} + \mathbf{Q}]_{ij} = p_{ij} + q_{ji}",
    r"\|\mathbf{W}\|_F = \sum_{i=1}^m \sum_{j=1}^n w_{ij}^2",  # the root lost
    r"\frac{\partial}{\partial v_{ab}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_2^2 = "
    r"2\sum_i \left(x_{ib} - \sum_k u_{ik}v_{kb}\right)u_{ia}",
    r"\frac{\partial}{\partial v_{ab}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_2^2 = "
    r"-2[\mathbf{U}^\top(\mathbf{X}-\mathbf{U}\mathbf{V})]_{ba}",
])
def test_a_wrong_entry_identity_is_not_confirmed_nor_refuted_under_the_tie(latex):
    verdict, reason = _one(latex)
    assert verdict == "unchecked", reason


def test_the_verdict_names_the_tie_of_entries_to_the_bold_name():
    verdict, reason = _one(r"\sum_k u_{ik}v_{kj} = [\mathbf{U}\mathbf{V}]_{ij}")
    assert verdict == "proved"
    assert r"`u_{ij}` as the entries of `\mathbf{U}`" in reason


def test_entries_of_a_name_with_its_bold_vector_are_not_tied():
    # ``\mathbf u`` beside ``u_{ik}``: the components of a vector may be meant, not a matrix's entries
    verdict, reason = _one(r"\mathbf{u}^\top\mathbf{u} + \sum_k u_{ik}v_{kj} = [\mathbf{U}\mathbf{V}]_{ij}")
    assert "as the entries of" not in reason


@pytest.mark.parametrize("latex, letters", [
    (r"\mathbf{x}^\top A \mathbf{x}", ["A"]),
    (r"\mathbf{y}^\top A^\top \mathbf{x}", ["A"]),
    (r"A\mathbf{x} + \mathbf{A}\mathbf{y}", ["A"]),
    (r"P \mathbf{x}", []),  # no bold twin, not between vectors: a number
    (r"\mathbf{x}^\top A", []),
])
def test_a_bare_capital_is_a_matrix_only_where_the_text_makes_it_one(latex, letters):
    assert plain_matrices(latex) == letters


def test_a_bare_capital_between_vectors_is_read_as_the_matrix_and_named():
    verdict, reason = _one(r"\mathbf{x}^\top A \mathbf{y} = \mathbf{y}^\top A^\top \mathbf{x}")
    assert verdict == "proved", reason
    assert r"`A` as the matrix `\mathbf{A}`" in reason


def test_a_gradient_with_a_bare_capital_holds_in_the_denominator_layout():
    verdict, reason = _one(r"\frac{d}{d\mathbf{x}}(\mathbf{x}^\top A \mathbf{x}) = "
                           r"(\mathbf{A} + \mathbf{A}^\top)\mathbf{x}")
    assert verdict == "proved", reason
    assert "denominator layout" in reason


@pytest.mark.parametrize("latex", [
    r"\frac{d}{d\mathbf{x}}(\mathbf{x}^\top A \mathbf{x}) = 2\mathbf{A}\mathbf{x}",  # only for a symmetric A
    r"\frac{d}{d\mathbf{x}}(\mathbf{x}^\top A \mathbf{x}) = (\mathbf{A} - \mathbf{A}^\top)\mathbf{x}",
    r"\mathbf{x}^\top A \mathbf{y} = \mathbf{y}^\top A \mathbf{x}",
])
def test_a_wrong_claim_with_a_bare_capital_is_not_confirmed(latex):
    verdict, reason = _one(latex)
    assert verdict not in ("proved", "consistent"), reason


def test_einstein_summation_with_a_bare_capital_and_its_entries():
    text = ("# t\n\nWe use Einstein notation: repeated indices are summed.\n\n"
            "$$\\mathbf{x}^\\top A \\mathbf{x} = x_ia_{ij}x_j.$$\n\n"
            "Also with Einstein notation\n\n$$\\mathbf{x}^\\top A \\mathbf{x} = x_ia_{ji}x_j.$$\n\n"
            "And with Einstein notation\n\n$$\\mathbf{x}^\\top A \\mathbf{x} = x_ia_{ij}x_i.$$\n")
    claims = {c.line: c for c in check_text(text, CheckOptions()).claims}
    first, second, third = (claims[k] for k in sorted(claims))
    assert str(first.verdict) == "proved", first.reason
    assert "Einstein" in first.reason and "as the entries of" in first.reason
    assert str(second.verdict) == "proved", second.reason  # x^T A x = x^T A^T x
    assert str(third.verdict) == "unchecked", third.reason


def test_a_function_of_a_matrix_entry_is_left_unchecked():
    verdict, reason = _one(r"\operatorname{softmax}(\mathbf{X})_{ij} = "
                           r"\frac{\exp(\mathbf{X}_{ij})}{\sum_k \exp(\mathbf{X}_{ik})}")
    assert verdict == "unchecked", reason
