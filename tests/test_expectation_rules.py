"""The rules of expectation with what the text says: a name written outside every ``E`` read as a
constant, a normal law the text states (``w \\sim \\mathcal{N}(\\mu, \\sigma^2)``) giving ``E[w]`` and
``E[w^2]``, and independence only where the prose states it. Each reading is named in the verdict;
true steps are proved, single-edit mutants never are, and nothing is refuted under a reading."""

from __future__ import annotations

import pytest

from mathlint.model import Verdict
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

HOLDS = (Verdict.PROVED, Verdict.CONSISTENT)


def _steps(text: str) -> dict[str, object]:
    result = check_text(text, CheckOptions())
    return {c.latex: c for c in result.claims if c.role in ("step", "equation", "restatement")}


def _one(text: str, latex: str):
    steps = _steps(text)
    assert latex in steps, list(steps)
    return steps[latex]


LAW = "# t\n\nLet $u \\sim \\mathcal{{N}}(\\mu, \\sigma^2)$ be drawn once.\n\n$${}$$\n"


@pytest.mark.parametrize("chain, step", [
    (r"E[2u + 1] = 2E[u] + 1 = 2\mu + 1", r"2E[u] + 1 = 2\mu + 1"),
    (r"\mathrm{Var}(3u) = 9\mathrm{Var}(u) = 9\sigma^2", r"9\operatorname{Var}(u) = 9\sigma^2"),
    (r"\mathrm{Var}(u) = E[u^2] - E[u]^2 = \sigma^2", r"E[u^2] - E[u]^2 = \sigma^2"),
    (r"E[u^2] = E[u u] = \sigma^2 + \mu^2", r"E[u u] = \sigma^2 + \mu^2"),
])
def test_a_stated_normal_law_gives_the_moments_and_is_named(chain, step):
    claim = _one(LAW.format(chain), step)
    assert claim.verdict == Verdict.PROVED, claim.reason
    assert r"u \sim \mathcal{N}(\mu, \sigma^2) as stated (line 3)" in claim.reason


@pytest.mark.parametrize("chain, step", [
    (r"E[2u + 1] = 2E[u] + 1 = 2\mu", r"2E[u] + 1 = 2\mu"),  # a term dropped
    (r"\mathrm{Var}(3u) = 9\mathrm{Var}(u) = 3\sigma^2", r"9\operatorname{Var}(u) = 3\sigma^2"),  # a factor
    (r"\mathrm{Var}(u) = E[u^2] - E[u]^2 = \sigma^2 - \mu^2", r"E[u^2] - E[u]^2 = \sigma^2 - \mu^2"),
    (r"E[u^2] = E[u u] = \sigma^2", r"E[u u] = \sigma^2"),  # the second moment is not the variance
])
def test_a_mutant_under_a_stated_law_is_never_proved_nor_refuted(chain, step):
    claim = _one(LAW.format(chain), step)
    assert claim.verdict == Verdict.UNCHECKED, claim.reason
    assert "refuted only reading" in claim.reason


def test_a_step_between_expectations_does_not_use_the_law():
    # E[2u + 1] = 2E[u] + 3 is true for no law: the stated mean must not make both sides a number
    claim = _one(LAW.format(r"E[2u + 1] = 2E[u] + 3"), r"E[2u + 1] = 2E[u] + 3")
    assert claim.verdict not in HOLDS, claim.reason


def test_a_later_statement_about_the_whole_name_shadows_its_components():
    text = ("# t\n\nLet $w_0, w_1 \\sim \\mathcal{N}(0, 1)$ and later $w \\sim \\mathcal{N}(m, S)$.\n\n"
            "$$E[w_0] + E[w_1] x = 0 + 0$$\n")
    claim = _one(text, r"E[w_0] + E[w_1] x = 0 + 0")
    assert claim.verdict not in HOLDS, claim.reason


def test_the_law_of_an_earlier_section_is_in_force_and_a_bare_name_is_a_constant():
    text = ("# t\n\nSuppose $f(x) = w_0 + w_1 x$ and $w_0, w_1 \\sim \\mathcal{N}(0,1)$.\n\n## Mean\n\n"
            "$$m(x) = E[w_0 + w_1x] = E[w_0] + E[w_1]x = 0+0$$\n")
    steps = _steps(text)
    linear, value = steps[r"E[w_0 + w_1x] = E[w_0] + E[w_1]x"], steps[r"E[w_0] + E[w_1]x = 0+0"]
    assert linear.verdict == Verdict.PROVED and "reading x as constant under E" in linear.reason
    assert value.verdict == Verdict.PROVED and r"w_0, w_1 \sim \mathcal{N}(0,1) as stated (line 3)" in value.reason


