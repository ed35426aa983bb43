r"""Matrix names and their entries: ``u_{ik}`` read as the entries of ``\mathbf U``, a bare capital
read as the bold matrix (``latex/matprod``), and the verdict that names those readings.

A text that writes ``\mathbf U`` and ``u_{ik}`` in one claim (``\sum_k u_{ik} v_{kb} =
[\mathbf U\mathbf V]_{ib}``) means the entries of the matrix: the case tie makes ``u_{ik}`` the
entry ``(i, k)`` of ``\mathbf U``, so that the instantiation gives both one value. It is made
only where nothing else can be meant: the lower-case name is used only with two indices, no
definition in force names it (definitions are substituted before), and the claim has no bold
lower-case ``\mathbf u`` (whose components ``u_{ik}`` might be). The reading is a guess: a claim
that holds so names it, one that fails so refutes nothing.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from ..expr.printing import BOLD_NAME, tex_name
from ..expr.walk import atoms, xreplace
from ..latex.matprod import plain_matrices
from ..model import CheckResult, Verdict
from ..numeric.matshapes import bold_kind
from .outcome import HOLDS_UNDER


def _bold(letter: str) -> str:
    return f"math{{{letter}}}"


def _ties(sides: list[sp.Basic]) -> dict[str, str]:
    """Lower-case letter → the bold capital whose entries it names, in these sides."""
    symbols = {s.name for e in sides for s in atoms(e, sp.Symbol)}
    indexed = [i for e in sides for i in atoms(e, sp.Indexed)]
    bases = {i.base.label.name for i in indexed}
    out = {}
    for name in symbols:
        m = BOLD_NAME.match(name)
        letter = m.group(2) if m else ""
        if bold_kind(name) != "matrix" or len(letter) != 1 or not letter.isascii():
            continue
        plain = letter.lower()
        if plain in bases and _bold(plain) not in symbols \
                and all(len(i.indices) == 2 for i in indexed if i.base.label.name == plain) \
                and not _bare(sides, plain):
            out[plain] = name
    return out


def _bare(sides: list[sp.Basic], plain: str) -> bool:
    """``plain`` used as a name of its own (not the base of an entry)."""
    stack = list(sides)
    while stack:
        e = stack.pop()
        if isinstance(e, sp.Symbol) and e.name == plain:
            return True
        if not isinstance(e, sp.IndexedBase):
            stack.extend(e.args)
    return False


def tie(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic, dict[str, str]]:
    """The sides with each tied ``u_{ik}`` as the entry of ``\\mathbf U`` (see the module), and the
    ties made (letter → bold name)."""
    sides = [e for e in (lhs, rhs) if isinstance(e, sp.Basic)]
    ties = _ties(sides)
    if not ties:
        return lhs, rhs, {}
    mapping = {sp.IndexedBase(plain): sp.IndexedBase(bold) for plain, bold in ties.items()}
    mapping.update({sp.Symbol(plain): sp.Symbol(bold) for plain, bold in ties.items()})
    return (*(xreplace(e, mapping) if isinstance(e, sp.Basic) else e for e in (lhs, rhs)), ties)


def readings(ties: dict[str, str], latex: str) -> str:
    """The readings a verdict relies on, in words ("" for none)."""
    parts = [f"`{plain}_{{ij}}` as the entries of `{tex_name(bold)}`" for plain, bold in sorted(ties.items())]
    parts += [f"`{c}` as the matrix `\\mathbf{{{c}}}`" for c in plain_matrices(latex)]
    return "; ".join(parts)


def named(v: CheckResult, ties: dict[str, str], latex: str) -> CheckResult:
    """``v`` with the readings of matrix names it relies on named; a refutation under them is
    withdrawn (the reading may be wrong), its failure kept as a detail."""
    how = readings(ties, latex)
    if not how:
        return v
    if v.verdict in HOLDS_UNDER:
        return replace(v, reason=f"reading {how}: {v.reason}")
    if v.verdict == Verdict.REFUTED:
        return CheckResult(Verdict.UNCHECKED, reason=f"does not hold reading {how}",
                           details=(f"so read, {v.reason}", *v.details), assumptions=v.assumptions)
    return v


def redefined(claim) -> str:
    r"""Why a bare capital read as the bold matrix (``A\mathbf x`` beside ``\mathbf A``) cannot be:
    the text defines that letter itself (``A = 3``); "" otherwise."""
    plain = plain_matrices(claim.latex)
    for g in claim.definitions if plain else ():
        d = g.reference
        if isinstance(d.target, sp.Symbol) and d.target.name in plain:
            return (f"`{d.target.name}` is defined at line {d.line} (`{d.latex}`), so it is not read as the matrix "
                    f"`\\mathbf{{{d.target.name}}}`")
    return ""

