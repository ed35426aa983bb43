"""Linear-algebra objects the reader builds (inner product, norm, elementwise product, a
literal vector) and what each is at concrete sizes.

The numeric model has one kind of vector, a tuple of components (``numeric/instantiate``):
each object here says, through :meth:`VectorOp.at_sizes`, what it is when its arguments are
tuples or scalars (a scalar is the one-dimensional case), and None when the shapes cannot fit.
A product of matrices is :class:`MatProd`, ordered: its factors are multiplied as matrices.
"""

from __future__ import annotations

import sympy as sp

Value = sp.Basic | tuple


class VectorOp(sp.Function):
    """A function of vectors that the evaluator computes on their components."""

    operands: int | None = None  # how many leading arguments are vectors or matrices (None: all)

    @classmethod
    def at_sizes(cls, *args: Value) -> Value | None:
        raise NotImplementedError


def _parts(v: Value) -> tuple:
    return v if isinstance(v, tuple) else (v,)


def _add(terms: list) -> sp.Basic:
    return sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]


class Inner(VectorOp):
    """``u^\\top v`` and ``\\langle u, v\\rangle``: the sum of the products of components."""

    nargs = 2

    @classmethod
    def at_sizes(cls, u: Value, v: Value) -> Value | None:
        if isinstance(u, tuple) != isinstance(v, tuple) or len(_parts(u)) != len(_parts(v)):
            return None
        if any(isinstance(c, tuple) for c in _parts(u) + _parts(v)):
            return None
        return _add([sp.Mul(a, b, evaluate=False) for a, b in zip(_parts(u), _parts(v))])

    def _latex(self, printer):
        u, v = (printer._print(a) for a in self.args)
        return r"\langle %s, %s \rangle" % (u, v)


class Norm(VectorOp):
    """``\\|e\\|_p`` (p = 2 when unwritten; ``F`` the Frobenius norm, 2 on the components):
    ``(Σ|e_i|^p)^{1/p}``, ``√(Σ e_i²)`` for p = 2, ``Σ|e_i|`` for p = 1, ``max |e_i|`` for ∞."""

    nargs = 2
    operands = 1

    @classmethod
    def at_sizes(cls, e: Value, p: Value) -> Value | None:
        if isinstance(p, tuple) or any(isinstance(c, tuple) for c in _parts(e)):
            return None
        comps = _parts(e)
        if p == 2:
            return sp.sqrt(_add([sp.Pow(c, 2, evaluate=False) for c in comps]), evaluate=False)
        if p == 1:
            return _add([sp.Abs(c, evaluate=False) for c in comps])
        if p is sp.oo:
            return sp.Max(*[sp.Abs(c) for c in comps])
        return sp.Pow(_add([sp.Pow(sp.Abs(c, evaluate=False), p, evaluate=False) for c in comps]), 1 / p,
                      evaluate=False)

    def _latex(self, printer):
        e, p = self.args
        return r"\|%s\|_{%s}" % (printer._print(e), printer._print(p))


class Hadamard(VectorOp):
    """``a \\odot b``: the product component by component (a scalar times a vector otherwise)."""

    nargs = 2

    @classmethod
    def at_sizes(cls, a: Value, b: Value) -> Value | None:
        if isinstance(a, tuple) and isinstance(b, tuple):
            if len(a) != len(b) or any(isinstance(c, tuple) for c in a + b):
                return None
            return tuple(sp.Mul(x, y, evaluate=False) for x, y in zip(a, b))
        if isinstance(a, tuple) or isinstance(b, tuple):
            return None  # the text writes ⊙ between a vector and a number: not a reading to guess
        return sp.Mul(a, b, evaluate=False)

    def _latex(self, printer):
        a, b = (printer._print(x) for x in self.args)
        return r"%s \odot %s" % (a, b)


class Vector(VectorOp):
    """A literal vector ``[a, b]^\\top``, ``(1, x)^\\top``: its components (a Function, not a
    Matrix: SymPy evaluates a Matrix into every product and compares it with a number as False)."""

    @classmethod
    def at_sizes(cls, *comps: Value) -> Value | None:
        if any(isinstance(c, tuple) for c in comps):
            return None
        return tuple(comps)

    def _latex(self, printer):
        return r"[%s]^\top" % ", ".join(printer._print(a) for a in self.args)


class Partials(Vector):
    r"""``\nabla f(x, y)``: the gradient of a function of several numbers, the vector of its
    partial derivatives (a bracket ``[a, b]`` beside it is a vector, not an interval)."""

    def _latex(self, printer):
        return r"\nabla[%s]" % ", ".join(printer._print(a) for a in self.args)


class MatProd(sp.Function):
    r"""``\mathbf A\mathbf B\mathbf x``: a product whose order is kept (matrices do not commute;
    SymPy's ``Mul`` of commuting symbols sorts its factors). The instantiation multiplies the
    factors' values as matrices (``numeric/matrices``); anything else leaves it opaque."""

    @classmethod
    def eval(cls, *args):
        return args[0] if len(args) == 1 else None

    def _latex(self, printer):
        return " ".join(printer.parenthesize(a, 60) for a in self.args)  # 60: the precedence of ``Mul``


class Gradient(sp.Function):
    r"""``\nabla_{\mathbf x} f``, ``\frac{d}{d\mathbf X} f``: the derivative of ``f`` by a vector or a
    matrix, entry by entry, in a named layout (the third argument: 0 the denominator layout, whose
    result has the variable's axis first, as d2l writes it; 1 the numerator layout, transposed).
    The layout is a reading, not the text's: a check tries both (``check/layouts``)."""

    nargs = 3

    def _latex(self, printer):
        return r"\nabla_{%s} %s" % (printer._print(self.args[1]), printer.parenthesize(self.args[0], 60))


DENOMINATOR, NUMERATOR = sp.Integer(0), sp.Integer(1)
#: the numerator layout for derivatives of arrays, while a gradient of a scalar keeps the variable's
#: shape (what ``\nabla_{\mathbf X}`` of a scalar means in either convention)
NABLA_NUMERATOR = sp.Integer(2)
LAYOUT_NAMES = {DENOMINATOR: "denominator", NUMERATOR: "numerator", NABLA_NUMERATOR: "numerator"}


class Entry(VectorOp):
    r"""``[\mathbf U\mathbf V]_{ib}``: the entry (row ``i``, column ``j``, 1-based) of a matrix
    expression, computed on the matrix's value (``numeric/matrices``). Of anything else (a number,
    a vector, whose entries with two indices the text may mean otherwise) it stays the undefined
    ``entry`` of the components: opaque, as before the matrix reading."""

    nargs = 3
    operands = 1

    @classmethod
    def at_sizes(cls, m: Value, i: Value, j: Value) -> Value | None:
        if isinstance(i, tuple) or isinstance(j, tuple):
            return None
        return sp.Function("entry")(*_parts(m), i, j)

    def _latex(self, printer):
        m, i, j = (printer._print(a) for a in self.args)
        return r"[%s]_{%s%s}" % (m, i, j)
