"""Parse one side of a relation (normalized LaTeX) into SymPy.

Pipeline for a side: constructs (derivatives, conditional probabilities, …)
→ latex2sympy2-extended (natural log, case kept) → post-pass (subscripted names
become indexed objects, sums without limits get their range).
"""

from __future__ import annotations

import math
import re

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.symbols import SUM_BOUND
from ..expr.walk import ListOperand, list_operand, rebuilt, replace, unevaluated
from ..runtime.memo import cached, register
from . import calculus, ellipsis, environments, linalg, matprod, operators, probability, sets, superscripts  # noqa: F401  (they register their constructs)
from .constructs import CONSTRUCTS, Placeholders, side_items
from .fastparse import fast_parse
from .texscan import split_top_level, strip_outer_braces

MAX_SIDE_CHARS = 4000
MAX_DIGITS = 100_000  # a power with more digits is not computed
MAX_DEPTH = 12  # deepest bracket nesting read (posts rarely pass 5; the grammar slows steeply past it)


class ParseError(Exception):
    """A side could not be read; the message names the construct that failed."""


@cached("grammar-converter", maxsize=1)
def _converter():
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, latex2sympy

    config = ConversionConfig(lowercase_symbols=False, interpret_as_mixed_fractions=False,
                              interpret_contains_as_eq=False)

    def convert(text: str) -> sp.Basic:
        # unevaluated, so that ``9^{9^{9^9}}`` is not computed here; ``_rebuild`` evaluates what is safe
        with sp.evaluate(False):
            return latex2sympy(text, normalization_config=None, conversion_config=config)
    return convert


def _describe(exc: Exception, text: str, ph: Placeholders) -> str:
    """One line naming the construct the grammar choked on."""
    lines = str(exc).splitlines()
    head = lines[0].strip() if lines else type(exc).__name__
    marker = lines[-1] if len(lines) >= 3 and lines[-1].strip().endswith("^") else None
    src = text
    for name, source in ph.sources.items():
        src = src.replace("\\text{%s}" % name, source)
    unread = next((why for pattern, why in NOT_READ if pattern.search(src)), None)
    if marker is None and unread is not None:  # an error of the grammar's internals: name the construct
        return f"cannot read `{src}`: {unread}"
    if marker is not None:
        col = len(marker.rstrip()) - 1
        m = re.match(r"\\[A-Za-z]+|.", text[col:]) if col < len(text) else None
        token = m.group(0) if m else "end of input"
        return f"cannot read `{token}` at column {col + 1} of `{src}`: {head}"
    return f"cannot read `{src}`: {head or type(exc).__name__}"


def _index(part: str) -> sp.Basic:
    part = strip_outer_braces(part)
    if part.isdigit():
        return sp.Integer(part)
    if re.fullmatch(r"[A-Za-z]", part):
        return sp.Symbol(part)
    return parse_side(part)


def _indexed(name: str) -> sp.Basic | None:
    """``x_{ij}`` → ``x[i, j]``, ``p_{y_i}`` → ``p[y[i]]``; None if not subscripted."""
    base, sep, sub = name.partition("_")
    if not sep or not base or not sub:
        return None
    sub = strip_outer_braces(sub)
    if "," in sub:
        parts = [p for _, p in split_top_level(sub, re.compile(","))]
    elif re.fullmatch(r"[A-Za-z]{2,3}", sub):
        parts = list(sub)
    else:
        parts = [sub]
    return sp.Indexed(sp.IndexedBase(base), *[_index(p) for p in parts])


def _rebuild(expr: sp.Basic) -> sp.Basic:
    """Re-create every node with SymPy's default evaluation, so that equal text gives
    equal trees (``log(x, E)`` → ``log(x)``, ``1*x`` → ``x``); derivatives stay unevaluated."""
    if not expr.args or isinstance(expr, (sp.Indexed, sp.IndexedBase)):
        return expr
    done = _REBUILT.get(expr)
    if done is None:
        if len(_REBUILT) > 50_000:
            _REBUILT.clear()
        done = _REBUILT[expr] = _rebuilt(expr)
    return done


