"""Readings of a claim's notation other than the literal one: case variants of undefined
functions read as one name (a claim that holds so is not refuted; the mismatch stays a notation
finding, ML002), a sum's scope widened to the terms that use its index, and the misreadings
under which a failure is no refutation (bold names as numbers, ``x^{(k)}`` as a power, label
subscripts as indices, functions and operators as factors)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import sympy as sp
from sympy.core.function import AppliedUndef

from ..claims.cues import prose_around
from ..expr.linalg import MatProd
from ..expr.printing import BOLD_NAME, tex_name
from ..expr.printing import function_label as label
from ..expr.walk import atoms, subexpressions
from ..expr.walk import replace as replace_nodes
from ..latex import superscripts
from ..latex.normalize import normalize
from ..numeric.matshapes import matrix_names
from .einstein import stated
from .powers import fails_as_powers

if TYPE_CHECKING:
    from ..claims.build import Claim


def case_reading(claim: Claim) -> dict:
    """Undefined functions of the claim that differ from another of its functions, or a defined
    one, only in case (``p(Y=1|x)``, ``P(y=1|x)`` beside ``P(Y=1|x)``) → the one read in their
    place: the defined one, else the first by name."""
    calls = {type(a) for side in (claim.lhs, claim.rhs) if side is not None
             for a in subexpressions([side], (AppliedUndef,))}
    defined = {type(g.reference.target) for g in claim.definitions if isinstance(g.reference.target, AppliedUndef)}
    groups: dict[str, set] = {}
    for fn in calls | defined:
        groups.setdefault(label(fn).lower(), set()).add(fn)
    out = {}
    for group in groups.values():
        if len({label(fn) for fn in group}) < 2 or not group & calls:
            continue
        canon = min(group, key=lambda fn: (fn not in defined, label(fn)))
        out.update({fn: canon for fn in group & calls if label(fn) != label(canon)})
    return out


def read_as(expr: sp.Basic, reading: dict) -> sp.Basic:
    return replace_nodes(expr, lambda e: isinstance(e, AppliedUndef) and type(e) in reading,
                         lambda e: reading[type(e)](*e.args), evaluate=False)


# --- readings the notation does not support (issue 16): a failure under them is no refutation ---

#: ``x^{(k)}``, ``\hat y^{(FM)}``, ``e^{(k+1)}``: a parenthesised index or label, which the grammar reads as a power
_PAREN_SUPERSCRIPT = re.compile(r"\^\s*\{\s*\(\s*(?:[A-Za-z]+|\d+|[A-Za-z]\s*[+-]\s*\d+)\s*\)\s*\}")
#: read as numbers when the grammar meets them before a name: the name → how the text writes the operator
#: (``Df(x)``, ``D_x f``: D not inside a word or a command)
_OPERATORS = {"nabla": r"\\nabla(?![A-Za-z])", "D": r"(?<![A-Za-z\\])D(?![A-Za-z]{2})"}


def _name(key: str) -> str:
    """A counterexample's value key without its index: ``p[1]`` → ``p``."""
    return key.split("[", 1)[0]


def _bold_scalar(claim: Claim, ce: dict) -> str | None:
    bold = sorted({k for k in ce.get("values", {}) if "[" not in k and BOLD_NAME.match(k)})
    if not bold:
        return None
    names = ", ".join(f"`{tex_name(k)}`" for k in bold)
    return f"mathlint reads {names} as a number (numbers commute), not as the vector or matrix the bold names"


def _paren_superscript(claim: Claim, ce: dict) -> str | None:
    """A parenthesised superscript the ``paren-superscript`` construct left a power (those it reads
    are indices or labels, and a failure under that reading is the claim's own)."""
    if _PAREN_SUPERSCRIPT.search(claim.latex) is None:
        return None
    text = normalize(claim.latex)
    left = superscripts.unread(text)
    if left:
        return f"mathlint reads `{left[0]}` as a power; the parenthesised superscript is an index or a label"
    bare = superscripts.also_bare(text)  # ``x^{(1)} + x^{(2)}`` beside ``x^{i}``: a sum written out
    if bare:
        return (f"mathlint reads `{bare}` as an index, and its name also occurs without it in the claim: "
                "the parenthesised superscript may be a power written out")
    index = superscripts.read_index(text)
    if index and not fails_as_powers(claim.latex, _defined(claim)):  # ``(x^{(1)})^2 = x^{(2)}``
        return (f"mathlint reads `{index}` as an index (an example, a layer, a step); "
                "read as a power the claim may hold")
    return None


