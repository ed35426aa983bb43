"""The softmax post with its encoded derivation: every error found, with its line and fix.

Runs on the bundled example and, when ../shared is beside the checkout, on the real post.
"""

import re

import pytest

from mathlint.derivations import REGISTRY
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.sources.files import read_source

DERIVATION = REGISTRY["softmax"]


def _line(text: str, needle: str, nth: int = 0) -> int:
    hits = [k + 1 for k, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth]


@pytest.fixture(scope="module", params=["example", "shared-post"])
def post(request):
    from conftest import EXAMPLE, SHARED_POST
    path = EXAMPLE if request.param == "example" else SHARED_POST
    if not path.exists():
        pytest.skip("../shared/posts/softmax-post.md is not beside this checkout")
    text = read_source(path)
    return text, check_text(text, CheckOptions(suggest=True), derivation=DERIVATION)


def _refuted_at(result, line):
    return [c for c in result.claims if c.line == line and c.verdict == "refuted"]


def test_headline_typo_is_refuted_with_its_fix_and_the_next_line_is_not_blamed(post):
    text, result = post
    line = _line(text, "log(1-logP")
    refuted = _refuted_at(result, line)
    assert refuted and all(c.counterexample for c in refuted)
    fixes = [c.suggestion for c in refuted if c.suggestion]
    assert fixes and r"log(1-P(Y=1\mid x_i))" in fixes[0].latex
    assert "log(1-logP" not in fixes[0].latex and fixes[0].message == "remove `log`"
    following = _line(text, r"\lbrack y_i log")
    assert _refuted_at(result, following) == []


#: every error of the post as written: (needle on its line, occurrence, how mathlint reports it, why)
ERRORS = [
    (r"log\frac{P(y=1|x)}{1-p(Y=1|x)}", 0, "ML002",
     "P(y=1|x) and p(Y=1|x) differ from the model P(Y=1|x) only in case: read as it, the log-odds are w·x"),
    ("T={(x_1,y_1)", 0, "ML004", "`{…}` prints no braces: the training set is not shown as a set"),
    (r"x_i\in R^n", 0, "ML005", "R^n is R to the power n, not the space ℝⁿ"),
    (r"$P(Y=1\mid x)$", 0, "refuted", "the prose gives P(Y=1|x) as a negative sample's factor and "
                                      "1-P(Y=1|x) as a positive one's: swapped"),
    ("log(1-logP", 0, "refuted", "log(1-logP(Y=1|x_i)) where log(1-P(Y=1|x_i)) is meant"),
    ("x_I)}", 0, "refuted+ML003", "x_I for x_i inside the sum"),
    ("x_I)}", 0, "ML101", "1/m with a sum to N: the step assumes m = N without saying so"),
    (r"(P(Y=1|x)-y_i)x_{ij}", 0, "refuted", "P(Y=1|x) for P(Y=1|x_i): the component does not depend on i"),
    (r"\frac{\partial e^{o_j}}{\partial e^{o_i}}\sum_k", 0, "refuted",
     "∂e^{o_j}/∂e^{o_i} (which is 1 for i = j) where ∂e^{o_j}/∂o_i is meant"),
    (r"\frac{\partial e^{o_j}}{\partial e^{o_i}}=e^{o_i}", 0, "refuted", "same slip in the inline case i = j"),
    (r"=p_i-y_i", 0, "needs-assumption+ML101", "p_i·Σ_j y_j − y_i = p_i − y_i only if Σ_j y_j = 1 (one-hot y), "
                                               "which the post never states"),
    (r"X^T\cdot scores", 0, "ML003", "`scores` where `dscores` is meant"),
    ("W += -step_size * dW", 0, "ML200", "a full-width space U+3000 before the comment: not valid Python"),
    ("b += -step_size * db", 0, "refuted", "db is used but this snippet never computes it"),
]


@pytest.mark.parametrize("needle,nth,how,why", ERRORS, ids=[e[3][:40] for e in ERRORS])
def test_every_error_is_reported_at_its_line(post, needle, nth, how, why):
    text, result = post
    line = _line(text, needle, nth)
    for kind in how.split("+"):
        if kind in ("refuted", "needs-assumption"):
            assert [c for c in result.claims if c.line == line and c.verdict == kind], (line, why)
        else:
            assert [f for f in result.findings if f.line == line and f.rule == kind], (line, why)