def test_a_name_the_prose_makes_random_is_not_read_as_a_constant():
    text = ("# t\n\nThe inputs $x_j$ are random, and so are the weights $w_{ij}$.\n\n"
            "$$\\sum_j E[w_{ij} x_j] = \\sum_j E[w_{ij}] x_j$$\n")
    claim = _one(text, r"\sum_{j} E[w_{ij} x_j] = \sum_{j} E[w_{ij}] x_j")
    assert claim.verdict == Verdict.UNCHECKED and "not read as constant" in claim.reason


def test_a_name_stated_random_is_not_read_as_a_constant():
    text = "# t\n\nLet $c \\sim \\mathcal{N}(0, 1)$ and $V \\sim \\mathcal{N}(0, 1)$.\n\n$$E[c V] = c E[V]$$\n"
    claim = _one(text, r"E[c V] = c E[V]")
    assert claim.verdict not in HOLDS, claim.reason


INDEPENDENT = ("# t\n\nThe weights $w_{{ij}}$ are drawn independently, and the inputs $x_j$ are independent of "
               "$w_{{ij}}$.\nWe compute:\n\n$${}$$\n\nand the second moment:\n\n$${}$$\n")


def test_independence_the_prose_states_factors_the_expectation_and_is_named():
    text = INDEPENDENT.format(r"\sum_{j=1}^{n} E[w_{ij} x_j] = \sum_{j=1}^{n} E[w_{ij}] E[x_j]",
                              r"\sum_{j=1}^{n} E[w^2_{ij} x^2_j] = \sum_{j=1}^{n} E[w^2_{ij}] E[x^2_j]")
    for claim in _steps(text).values():  # the second display goes on with the sentence of the first
        assert claim.verdict == Verdict.PROVED, claim.reason
        assert "reading w, x as independent, as the prose says" in claim.reason


@pytest.mark.parametrize("wrong", [
    r"\sum_{j=1}^{n} E[w_{ij} x_j] = \sum_{j=1}^{n} E[w_{ij}] + E[x_j]",
    r"\sum_{j=1}^{n} E[w^2_{ij} x_j] = \sum_{j=1}^{n} E[w_{ij}]^2 E[x_j]",  # a square moved out
    r"\sum_{j=1}^{n} E[w_{ij} w_{ik}] = \sum_{j=1}^{n} E[w_{ij}] E[w_{ik}]",  # j = k: the same weight
])
def test_independence_never_proves_a_mutant(wrong):
    (claim,) = [c for c in _steps(INDEPENDENT.format(wrong, "a = a")).values() if c.latex != "a = a"]
    assert claim.verdict not in HOLDS and claim.verdict != Verdict.REFUTED, claim.reason


@pytest.mark.parametrize("prose", [
    "The inputs $a$ and $b$ are not independent.",
    "Here $a$ and $b$ are dependent, unlike independent draws.",
    "Nothing is said of $a$ and $b$.",
])
def test_independence_is_never_assumed_where_the_prose_does_not_state_it(prose):
    claim = _one(f"# t\n\n{prose}\n\n$$E[a b] = E[a] E[b]$$\n", r"E[a b] = E[a] E[b]")
    assert claim.verdict not in HOLDS, claim.reason


def _verdicts(text: str) -> dict[str, Verdict]:
    return {c.latex: c.verdict for c in check_text(text, CheckOptions()).claims}


def test_an_operator_the_text_defines_itself_gets_no_rule_of_probability():
    # the text's own E is a polynomial: E(3) = 9 is its value, not the constant 3 of E[c] = c
    for definition in (r"E(t) = t^2", r"E(t+1) = (t+1)^2"):
        verdicts = _verdicts(f"# t\n\nLet ${definition}$. Then $E(3) = 9$, and also $E(5) = 5$.\n")
        assert verdicts["E(3) = 9"] != Verdict.REFUTED and verdicts["E(5) = 5"] not in HOLDS, verdicts


