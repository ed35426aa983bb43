"""One equation pair at a time (``mathlint.pipeline.equiv``): readings the pair benchmark found wrong, and
a sample of the benchmark's corpus (its truth checked numerically when it was built)."""

import json

import pytest
from conftest import ROOT

from mathlint.options import CheckOptions
from mathlint.pipeline.equiv import domain_assumptions, equivalent

OPTS = CheckOptions(jobs=1, timeout=10)

READINGS = [
    # second-order operator with d: \frac{d^2}{dx^2}
    (r"\frac{d^{2}}{dx^{2}} x^{4}", r"12x^{2}", True),
    (r"\frac{d^2}{dx^2} x^{4}", r"4x^{3}", False),
    # the operator applies to the power of the bracket, not to the bracket alone
    (r"\frac{\partial}{\partial w}(y - wx)^2", r"-2x(y - wx)", True),
    (r"\frac{\partial}{\partial w}\left(y - wx\right)^{2}", r"-2(y - wx)", False),
    # \gamma is a variable (a discount factor), not Euler's constant
    (r"\sum_{t=1}^{T} \gamma^{t}", r"\frac{\gamma(1-\gamma^{T})}{1-\gamma}", True),
    (r"\gamma + 1", r"1 + \gamma", True),
    # T as a bound or a power, not a transpose the grammar drops
    (r"\sum_{t=0}^{T-1} a^{t}", r"\frac{1-a^{T}}{1-a}", True),
    (r"\sum_{t=0}^{T-1} a^{t}", r"\frac{1-a^{T+1}}{1-a}", False),
    # inner bounds that use the outer index
    (r"\sum_{i=1}^{N}\sum_{j=i+1}^{N} x_i x_j",
     r"\frac{1}{2}\left(\left(\sum_{i=1}^{N} x_i\right)^2 - \sum_{i=1}^{N} x_i^2\right)", True),
    (r"\sum_{i=1}^{N}\sum_{j=i+1}^{N} x_i x_j", r"\sum_{i=1}^{N}\sum_{j=i}^{N} x_i x_j", False),
    # two products side by side, not nested with the index shadowed
    (r"\prod_{i=1}^{N} p^{y_i} \cdot \prod_{i=1}^{N}(1-p)^{1-y_i}", r"\prod_{i=1}^{N} p^{y_i}(1-p)^{1-y_i}", True),
    # sums from 0 index x_0
    (r"\sum_{t=0}^{T} \gamma^{t} r_t", r"r_0 + \gamma\sum_{t=0}^{T-1}\gamma^{t} r_{t+1}", True),
    (r"\sum_{i=0}^{N-1} x_i", r"\sum_{i=1}^{N} x_i", False),
]


@pytest.mark.parametrize("lhs, rhs, equal", READINGS)
def test_readings(lhs, rhs, equal):
    v = equivalent(lhs, rhs, OPTS)
    assert v.equal is equal, v


def test_a_sample_of_the_pair_corpus_is_judged_right():
    pairs = json.loads((ROOT / "benchmarks" / "pairs.json").read_text(encoding="utf-8"))["pairs"]
    sample = pairs[::12]
    verdicts = [(p, equivalent(p["lhs"], p["rhs"], OPTS, domain_assumptions(p.get("domain")))) for p in sample]
    wrong = [(p["id"], v) for p, v in verdicts if v.equal is not p["equal"]]
    assert len(sample) >= 40 and wrong == []


def test_a_log_split_holds_under_the_pair_s_stated_range_and_needs_it_otherwise():
    lhs, rhs = r"\log(\sigma^2 x)", r"2\log\sigma + \log x"
    assert equivalent(lhs, rhs, OPTS).verdict == "needs-assumption"
    v = equivalent(lhs, rhs, OPTS, domain_assumptions({"sigma": (0.05, 3.0), "x": (0.05, 3.0)}))
    assert v.verdict == "proved", v


def test_a_pair_read_in_another_role_says_so():
    """``x - (x) = x - (x) + 10^{-13}x^2`` reads as ``0 = x^2/10^{13}``, an equation to solve: no proof,
    and the verdict says how it was read (it used to be "no relation read")."""
    v = equivalent(r"x - \left(x\right)", r"x - \left(x\right) + 10^{-13} x^{2}", OPTS)
    assert v.verdict == "unchecked" and v.message.startswith("read as a to-solve")