def _defined(claim: Claim) -> set[str]:
    """The names the definitions in force for ``claim`` define (a symbol, an indexed name, a function)."""
    targets = [g.reference.target for g in claim.definitions]
    names = {t.name if isinstance(t, sp.Symbol) else t.base.label.name if isinstance(t, sp.Indexed)
             else type(t).__name__ for t in targets}
    return names | {n.replace("^{()}", "") for n in names}  # ``h^{(0)}`` defined: ``h`` read as a power


def _subscript(name: str, latex: str) -> bool:
    return bool(re.search(rf"_\s*(?:\{{\s*{re.escape(name)}\s*\}}|{re.escape(name)}(?![A-Za-z]))", latex))


def _label_subscript(claim: Claim, ce: dict) -> str | None:
    """``p_S(x) = p_T(x)`` with ``S = 1, T = 2``: a capital or word subscript names a distribution,
    it is no index that takes values; ``x_I`` beside ``x_i`` is a case slip of an index (refutable)."""
    drawn = {**ce.get("values", {}), **ce.get("instance", {})}  # an index's value, or a number drawn for it
    labels = sorted(k for k in drawn
                    if (k[:1].isupper() or len(k) > 1 and k.isalpha())
                    and _subscript(k, claim.latex) and not (k.lower() != k and _subscript(k.lower(), claim.latex)))
    if not labels:
        return None
    values = ", ".join(f"{k} = {drawn[k]}" for k in labels)
    return (f"mathlint reads the subscript{'s' * (len(labels) > 1)} {', '.join(labels)} as index values "
            f"({values}); such a subscript is a label")


def _applied_as_product(claim: Claim, ce: dict) -> str | None:
    """``\\sigma(-x)`` read as σ·(−x) (σ a function the text defines), ``E[w_0]`` as E·w₀, ``\\nabla f``
    or ``D_x f`` as a number times f: a function or an operator read as a factor."""
    defined = {fn.__name__ for g in claim.definitions for fn in [type(g.reference.target)]
               if isinstance(g.reference.target, AppliedUndef)}
    for key in ce.get("values", {}):
        name = _name(key)
        word = re.escape(tex_name(name)) + (r"(?![A-Za-z])" if len(name) > 1 else "")
        before = rf"(?<![A-Za-z\\]){word}" if len(name) == 1 else word
        if re.search(before + r"\s*\[", claim.latex) or (
                name in defined or tex_name(name) in defined) and re.search(before + r"\s*\(", claim.latex):
            return f"mathlint reads `{tex_name(name)}` as a number times what follows, not as a function applied to it"
        if name in _OPERATORS and re.search(_OPERATORS[name], claim.latex):
            return f"mathlint reads the operator `{tex_name(name)}` as a number, not as a derivative"
    return None


def _repeated_index(claim: Claim, ce: dict) -> str | None:
    """``x_i a_{ij} x_j`` with no sum: two indices each in two factors of one product are summed
    over in Einstein notation, which the free-index reading does not do."""
    for side in (claim.lhs, claim.rhs):
        if side is None:
            continue
        for mul in subexpressions([side], (sp.Mul,)):
            seen: dict = {}
            for factor in mul.args:
                for ix in {s for i in factor.atoms(sp.Indexed) for s in i.indices if isinstance(s, sp.Symbol)}:
                    seen[ix] = seen.get(ix, 0) + 1
            bound = {v for s in subexpressions([side], (sp.Sum,)) for v, *_ in s.limits}
            twice = sorted(str(ix) for ix, n in seen.items() if n >= 2 and ix not in bound)
            # ``x_i a_{ij} x_j``; one repeated index (``y_i \ln p_i``) is read as written unless the prose
            # around says repeated indices are summed
            if len(twice) >= 2 or twice and stated(" ".join(claim.extra.get("prose", ()))):
                return (f"mathlint reads the repeated index {', '.join(twice)} as one value; "
                        "the text may sum over it (Einstein notation)")
    return None


_VARIABLE_SUBSCRIPT = re.compile(r"(?<![\\A-Za-z])([A-Za-z])_\{\s*(x_\{?[A-Za-z0-9]\}?)\s*\}")


def _variable_subscript(claim: Claim, ce: dict) -> str | None:
    """``f_{x_i}``: a subscript that is a variable names a partial derivative, not the entry of f
    at the value of ``x_i`` (the index-valued reading of ``p_{y_i}``)."""
    m = _VARIABLE_SUBSCRIPT.search(claim.latex)
    if m is None:
        return None
    return f"mathlint reads `{m.group(0)}` as an entry at the value of `{m.group(2)}`; it may name a partial derivative"