@pytest.mark.parametrize("prose", [
    "Let $a$ and $c$ be independent, and let $b$ be a function of $a$.",
    "Here $a$ is independent of $c$, while $b$ depends on $a$.",
    "Assume $a$ is independent of $b$ and of $c$, and $c = b$.",
    "The variables $a$, $b$ and $c$ are pairwise independent.",
    "The variables $a$ and $b$ are conditionally independent given $c$.",
    "Here $a$ and $b$ are uncorrelated, and independent only if jointly Gaussian.",
])
def test_independence_is_read_only_where_the_prose_states_it_plainly(prose):
    text = (f"# t\n\n{prose} Then\n$$E[a b c] = E[a] E[b] E[c]$$\nand\n$$E[b c] = E[b] E[c]$$\n"
            "and\n$$E[a b] = E[a] E[b]$$\n")
    held = {k: v for k, v in _verdicts(text).items() if k.startswith("E[") and v in HOLDS}
    assert not held, held


def test_a_condition_after_the_claim_is_not_a_statement_of_independence():
    text = "# t\n\nOne may write\n$$E[a b] = E[a] E[b],$$\nwhich holds only if $a$ and $b$ are independent.\n"
    assert _verdicts(text)["E[a b] = E[a] E[b]"] not in HOLDS


@pytest.mark.parametrize("prose, claim", [
    ("The draws $u_1$ and $u_2$ are independent. The draw $u_0$ is a copy of $u_1$.", r"E[u_0 u_1] = E[u_0] E[u_1]"),
    ("The draws $u_2$ and $u_3$ are independent, and we set $u_1 := u_2$.", r"E[u_1 u_2] = E[u_1] E[u_2]"),
])
def test_independence_holds_of_the_very_indexed_names_the_prose_gives(prose, claim):
    text = f"# t\n\n{prose} We compute\n$${claim}$$\n"
    assert _verdicts(text)[claim] not in HOLDS


def test_independent_components_the_prose_names_still_factor():
    text = "# t\n\nThe draws $u_1$ and $u_2$ are independent. We compute\n$$E[u_1 u_2] = E[u_1] E[u_2]$$\n"
    assert _verdicts(text)[r"E[u_1 u_2] = E[u_1] E[u_2]"] == Verdict.PROVED


@pytest.mark.parametrize("prose", [
    "Let $a$ and $b$ be Gaussian variables with mean zero.",
    "Let $a$ be a stochastic input and $b$ a stochastic target.",
    "The input $a$ follows the data distribution, as does $b$.",
    "Both $a$ and $b$ come from the data distribution.",
    "Let $b \\sim \\mathcal{N}(0, 1)$ and let $a$ be the label. Since $a$ depends on $b$, it is no constant.",
    "Let $a$ be a random input.\n\nWe now turn to the weight $b$ alone.",
])
def test_a_name_its_section_makes_random_is_not_read_as_a_constant(prose):
    text = f"# t\n\n{prose}\n\n$$E[a b] = a E[b]$$\n"
    assert _verdicts(text)[r"E[a b] = a E[b]"] not in HOLDS


@pytest.mark.parametrize("law, value", [
    (r"Let $m \sim \mathcal{N}(0, 1)$ and, given it, $u \sim \mathcal{N}(m, 1)$.", r"E[u^2] = m^2 + 1"),
    (r"Let $u \sim \mathcal{N}(0, s)$ with standard deviation $s$.", r"3E[u^2] = 3s"),
])
def test_a_law_with_random_or_ambiguous_parameters_gives_no_moments(law, value):
    assert _verdicts(f"# t\n\n{law} We compute\n$${value}$$\n")[value] not in HOLDS


def test_a_law_of_an_example_ends_at_the_next_heading():
    text = ("# t\n\nFor example, take $u \\sim \\mathcal{N}(5, 1)$ as a toy case.\n\n## General\n\n"
            "Now let $u$ be any random variable with mean zero.\n\n$$E[u] + 1 = 6$$\n")
    assert _verdicts(text)["E[u] + 1 = 6"] not in HOLDS
    same = "# t\n\nFor example, take $u \\sim \\mathcal{N}(5, 1)$ as a toy case. We compute\n$$E[u] + 1 = 6$$\n"
    assert _verdicts(same)["E[u] + 1 = 6"] == Verdict.PROVED


def test_an_expectation_written_as_a_function_of_a_name_holds_it_fixed():
    # the section draws a at random, but m(a) = E[…] makes the expectation a function of a
    text = ("# t\n\nWe draw $a$ at random and $b$ at random.\n\n## Mean\n\nThe mean function is\n\n"
            "$$m(a) = E[b a] = E[b] a$$\n")
    assert _verdicts(text)["E[b a] = E[b] a"] == Verdict.PROVED
    text = text.replace("m(a) = ", "")  # nothing holds a fixed: the section made it random
    assert _verdicts(text)["E[b a] = E[b] a"] not in HOLDS