#: unevaluated subtree → evaluated: edited copies of an equation share most subtrees
_REBUILT: dict = register("rebuilt-subtrees", 50_000, {})


def _rebuilt(expr: sp.Basic) -> sp.Basic:
    args = [_rebuild(a) for a in expr.args]
    if isinstance(expr, sp.log) and len(args) == 2 and args[1] == sp.E:
        return sp.log(args[0])
    if isinstance(expr, AppliedUndef):
        return type(expr)(*args)
    listed = list_operand(expr, tuple(args), evaluate=True)
    if listed is not None:  # SymPy would fail on it later, with an error about its internals
        raise ListOperand(listed, expr)
    func = expr.func
    if func is sp.Pow and all(a.is_Number for a in args) and _digits(*args) > MAX_DIGITS:
        raise ParseError(f"`{args[0]}^{{{args[1]}}}` is a number of about {_digits(*args):.3g} digits: "
                         "too large to compute")
    if func.__module__.startswith("latex2sympy2"):  # the grammar's own Set/Interval subclasses
        func = next(c for c in func.__mro__ if c.__module__.startswith("sympy"))
    return func(*args)


def _digits(base: sp.Number, exp: sp.Number) -> float:
    """Roughly how many decimal digits ``base**exp`` has (0 when it is small or not a big power)."""
    b = abs(float(base)) if abs(base) < 1e300 else 1e300
    if b in (0.0, 1.0) or not exp.is_Integer:
        return 0.0
    return abs(float(exp)) * abs(math.log10(b))


def _renamed(expr: sp.Basic, ph: Placeholders) -> sp.Basic:
    """The reader's tree with placeholders and subscripted names resolved and sum bounds set,
    built unevaluated (one evaluation, in ``_rebuild``, for the whole tree; no switch of
    SymPy's global ``evaluate``, which empties its cache each time)."""
    expr = _named(expr, {sp.Symbol(k): v for k, v in ph.values.items()})
    if not ph.sum_bounds:
        return expr
    return replace(expr, lambda e: isinstance(e, (sp.Sum, sp.Product)), lambda e: _bound(e, ph), evaluate=False)


def _post(expr: sp.Basic) -> sp.Basic:
    expr = expr.replace(lambda e: isinstance(e, sp.Product) and isinstance(e.function, sp.Mul), _unshadow)
    return _rebuild(expr)


_PLACEHOLDER_NAME = re.compile(r"mlph\d+")


def _derivative_applied(name: str, placeholders: dict) -> bool:
    """Whether a call's head is a placeholder for a derivative: ``\\frac{\\partial f}{\\partial x}(a)``
    read as a function named by the placeholder (a name such as ``\\phi^{(2)}`` may be called)."""
    m = _PLACEHOLDER_NAME.search(name)
    value = placeholders.get(sp.Symbol(m.group(0))) if m else None
    return isinstance(value, sp.Basic) and value.has(sp.Derivative, sp.Subs)


def _named(e: sp.Basic, placeholders: dict) -> sp.Basic:
    """Placeholders by what they stand for, subscripted names as indexed objects (``x_{ij}``),
    and ``y_j(p_i)`` as a product: a subscripted name before parentheses is not a call."""
    if e in placeholders:
        return placeholders[e]
    if isinstance(e, sp.Symbol):
        if "_" in e.name and sp.Symbol(e.name.partition("_")[0]) in placeholders:  # ``\operatorname{f}(x)_j``
            raise ParseError("cannot read a subscript on a construct (a component of a call or a group): "
                             f"`{e.name.partition('_')[2]}` after it")
        return (_indexed(e.name) or e) if "_" in e.name and e != SUM_BOUND else e
    if not e.args or isinstance(e, (sp.Indexed, sp.IndexedBase)):
        return e
    if isinstance(e, AppliedUndef) and _derivative_applied(type(e).__name__, placeholders):
        raise ParseError("cannot read a derivative followed by a bracket (`\\frac{\\partial f}{\\partial x}(a)`): "
                         "at which point it is taken is not read")
    args = tuple(_named(a, placeholders) for a in e.args)
    if isinstance(e, AppliedUndef) and "_" in type(e).__name__ and len(args) == 1:
        v = _indexed(type(e).__name__)
        if v is not None:
            return unevaluated(sp.Mul, (v, args[0]))
    return e if args == e.args else rebuilt(e, args, evaluate=False)