def _matrix_condition(claim: Claim, ce: dict) -> str | None:
    r"""A failure read with matrices refutes only an identity in matrices drawn at random: an
    equation whose matrices are all named in the claim and drawn (two or more of them), with no
    other free name, or one of numbers only. Otherwise the relation may be a condition (``\mathbf
    A\mathbf v = \lambda\mathbf v``, ``\mathbf A\mathbf W = \mathbf W\boldsymbol\Sigma`` with
    ``\mathbf W`` given) or a property of a special matrix (``\mathbf Q^\top\mathbf Q = \mathbf I``,
    ``\mathbf x^\top\mathbf H\mathbf x \ge 0``) that the prose states."""
    sides = [e for e in (claim.lhs, claim.rhs) if isinstance(e, sp.Basic)]
    named = matrix_names(sides)
    if not named and not any(atoms(e, MatProd) or atoms(e, sp.MatrixBase) for e in sides):
        return None
    values = {_name(k) for k in ce.get("values", {})}
    drawn = {n for n in values if BOLD_NAME.match(n) and any(k.startswith(n + "[") for k in ce["values"])}
    others = sorted(values - drawn)
    if others:
        names = ", ".join(f"`{tex_name(n)}`" for n in others)
        return (f"read with matrices, the relation fails for some values of {names}: it may be a condition on "
                "them (an equation to solve), not an identity")
    if not values:
        return None  # numbers only: the arithmetic of the matrices written is wrong
    matrices = {n for n, kind in named.items() if kind == "matrix"}
    given = sorted(matrices - drawn)
    if given:
        return (f"read with matrices, {', '.join(f'`{tex_name(n)}`' for n in given)} take the values the text gives, "
                "and the relation may be a condition on the others, not an identity")
    if claim.relation != "eq" or len(matrices & drawn) < 2:
        names = ", ".join(f"`{tex_name(n)}`" for n in sorted(drawn))
        return (f"the relation fails for matrices drawn at random ({names}); it may state a property of the "
                "special matrices the prose describes (symmetric, orthogonal, definite, …)")
    return _qualified(claim)


#: prose near a claim that says its bold names are no matrices (a score, a count, sets)
_NOT_MATRICES = re.compile(r"(?i)\b(scalars?|numbers?|counts?|sets?|scores?|sizes?)\b")
#: prose near a claim that makes its matrices special (diagonal, commuting), then words that make the relation
#: a condition ("when", "suppose"): the first of these that the prose has is named
_QUALIFIERS = (re.compile(
    r"(?i)\b(diagonal|symmetric|skew|orthogonal|orthonormal|(?:upper |lower )?triangular|commut\w*|identity"
    r"|permutation|rotation|projection|idempotent|(?:non-?)?singular|invertible|(?:positive |negative )?"
    r"(?:semi-?)?definite|unitary|normal|special|element-?wise|entry-?wise|hadamard|block)\b"), re.compile(
    r"(?i)\b(if|iff|when|whenever|suppose|let|assume|assuming|given|provided|only|such that|where)\b"))
NEARBY_LINES = 2  # lines of the paragraph before a claim whose prose speaks for it


def nearby_prose(claim: Claim) -> str:
    """The prose around a claim (:func:`~mathlint.claims.cues.prose_around`) as its building step kept it."""
    return prose_around(*(claim.extra.get("prose") or ("", "")), lines=NEARBY_LINES)


def _qualified(claim: Claim) -> str | None:
    """A failure in matrices drawn at random, where the prose next to the claim says what its bold
    names are (a scalar, a set) or qualifies them (diagonal, commuting, "when …"): no refutation."""
    prose = nearby_prose(claim)
    if m := _NOT_MATRICES.search(prose):
        return (f"the relation fails for matrices drawn at random, but the prose next to it speaks of "
                f"{m.group(1).lower()}: its bold names may not be matrices")
    if m := next((m for rx in _QUALIFIERS if (m := rx.search(prose))), None):
        return (f"the relation fails for matrices drawn at random; the prose next to it (“{m.group(1).lower()}”) "
                "may make it a condition or a property of special matrices")
    return None


MISREADINGS: tuple[Callable[[Claim, dict], str | None], ...] = (
    _paren_superscript, _label_subscript, _bold_scalar, _applied_as_product, _repeated_index,
    _variable_subscript, _matrix_condition)


def misreading(claim: Claim, ce: dict | None) -> str | None:
    """Why a refutation of ``claim`` (its counterexample ``ce``) rests on a reading its notation
    does not support, or None: the first of :data:`MISREADINGS` that applies."""
    if not ce:
        return None
    return next((why for rule in MISREADINGS if (why := rule(claim, ce))), None)