def test_the_swapped_factors_are_both_refuted(post):
    text, result = post
    line = _line(text, r"$P(Y=1\mid x)$")
    assert len([c for c in _refuted_at(result, line) if c.role == "derivation"]) == 2


def test_no_other_claim_is_refuted(post):
    text, result = post
    error_lines = {_line(text, n, k) for n, k, how, _ in ERRORS if "refuted" in how}
    wrong = [(c.line, c.latex) for c in result.claims if c.verdict == "refuted" and c.line not in error_lines]
    assert wrong == []


def test_correct_claims_are_proved_or_consistent(post):
    text, result = post
    for needle in (r"P(Y=0|x)=", r"\lbrack y_i log", r"[y_i(w\cdot x_i)", r"\mathbb{1}(y_i = k)",
                   r"p_i(1 - p_i),\quad", r"-p_i p_j,\quad", r"\frac{d}{dw} ( \frac{1}{2} \lambda w^2)",
                   r"\frac{\partial o_j}{\partial o_i}=0"):
        line = _line(text, needle)
        checked = [c for c in result.claims if c.line == line and c.verdict not in ("unchecked",)]
        assert checked and all(c.verdict in ("proved", "consistent") for c in checked), (needle, checked)


def test_code_and_numbers(post):
    text, result = post
    by_line = {c.line: c for c in result.claims if c.role in ("code", "numbers")}
    assert by_line[_line(text, "df = [0.2, -0.7, 0.5]")].verdict == "proved"
    for needle in ("dscores = probs", "dW = np.dot(X.T, dscores)", "db = np.sum(dscores"):
        assert by_line[_line(text, needle)].verdict == "consistent", needle


def test_every_node_of_the_derivation_is_found(post):
    text, result = post
    assert [f for f in result.findings if f.rule == "ML300"] == []


def _fixed_copy(text: str) -> str:
    fixed = text.replace("log(1-logP", "log(1-P", 1)
    head, sep, body = fixed.partition("\n---\n") if fixed.startswith("---") else ("", "", fixed)
    return head + sep + "\nA paragraph added at the top, with $a = a$ in it.\n\n" + body


def _verdicts(result, skip_line):
    return [(c.role, c.latex, c.verdict) for c in result.claims if c.line != skip_line]


def test_fixing_the_typo_changes_only_that_claim(post):
    text, result = post
    fixed_text = _fixed_copy(text)
    fixed = check_text(fixed_text, CheckOptions(), derivation=DERIVATION)
    line = _line(fixed_text, r"log(1-P(Y=1\mid x_i))]")
    at_line = [c for c in fixed.claims if c.line == line]
    assert at_line and all(c.verdict in ("proved", "consistent", "unchecked") for c in at_line)
    assert any(c.verdict in ("proved", "consistent") for c in at_line)
    before = _verdicts(result, _line(text, "log(1-logP"))
    after = [v for v in _verdicts(fixed, line) if v[1] != "a = a"]
    assert after == before


def test_auto_pick_and_explicit_derivation(capsys, softmax_post, tmp_path):
    import json

    from mathlint.app.cli import main
    main(["check", str(softmax_post), "--format", "json", "--no-fix"])
    auto = json.loads(capsys.readouterr().out)
    assert any(c["role"] == "derivation" for c in auto["claims"])
    other = tmp_path / "other.md"
    other.write_text("$$(a+b)^2 = a^2 + 2ab + b^2$$\n", encoding="utf-8")
    main(["check", str(other), "--format", "json"])
    assert not any(c["role"] == "derivation" for c in json.loads(capsys.readouterr().out)["claims"])
    assert main(["check", str(other), "--derivation", "softmax", "--no-fix"]) == 0
    assert "ML300" in capsys.readouterr().out  # nothing of the derivation is found: said so


def test_refuted_claims_carry_suggestions_in_json(capsys, softmax_post):
    import json

    from mathlint.app.cli import main
    main(["check", str(softmax_post), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    typo = [c for c in doc["claims"] if c["verdict"] == "refuted" and "ln (1-\\ln P" in c["latex"]]
    assert typo and typo[0]["suggestion"]["latex"].endswith(r"log(1-P(Y=1\mid x_i))]")
    assert set(doc["findings"][0]) == {"rule", "line", "message"}
    assert re.fullmatch(r"ML\d{3}", doc["findings"][0]["rule"])