def _unshadow(p: sp.Product) -> sp.Basic:
    """``\\prod_i x_i \\prod_i y_i`` is two products side by side, not the second one nested
    in the first with its index shadowed (the grammar's reading)."""
    var = p.limits[-1][0]
    inner = [a for a in p.function.args if isinstance(a, sp.Product) and a.limits[-1][0] == var]
    if not inner:
        return p
    rest = sp.Mul(*[a for a in p.function.args if a not in inner])
    return sp.Mul(sp.Product(rest, *p.limits), *inner)


def _bound(e: sp.Basic, ph: Placeholders) -> sp.Basic:
    """Every limit of ``e`` whose bound is a ``sum-range`` placeholder (``\\sum_i \\sum_j`` is one
    node with two limits) → its range ``1 … N_*``, leaving out the excluded value."""
    fn, limits = e.function, list(e.limits)
    for k, (index, lo, hi) in enumerate(limits):
        if not isinstance(hi, sp.Symbol) or hi.name not in ph.sum_bounds:
            continue
        _, excluded = ph.sum_bounds[hi.name]
        if excluded is not None:
            delta = sp.KroneckerDelta(index, _index(excluded), evaluate=False)
            keep = unevaluated(sp.Add, (sp.S.One, unevaluated(sp.Mul, (sp.S.NegativeOne, delta))))
            fn = unevaluated(sp.Mul, (fn, keep)) if isinstance(e, sp.Sum) else sp.Pow(fn, keep, evaluate=False)
        limits[k] = (index, lo, SUM_BOUND)
    return type(e)(fn, *limits) if limits != list(e.limits) else e


@cached("parsed-sides", maxsize=4096)
def parse_side(text: str) -> sp.Basic:
    """SymPy form of one side of a relation. Raises :class:`ParseError`."""
    text = text.strip()
    if not text:
        raise ParseError("empty side: a relation with nothing on one side")
    if len(text) > MAX_SIDE_CHARS:
        raise ParseError(f"side too long to read ({len(text)} characters, limit {MAX_SIDE_CHARS})")
    depth = _nesting(text)
    if depth > MAX_DEPTH:  # the grammar's cost grows steeply with depth (60 levels: seconds)
        raise ParseError(f"cannot read `{text[:60]}…`: brackets nested {depth} deep (mathlint reads up to {MAX_DEPTH})")
    try:
        return _parse(text)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(f"cannot read `{text[:80]}`: nested too deeply") from None
    except ListOperand as exc:  # ``2(a, b)``: a list in arithmetic, named as such (never SymPy's error)
        raise ParseError(f"cannot read `{text[:80]}`: {exc}") from None
    except Exception as exc:  # SymPy refusing what the grammar built (``zoo < 1``, …)
        unread = next((why for pattern, why in NOT_READ if pattern.search(text)), None)
        if unread is not None:  # the grammar's reading fails inside SymPy: name the construct instead
            raise ParseError(f"cannot read `{text[:80]}`: {unread}") from None
        raise ParseError(f"cannot read `{text[:80]}`: {type(exc).__name__}: {str(exc)[:120]}") from None


#: constructs whose grammar reading calls methods SymPy objects lack (``x.norm()``, ``(A - λI).det()``)
NOT_READ: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\\\|"), "mathlint does not read norms `\\|…\\|` yet"),
    (re.compile(r"\\det(?![A-Za-z])"), "mathlint does not read determinants `\\det` yet"),
    (re.compile(r"\\(?:max|min|arg\s*max|arg\s*min|operatorname\*?\{arg\s*(?:max|min)\})_"),
     "mathlint does not read a maximum or minimum over an index"),
)


