"""Chain rules written with bare names (``\\partial f/\\partial a``) of functions the text defines
(``f(u, v) = …``, ``u(a, b) = …``): read through the network the definitions draw, proved where they
hold, never refuted (the text may mean another network) nor proved through a derivative that is
zero only because a name does not depend on the variable."""

import pytest

from mathlint.model import Verdict
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

NETWORK = (r"$$\begin{aligned} f(p, q) & = (p q + 1)^2 \\ p(s, t) & = s + 2t, \qquad q(s, t) = s t^2, \\ "
           r"s(x, y) & = x^2 - y, \qquad t(x, y) = x y \end{aligned}$$")


def _claims(body: str, defs: str = NETWORK):
    text = f"# Network\n\nLet\n\n{defs}\n\nThen\n\n{body}\n"
    result = check_text(text, CheckOptions())
    return [c for c in result.claims if c.role != "definition"]


def _verdict(claim_latex: str, defs: str = NETWORK):
    (claim,) = _claims(f"$${claim_latex}$$", defs)
    return claim


@pytest.mark.parametrize("latex", [
    r"\frac{\partial f}{\partial p} = 2(p q + 1) q",  # an own parameter: the other held
    r"\frac{\partial q}{\partial t} = 2 s t",
    r"\frac{\partial s}{\partial x} = 2x",
    r"\frac{\partial f}{\partial s} = \frac{\partial f}{\partial p}\frac{\partial p}{\partial s}"
    r" + \frac{\partial f}{\partial q}\frac{\partial q}{\partial s}",  # through p and q, s held
    r"\frac{\partial f}{\partial x} = \frac{\partial f}{\partial s}\frac{\partial s}{\partial x}"
    r" + \frac{\partial f}{\partial t}\frac{\partial t}{\partial x}",
    r"\frac{\partial p}{\partial y} = \frac{\partial p}{\partial s}\frac{\partial s}{\partial y}"
    r" + \frac{\partial p}{\partial t}\frac{\partial t}{\partial y}",
])
def test_chain_rule_through_the_defined_network_is_proved(latex):
    claim = _verdict(latex)
    assert claim.verdict == Verdict.PROVED, claim.reason
    assert "line 5" in claim.reason  # the definitions it read them through


@pytest.mark.parametrize("latex", [
    r"\frac{\partial f}{\partial p} = 2(p q + 1) p",  # the wrong factor
    r"\frac{\partial q}{\partial t} = s t",
    r"\frac{\partial s}{\partial y} = 1",  # the sign
    r"\frac{\partial f}{\partial s} = \frac{\partial f}{\partial p}\frac{\partial p}{\partial s}"
    r" - \frac{\partial f}{\partial q}\frac{\partial q}{\partial s}",
    r"\frac{\partial f}{\partial x} = \frac{\partial f}{\partial s}\frac{\partial s}{\partial y}"
    r" + \frac{\partial f}{\partial t}\frac{\partial t}{\partial x}",  # a swapped variable
])
def test_a_wrong_chain_rule_is_left_unchecked_not_refuted(latex):
    claim = _verdict(latex)
    assert claim.verdict == Verdict.UNCHECKED
    assert "another dependence" in claim.reason and "line 5" in claim.reason


def test_a_path_the_definitions_do_not_draw_is_not_read():
    """``\\partial s/\\partial p`` is zero only because s does not depend on p: such a claim (another
    network's, as in a figure) is neither proved nor refuted."""
    claim = _verdict(r"\frac{\partial f}{\partial x} = \frac{\partial f}{\partial s}\frac{\partial s}{\partial p}"
                     r"\frac{\partial p}{\partial x} + \frac{\partial f}{\partial t}\frac{\partial t}{\partial x}")
    assert claim.verdict == Verdict.UNCHECKED
    assert "zero only because s does not depend on p" in claim.reason
    assert _verdict(r"\frac{\partial s}{\partial p} = 0").verdict == Verdict.UNCHECKED


def test_a_partial_by_a_parameter_another_parameter_depends_on_is_ambiguous():
    defs = r"$$g(r, x) = r x, \qquad r(x) = x^2.$$"
    claim = _verdict(r"\frac{\partial g}{\partial x} = r", defs)
    assert claim.verdict == Verdict.UNCHECKED and "ambiguous" in claim.reason
    assert _verdict(r"\frac{\partial g}{\partial r} = x", defs).verdict == Verdict.PROVED  # x does not depend on r


def test_the_definition_in_force_at_the_claim_is_used():
    text = ("# One\n\nLet\n\n$$h(x) = x^2$$\n\nso\n\n$$\\frac{dh}{dx} = 2x$$\n\n"
            "# Two\n\nNow let\n\n$$h(x) = x^3$$\n\nso\n\n$$\\frac{dh}{dx} = 3x^2$$\n\nand\n\n$$\\frac{dh}{dx} = 2x$$\n")
    claims = [c for c in check_text(text, CheckOptions()).claims if c.role != "definition"]
    assert [str(c.verdict) for c in claims] == ["proved", "proved", "unchecked"]
    assert "line 5" in claims[0].reason and "line 15" in claims[1].reason


def test_bold_names_are_not_read_as_numbers():
    defs = r"$$L(\mathbf{W}) = \mathbf{W}^2$$"
    claim = _verdict(r"\frac{\partial L}{\partial \mathbf{W}} = 2 \mathbf{W}", defs)
    assert claim.verdict != Verdict.PROVED


def test_a_greek_name_is_one_node_as_function_and_as_symbol():
    defs = r"$$\sigma(x) = \frac{1}{1 + e^{-x}}$$"
    assert _verdict(r"\frac{d\sigma}{dx} = \sigma (1 - \sigma)", defs).verdict == Verdict.PROVED
    assert _verdict(r"\frac{d\sigma}{dx} = \sigma (1 + \sigma)", defs).verdict == Verdict.UNCHECKED


def test_only_equations_and_first_derivatives_are_read():
    for latex in (r"\frac{\partial f}{\partial p} \ge 0", r"\frac{\partial^2 f}{\partial p^2} = 2 q^2"):
        claim = _verdict(latex)
        assert claim.verdict == Verdict.UNCHECKED and "network" not in claim.reason


COMPOSED = r"$$f(u) = u^2, \qquad u(x) = 3x.$$"


@pytest.mark.parametrize("latex", [
    r"\frac{d}{dx} f(u) = 6u",  # u is the function u(x): d/dx of f(u) is not 0
    r"f'(u) \cdot u'(x) = 18x",  # the bare u may mean u(x)
    r"\frac{d}{dx} f(u) = 3u",
])
def test_a_bare_name_of_a_defined_function_read_as_a_number_refutes_nothing(latex):
    """``f(u)`` with ``u(x)`` defined: read as a number, u is constant under d/dx (``0 = 6u`` was refuted)."""
    claim = _verdict(latex, COMPOSED)
    assert claim.verdict == Verdict.UNCHECKED and "which the text defines as a function" in claim.reason, \
        claim.reason
