r"""Expansions in a vector increment: ``f(\mathbf{x} + \boldsymbol{\epsilon}) = f(\mathbf{x}) +
\boldsymbol{\epsilon}^\top \nabla f(\mathbf{x}) + \mathcal{O}(\|\boldsymbol{\epsilon}\|^2)``.

The text's function of a vector is undefined, so it is checked as :mod:`.taylor` checks one of a
number: at sizes 2 and 3, each vector becomes its components, the increment ``c_i t`` (random
``c_i``), the function a random smooth function of the components, ``\nabla f`` its gradient and
``\nabla^2 f`` its Hessian; the sides' Taylor coefficients in ``t`` must agree up to the order the
text keeps. SymPy's products do not keep the written order, so a product is read only where the
order does not matter: two vectors (an inner product), ``u^\top H w`` with ``H`` a Hessian (which is
symmetric). Anything else (a matrix the text names, a product of other shapes) is not read: None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.walk import subexpressions, xreplace
from ..numeric import functions

SIZES = (2, 3)
_VECTOR = re.compile(r"^(?:math|mathbf|boldsymbol|bm|vec)\{\\?(\w+)\}$")
_SMALL = re.compile(r"(?:var)?epsilon|delta")
_NABLA = sp.Symbol("nabla")
_FUNCTION = re.compile(r"[A-CFGJ-MRS-Za-ce-ou-z]")  # a plain letter: not an operator (E, P, p, q, H, I, N, O, D, d)


def called(name: str, text: str) -> bool:
    """Whether the text writes ``name(`` (a function, not an increment or a factor)."""
    return bool(re.search(r"(?<![A-Za-z\\])" + re.escape(name) + r"\s*(?:\\left\s*)?\(", text))


_ARGUMENT = re.compile(r"(?<=[A-Za-z0-9}])\s*\((?:[^()])*\)")  # a call's argument: not a factor of the product
_NORM = re.compile(r"\\\||\\lVert|\\rVert|\\Vert")
_INNER = re.compile(r"\\langle(?:(?!\\rangle).)*\\rangle")
_TOP = r"(?:\s*\^\s*(?:\\top|T|\{\s*(?:\\top|T)\s*\}))?"
_FACTOR = re.compile(
    r"(?P<H>\\nabla\s*\^\s*\{?\s*2\s*\}?(?:_\{[^{}]*\}|_\\?[A-Za-z]+)?\s*[A-Za-z]\s*\(\))"
    r"|(?P<g>\\nabla(?:_\{[^{}]*\}|_\\?[A-Za-z]+)?\s*[A-Za-z]\s*\(\)" + _TOP + ")"
    r"|(?P<v>\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{\s*\\?[a-z]+\s*\}|\\[a-z]+|[a-z])"
    r"(?:_\{[^{}]*\}|_[A-Za-z0-9])?" + _TOP + ")"
    r"|(?P<dot>\\cdot)|(?P<cut>[-+=<>]|\\approx|\\le|\\ge|\\sim|\\quad|&|\\\\)|(?P<bad>\)\s*\^\s*(?:\\top|T|\{))")
#: the written shapes of a product of vectors that are a number: ``u^\top w``, ``u \cdot w``, ``u^\top H w``
_READ = {("r", "c"), ("c", "dot", "c"), ("r", "H", "c")}


def _transposes(text: str) -> str:
    """``\\operatorname{transpose}(u)`` (the normalized form) as ``u^\\top``; a bracket's inside whole
    when it is one factor (``\\nabla f(\\mathbf x)``), else ``(…)^\\top`` (a transposed bracket)."""
    head = "\\operatorname{transpose}("
    for _ in range(20):
        i = text.find(head)
        if i < 0:
            break
        j, depth = i + len(head), 1
        while j < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
        inner = text[i + len(head):j - 1]
        whole = _FACTOR.fullmatch(re.sub(r"\(.*\)$", "()", inner.strip()))
        text = text[:i] + (inner if whole else f"({inner})") + "^\\top" + text[j:]
    return text


def misordered(text: str) -> str | None:
    r"""Why a product of vectors in ``text`` is not read: the grammar's product commutes, so only
    the written order tells ``\boldsymbol\epsilon^\top\nabla f`` (a number) from
    ``\nabla f\,\boldsymbol\epsilon^\top`` (a matrix) or ``\boldsymbol\epsilon\nabla f`` (no product);
    None when each product is a row times a column (a Hessian between them) or ``\cdot``."""
    flat = _transposes(re.sub(r"\\left|\\right|\\big|\\Big|\\,|\\;|\\!", " ", _INNER.sub(" s ", text)))
    for _ in range(20):  # innermost first: ``f(\mathbf x + g(\mathbf y))``
        flat, n = _ARGUMENT.subn("()", flat)
        if not n:
            break
    flat = re.sub(r"(?:\\\||\\lVert|\\Vert)(?:(?!\\\||\\rVert|\\Vert).)*(?:\\\||\\rVert|\\Vert)", " s ", flat)
    flat = re.sub(r"\|[^|]*\|", " s ", flat)
    groups, group = [], []
    for m in _FACTOR.finditer(flat):
        kind = m.lastgroup
        if kind == "bad":
            return "a transpose of a bracket in a product of vectors, which mathlint does not read"
        if kind == "cut":
            groups.append(group)
            group = []
        elif kind == "dot":
            group.append("dot")
        elif kind == "H":
            group.append("H")
        else:
            group.append("r" if re.search(r"\^\s*\{?\s*(?:\\top|T)", m.group(0)) else "c")
    groups.append(group)
    for g in groups:
        shapes = tuple(g)
        while shapes and shapes[0] == "dot":
            shapes = shapes[1:]
        if len([x for x in shapes if x != "dot"]) >= 2 and shapes not in _READ:
            written = " ".join({"r": "row", "c": "column", "H": "Hessian", "dot": "·"}[x] for x in shapes)
            return (f"a product of vectors written as {written}, which is no inner product "
                    "(a row times a column) mathlint reads; the written order is kept, so it is not read")
    return None


class Unread(Exception):
    """A node the reading of vectors does not cover."""


def vectors_of(lhs: sp.Basic, rhs: sp.Basic) -> tuple[list[sp.Symbol], list[sp.Symbol]]:
    """The bold names, and those of them that name a small increment (bold ``\\epsilon``, ``\\delta``)."""
    names = sorted((s for s in subexpressions([lhs, rhs], (sp.Symbol,)) if _VECTOR.match(s.name)),
                   key=sp.default_sort_key)
    return names, [s for s in names if _SMALL.fullmatch(_VECTOR.match(s.name).group(1))]


def scaled(e: sp.Basic, small: list[sp.Symbol], t: sp.Symbol) -> sp.Basic:
    """The increments as ``t`` times themselves (their transposes and norms too): the order a term
    writes is then its power of ``t`` (:func:`.taylor._explicit_degree`)."""
    marks = {s: sp.Symbol(f"{s.name}_T") for s in small}
    e = e.replace(lambda n: isinstance(n, AppliedUndef) and type(n).__name__ == "transpose" and n.args[0] in marks,
                  lambda n: t * marks[n.args[0]])
    e = e.replace(lambda n: isinstance(n, sp.Function) and not isinstance(n, AppliedUndef) and n.args[0] in small
                  and type(n).__name__ == "Norm", lambda n: t * sp.Symbol(f"norm_{n.args[0]}"))
    return xreplace(e, {s: t * s for s in small})


@dataclass
class Reader:
    """The claim at one size: vectors as columns of components, functions drawn at random."""

    size: int
    rng: np.random.Generator
    text: str
    vectors: dict  # name → column of components (the increments' as ``c_i t``)
    drawn: dict  # function name → a random smooth Lambda of the components

    def function(self, name: str, arity: int) -> sp.Lambda:
        if name not in self.drawn:
            self.drawn[name] = functions.smooth(self.rng, arity)
        fn = self.drawn[name]
        if len(fn.variables) != arity:
            raise Unread(f"{name} called with {arity} and {len(fn.variables)} arguments")
        return fn

    def read(self, e: sp.Basic):
        if isinstance(e, sp.Symbol):
            if e == _NABLA or (m := _VECTOR.match(e.name)) and m.group(1)[:1].isupper():
                raise Unread("a bare nabla, or a bold capital (a matrix)")
            return self.vectors.get(e, e)
        if isinstance(e, sp.Number):
            return e
        if isinstance(e, sp.Add):
            parts = [self.read(a) for a in e.args]
            shapes = {p.shape if isinstance(p, sp.MatrixBase) else () for p in parts}
            if len(shapes) != 1:
                raise Unread("a sum of a vector and a number")
            return sum(parts[1:], parts[0])
        if isinstance(e, sp.Mul):
            return self._product(e)
        if isinstance(e, sp.Pow):
            base = self.read(e.base)
            if isinstance(base, sp.MatrixBase):
                raise Unread("a power of a vector")
            return base ** e.exp
        if isinstance(e, sp.Derivative):
            call, wrt = e.expr, e.variable_count
            if not isinstance(call, AppliedUndef) or len(wrt) != 1 or call.args != (wrt[0][0],):
                raise Unread("a derivative of something other than a function of one vector")
            return self._derivative(call, wrt[0][1])
        if isinstance(e, AppliedUndef):
            if type(e).__name__ == "transpose" and len(e.args) == 1:
                inner = self.read(e.args[0])
                return inner.T if isinstance(inner, sp.MatrixBase) else inner
            return self._call(e)
        if isinstance(e, sp.Function) and type(e).__name__ == "Norm":
            v = self.read(e.args[0])
            if not isinstance(v, sp.MatrixBase) or (len(e.args) > 1 and e.args[1] != 2):
                raise Unread("a norm other than the Euclidean norm of a vector")
            return sp.sqrt(sum(c ** 2 for c in v))
        if isinstance(e, sp.Function) and e.args:
            args = [self.read(a) for a in e.args]
            if any(isinstance(a, sp.MatrixBase) for a in args):
                raise Unread("a function of a vector")
            return e.func(*args)
        raise Unread(type(e).__name__)

    def _components(self, args) -> list:
        out = []
        for a in args:
            v = self.read(a)
            out += list(v) if isinstance(v, sp.MatrixBase) else [v]
        return out

    def _call(self, e: AppliedUndef):
        name = type(e).__name__
        if not _FUNCTION.fullmatch(name):
            raise Unread(f"an operator {name}")
        comps = self._components(e.args)
        return self.function(name, len(comps))(*comps)

    def _derivative(self, call: AppliedUndef, k: int):
        """``\\nabla f(\\mathbf x)`` (``k = 1``): the gradient; ``\\nabla^2 f(\\mathbf x)``: the Hessian."""
        comps = self._components(call.args)
        if not isinstance(self.read(call.args[0]), sp.MatrixBase) or k not in (1, 2):
            raise Unread("a derivative by a number, or of order above 2")
        fn = self.function(type(call).__name__, len(comps))
        at = dict(zip(fn.variables, comps))
        grad = [sp.diff(fn.expr, v) for v in fn.variables]
        if k == 1:
            return sp.Matrix([g.xreplace(at) for g in grad])
        return sp.Matrix([[sp.diff(g, v).xreplace(at) for v in fn.variables] for g in grad])

    def _product(self, e: sp.Mul):
        nabla = sum(int(a.exp) if isinstance(a, sp.Pow) and a.base == _NABLA else 1
                    for a in e.args if a == _NABLA or isinstance(a, sp.Pow) and a.base == _NABLA)
        rest = [a for a in e.args if not (a == _NABLA or isinstance(a, sp.Pow) and a.base == _NABLA)]
        if nabla:  # ``\nabla f(\mathbf x)``: the reader writes nabla as a factor before the call
            calls = [a for a in rest if isinstance(a, AppliedUndef) and type(a).__name__ != "transpose"]
            if len(calls) != 1:
                raise Unread("nabla without a single function to apply to")
            values = [self._derivative(calls[0], nabla)] + [self.read(a) for a in rest if a is not calls[0]]
        else:
            values = [self.read(a) for a in self._applied(rest)]
        scalar = sp.Mul(*[v for v in values if not isinstance(v, sp.MatrixBase)])
        mats = [v for v in values if isinstance(v, sp.MatrixBase)]
        rows = [m for m in mats if m.shape == (1, self.size)]
        cols = [m for m in mats if m.shape == (self.size, 1)]
        squares = [m for m in mats if m.shape == (self.size, self.size)]
        if len(mats) != len(rows) + len(cols) + len(squares):
            raise Unread("a matrix of another shape")
        if not mats:
            return scalar
        if len(mats) == 1:
            return scalar * mats[0]
        if len(mats) == 2 and not squares and cols:  # ``u^\top w``, ``u \cdot w``: the inner product
            a, b = mats
            return scalar * (a.T if a.shape[0] == 1 else a).dot(b.T if b.shape[0] == 1 else b)
        if len(mats) == 3 and len(squares) == 1 and len(rows) == 1 and len(cols) == 1 and squares[0].is_symmetric():
            return scalar * (rows[0] * squares[0] * cols[0])[0, 0]
        raise Unread("a product whose order SymPy does not keep")

    def _applied(self, factors: list) -> list:
        """``f·(\\mathbf x + \\boldsymbol\\epsilon)`` as the call ``f(…)`` the text writes."""
        heads = [a for a in factors if isinstance(a, sp.Symbol) and a not in self.vectors and a != _NABLA
                 and _FUNCTION.fullmatch(a.name) and called(a.name, self.text)]
        if not heads:
            return factors
        brackets = [a for a in factors if isinstance(a, sp.Add)]
        if len(heads) != 1 or len(brackets) != 1:
            raise Unread("a call the reader took for a product")
        call = sp.Function(heads[0].name)(brackets[0])
        return [a for a in factors if a is not heads[0] and a is not brackets[0]] + [call]


def hessian(e: sp.Basic) -> bool:
    """Whether the claim writes ``\\nabla^2 f``, read as the Hessian (not the Laplacian)."""
    return any(p.base == _NABLA and p.exp == 2 for p in subexpressions([e], (sp.Pow,)))


def calls(e: sp.Basic, text: str) -> sp.Basic:
    """``f·(\\mathbf x + \\boldsymbol\\epsilon)`` as the call the text writes, where it is one."""
    def applied(m: sp.Mul) -> sp.Basic:
        heads = [a for a in m.args if isinstance(a, sp.Symbol) and _FUNCTION.fullmatch(a.name) and called(a.name, text)]
        brackets = [a for a in m.args if isinstance(a, sp.Add)]
        if len(heads) != 1 or len(brackets) != 1:
            return m
        return sp.Mul(*[a for a in m.args if a is not heads[0] and a is not brackets[0]],
                      sp.Function(heads[0].name)(brackets[0]))
    return e.replace(lambda n: isinstance(n, sp.Mul), applied)


def sides(lhs: sp.Basic, rhs: sp.Basic, small: list, text: str, t: sp.Symbol, rng: np.random.Generator,
          draws: int) -> list[tuple[sp.Basic, sp.Basic]]:
    """The sides as functions of ``t`` and the components, at each size, ``draws`` times each;
    raises :class:`Unread` where a node is not read."""
    names, _ = vectors_of(lhs, rhs)
    out = []
    for n in SIZES:
        for _ in range(draws):
            vectors = {}
            for v in names:
                comps = sp.symbols(f"{_VECTOR.match(v.name).group(1)}_1:{n + 1}", real=True)
                if v in small:
                    comps = [sp.Rational(int(rng.integers(5, 16)), 10) * t for _ in comps]
                vectors[v] = sp.Matrix(comps)
            reader = Reader(n, rng, text, vectors, {})
            left, right = reader.read(lhs), reader.read(rhs)
            if isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase):
                raise Unread("a side that is a vector")
            out.append((left, right))
    return out