def _parse(text: str) -> sp.Basic:
    items = side_items(text)
    if len(items) > 1:
        return sp.Tuple(*[parse_side(t) for t in items])
    ph = Placeholders()
    work = strip_outer_braces(text) or text
    for c in CONSTRUCTS:
        work = c.apply(work, parse_side, ph)
    expr = _read(fast_parse, work, ph, text)
    if expr is None:
        expr = _read(_converter(), work, ph, text)
    _guard(expr)
    return _post(_renamed(expr, ph))


def _read(reader, work: str, ph: Placeholders, text: str) -> sp.Basic | None:
    """``reader(work)``, its failures as :class:`ParseError`."""
    try:
        expr = reader(work)
    except (ParseError, RecursionError):
        raise
    except Exception as exc:  # the grammar raises bare Exceptions
        raise ParseError(_describe(exc, work, ph)) from None
    if expr is not None and not isinstance(expr, sp.Basic):
        raise ParseError(f"cannot read `{text}`: parser returned {type(expr).__name__}")
    return expr


def _nesting(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")}]":
            depth -= 1
    return deepest


_HUGE = 1e4  # a factorial or binomial of a larger number is not computed


def _approx(e: sp.Basic) -> float:
    """|e| roughly, as a float (inf when huge), for an expression of numbers only."""
    try:
        if e.is_Integer:
            return float(abs(e)) if e.p.bit_length() < 1000 else math.inf
        if e.is_Number:
            return abs(float(e))
        if isinstance(e, sp.Pow):
            b, x = _approx(e.base), _approx(e.exp)
            if x == math.inf:
                return math.inf if b > 1 else 0.0
            return b ** (-x if e.exp.could_extract_minus_sign() else x)
        if isinstance(e, (sp.factorial, sp.factorial2, sp.gamma)):
            n = _approx(e.args[0])
            return math.inf if n > 170 else float(math.gamma(n + 1))
        if isinstance(e, sp.Add):
            return sum(_approx(a) for a in e.args)
        if isinstance(e, sp.Mul):
            return math.prod(_approx(a) for a in e.args)
        if isinstance(e, sp.exp):
            return math.exp(min(_approx(e.args[0]), 1e4) * (-1 if e.args[0].could_extract_minus_sign() else 1))
        if e.is_number and not e.args:  # E, pi
            return abs(float(e))
    except (OverflowError, ValueError, TypeError):
        return math.inf
    return 0.0  # other functions are left to SymPy (they stay symbolic)


def _guard(expr: sp.Basic) -> None:
    """Refuse numbers too large to compute (``9^{9^{9^9}}``, ``(10^9)!``, ``\\binom{10^{12}}{10^6}``)
    before anything evaluates the grammar's unevaluated tree."""
    for e in sp.preorder_traversal(expr):
        if e.free_symbols or not e.args:
            continue
        if isinstance(e, sp.Pow) and e.base.is_Rational:  # exact arithmetic: the digits are computed
            base, exp = _approx(e.base), _approx(e.exp)
            digits = exp * abs(math.log10(base)) if base not in (0.0, 1.0) and base != math.inf else \
                (math.inf if base == math.inf else 0.0)
            if digits > MAX_DIGITS:
                size = f"about {digits:.3g} digits" if digits < math.inf else "far too many digits"
                raise ParseError(f"`{_short(e)}` is a number too large to compute ({size})")
        elif isinstance(e, (sp.factorial, sp.factorial2, sp.binomial, sp.gamma, sp.subfactorial)):
            if any(_approx(a) > _HUGE for a in e.args):
                raise ParseError(f"`{_short(e)}` is a number too large to compute")


def _short(e: sp.Basic) -> str:
    with sp.evaluate(False):
        text = sp.sstr(e)
    return text if len(text) <= 60 else text[:57] + "…"


def parse_latex(latex: str) -> sp.Basic:
    """Normalize raw blog LaTeX of one expression (no relation) and parse it."""
    from .normalize import normalize

    return parse_side(normalize(latex))