def stated_value(lhs: sp.Basic, rhs: sp.Basic) -> str | None:
    """``\\ln n_i = -\\alpha \\ln i + c``: one side is a name (or its log) that occurs nowhere else,
    so the relation states its value (a model, a law), it is no identity in it. ``x_1 + \\ldots + x_n
    = 0`` constrains the terms, as ``x_1 + x_2 = 0`` does."""
    for side, other in ((lhs, rhs), (rhs, lhs)):
        terms = _elided_unknowns(side)
        if terms and isinstance(other, sp.Basic) and other.is_number:
            return (f"an equation to solve: it sets the sum of the terms `{terms}` to a value (a constraint "
                    "on them), not an identity")
        unknowns = _linear_unknowns(side)
        if unknowns and isinstance(other, sp.Basic) and other.is_number:  # ``a + b = 1``: never an identity
            return (f"an equation to solve: it constrains {', '.join(f'`{u}`' for u in unknowns)} (a linear "
                    "combination set to a value is no identity in them)")
        inner = side.args[0] if isinstance(side, sp.log) else side
        sizes = {s for t in atoms(other, sp.Sum) for s in t.limits[0][2].free_symbols} \
            if isinstance(inner, sp.Mul) else set()  # ``n\bar x`` beside a sum to ``n``: a multiple
        names = [a for a in getattr(inner, "args", ()) if not (a.is_number or a in sizes)]
        if isinstance(inner, sp.Mul | sp.Add) and len(names) == 1:
            inner = names[0]  # ``2\bar X_n``: a multiple of the name
        name = inner.base if isinstance(inner, sp.Indexed) else inner
        if isinstance(inner, sp.Indexed | sp.Symbol) and not other.has(name):
            return (f"the relation states the value of `{inner}`, which occurs only on one side; "
                    "mathlint reads it as an identity in an arbitrary value")
    names = [_free_names(side) for side in (lhs, rhs)]
    if all(names) and not names[0] & names[1]:  # ``\mu^2/(2\sigma^2) = \eta_1^2/(4\eta_2)``: related through a
        return ("the sides share no variable: the text relates them through a definition mathlint does not "
                "apply, and reads them as independent")  # definition mathlint did not substitute
    return None


def _linear_unknowns(e: sp.Basic) -> list[sp.Basic]:
    """The names of ``a + b``, ``w_1 + 2w_2``: a sum of at least two distinct names, each with a number
    as its factor; empty for anything else."""
    if not isinstance(e, sp.Add):
        return []
    names = []
    for term in e.args:
        coeff, rest = term.as_coeff_Mul() if isinstance(term, sp.Expr) else (None, term)
        if term.is_number:
            continue
        if coeff is None or not isinstance(rest, sp.Symbol | sp.Indexed) or rest in names:
            return []
        names.append(rest)
    return names if len(names) > 1 else []


def _elided_unknowns(e: sp.Basic) -> sp.Basic | None:
    """The general term of ``x_1 + \\ldots + x_n`` (a sum to a symbolic bound of entries of a name), or None."""
    if not isinstance(e, sp.Sum) or len(e.limits) != 1 or e.limits[0][2].is_number:
        return None
    k = e.limits[0][0]
    return e.function if any(i.has(k) for x in atoms(e.function, sp.Indexed) for i in x.indices) else None


def _free_names(e: sp.Basic) -> set[str]:
    r"""The names of a side's free symbols and indexed bases (``\eta_1`` is ``eta``)."""
    if not isinstance(e, sp.Basic):
        return set()
    indexed = {i.base.label.name for i in atoms(e, sp.Indexed)}
    return {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)} | indexed


def sum_scope(expr: sp.Basic) -> sp.Basic:
    """``\\sum_i a_i + b_i`` with ``i`` bound only by the sum: the terms after it that use its
    index read as inside it (the writer's scope), the others left outside."""
    def widen(add: sp.Add) -> sp.Basic:
        sums = [t for t in add.args if isinstance(t, sp.Sum) and len(t.limits) == 1]
        if len(sums) != 1:
            return add
        (s,), var = sums, sums[0].limits[0][0]
        inside = [t for t in add.args if t is not s and var in t.free_symbols]
        if not inside:
            return add
        rest = [t for t in add.args if t is not s and t not in inside]
        return sp.Add(sp.Sum(sp.Add(s.function, *inside), s.limits[0]), *rest, evaluate=False)

    return replace_nodes(expr, lambda e: isinstance(e, sp.Add), widen, evaluate=False)


def positive_scales(lhs: sp.Basic, rhs: sp.Basic) -> list[str]:
    """Names conventionally positive (a standard deviation ``\\sigma``) that the sides use."""
    return sorted(s.name for s in (lhs.free_symbols | rhs.free_symbols)
                  if isinstance(s, sp.Symbol) and s.name == "sigma")
