"""Automatic mode on the softmax post: what is refuted is exactly what is wrong as written."""

import pytest

from mathlint.pipeline.engine import check_text
from mathlint.sources.files import read_source

#: anchor (start of the claim's normalized LaTeX) → why it is wrong as written
#: (the log-odds line is not among them: it holds reading P(y=1|x) and p(Y=1|x) as the P(Y=1|x)
#: defined above, and the case mismatch is an ML002 finding)
WRONG = {
    r"J(w) = -\frac{1}{m}\sum_{i=1}^{N}[y_i\ln P(Y=1|x_i)+(1-y_i)\ln (1-\ln P":
        "log(1-logP) where log(1-P) is meant; the two restatements below agree with each other, not with it",
    r"\frac{\partial J(w)}{\partial w} = ": "x_I for x_i inside the sum",
    r"\frac{\partial J(w)}{\partial w_j} = ": "P(Y=1|x) for P(Y=1|x_i): the component gradient does not depend on i",
    r"\frac{\partial \frac{e^{o_j}}{\sum_{k} e^{o_k}}}{\partial o_i} = ":
        "∂e^{o_j}/∂e^{o_i} (= 1 when i = j) where ∂e^{o_j}/∂o_i is meant",
    r"\frac{\partial e^{o_j}}{\partial e^{o_i}} = e^{o_i}": "same slip: ∂e^{o_i}/∂e^{o_i} is 1, not e^{o_i}",
}


@pytest.fixture(scope="module", params=["example", "shared-post"])
def result(request):
    from conftest import EXAMPLE, SHARED_POST
    path = EXAMPLE if request.param == "example" else SHARED_POST
    if not path.exists():
        pytest.skip("../shared/posts/softmax-post.md is not beside this checkout")
    return check_text(read_source(path))


def test_refuted_claims_are_exactly_the_errors(result):
    refuted = [c.latex for c in result.claims if c.verdict == "refuted"]
    matched = {a for a in WRONG if any(r.startswith(a) for r in refuted)}
    assert matched == set(WRONG)
    assert len(refuted) == len(WRONG), refuted


def test_every_refutation_has_a_counterexample(result):
    for c in result.claims:
        if c.verdict == "refuted":
            assert c.counterexample, c.latex


def test_last_step_of_the_softmax_gradient_needs_sum_of_labels(result):
    last = [c for c in result.claims if c.latex.endswith("= p_i-y_i")]
    assert len(last) == 1
    assert last[0].verdict == "needs-assumption"
    assert last[0].assumptions == [r"\sum_{j} y_{j} = 1"]


def test_the_rest_of_the_chain_is_proved(result):
    (last,) = [c for c in result.claims if c.latex.endswith("= p_i-y_i")]
    chain = [c for c in result.claims if c.role == "step" and c.line == last.line]
    assert len(chain) == 7
    assert [c.verdict for c in chain[:-1]] == ["proved"] * 6


def test_restatements_agree_once_the_typo_is_blamed(result):
    restated = [c for c in result.claims if c.role == "restatement" and c.latex.startswith("J(w)")]
    assert [c.verdict for c in restated] == ["proved", "proved"]


def test_unchecked_claims_say_why(result):
    for c in result.claims:
        if c.verdict in ("unchecked", "unparsed", "timeout"):
            assert c.message, c.latex
    assert not [c for c in result.claims if c.verdict in ("unparsed", "timeout")]
