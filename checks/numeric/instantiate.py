"""Instantiate a claim at concrete sizes: sums expanded, vectors as components.

Shapes (what each name is) come from :mod:`.shapes`. An
:class:`Instance` fixes every size, every free index and every index-valued entry
(``y_i`` in ``p_{y_i}``); :func:`evaluate` then turns an expression into a scalar
SymPy expression or a tuple of them (a vector).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.linalg import Gradient, MatProd, VectorOp
from ..expr.printing import BOLD_HEAD, to_text  # never SymPy's ordering: it fails on a sum of lists
from ..expr.symbols import Component, DerivativeWrt
from ..expr.walk import unevaluated
from ..relations import condition_met
from ..runtime.memo import ByIdentity, register
from . import gradients, integrals, matrices
from .diff import differentiate
from .matrices import Mat, MatrixMisfit
from .matshapes import IDENTITY, bold_kind, entry_indices
from .shapes import Shapes

MAX_TERMS = 64  # a sum longer than this is not expanded


class CannotInstantiate(Exception):
    """The claim cannot be evaluated at concrete sizes; the message says why."""


class ShapeMismatch(CannotInstantiate):
    """The claim combines vectors and scalars, or indexes past an axis, in a way that cannot
    be right whatever the values: an error in the text, not in the checker's reach."""


class OutsideInstance(CannotInstantiate):
    """An index written with a free index (``h_{t-2}``) falls outside its axis at this instance's
    value of it (``t = 1``): the claim is about the larger values, this instance is skipped."""


@dataclass
class Instance:
    """Concrete sizes, free-index values and index-valued entries for one evaluation."""

    n: int
    class_size: dict  # class root → length of that axis
    sizes: dict  # size symbol → value
    indices: dict  # free index symbol → value
    draws: dict = field(default_factory=dict)  # (base, index tuple) → int, drawn lazily
    rng: np.random.Generator | None = None
    matrices: dict = field(default_factory=dict)  # matrix name → its shape text (``2×3``)

    def describe(self) -> dict:
        out = dict(self.matrices)
        out.update({str(k): v for k, v in sorted(self.sizes.items(), key=lambda kv: str(kv[0]))})
        out.update({str(k): v for k, v in sorted(self.indices.items(), key=lambda kv: str(kv[0]))})
        out.update({f"{b}[{','.join(map(str, ix))}]": v for (b, ix), v in sorted(self.draws.items())})
        return out


def instances(sh: Shapes, free_indices: list[sp.Symbol], sizes: list[int], equal_groups,
              conditions, rng: np.random.Generator, max_combos: int = 12) -> list[Instance]:
    """Every instance to evaluate: for each base size, index combinations that meet the conditions."""
    classes = sh.uf.classes()
    out = []
    for turn, n in enumerate(sizes):
        size_val: dict = {}
        order = sorted(sh.size_symbols, key=str)
        if sh.matrix_reading and turn % 2:  # n = d + 1 at one size, n = d - 1 at the next: no claim about
            order.reverse()  # non-square matrices holds only for one orientation
        for k, s in enumerate(order):
            twin = next((t for g in equal_groups if str(s) in g for t in size_val if str(t) in g), None)
            size_val[s] = size_val[twin] if twin is not None else n + k
        class_size = {}
        for root, members in classes.items():
            vals = [size_val[m[1]] for m in members if m[0] == "size"]
            vals += [sh.fixed[m] for m in members if m in sh.fixed]
            class_size[root] = max(vals) if vals else n
        ranges = []
        for ix in free_indices:
            root = sh.uf.find(("idx", ix))
            ranges.append(range(1, class_size.get(root, n) + 1))
        combos = [c for c in itertools.product(*ranges) if _meets(dict(zip(free_indices, c)), conditions)]
        if len(combos) > max_combos:
            pick = sorted(rng.choice(len(combos), size=max_combos, replace=False))
            combos = [combos[p] for p in pick]
        shapes = {name: "×".join(str(class_size.get(sh.uf.find(("axis", name, k)), n)) for k in (0, 1))
                  for name, kind in sorted(sh.matrices.items()) if kind == "matrix"}
        for combo in combos or ([()] if not free_indices else []):
            out.append(Instance(n, class_size, size_val, dict(zip(free_indices, combo)),
                                rng=np.random.default_rng(rng.integers(2**32)), matrices=dict(shapes)))
    return out


def _meets(values: dict, conditions) -> bool:
    for rel, a, b in conditions:
        subs = {k: sp.Integer(v) for k, v in values.items()}
        va, vb = a.xreplace(subs), b.xreplace(subs)
        if not (va.is_number and vb.is_number):
            continue
        if not condition_met(rel, va, vb):
            return False
    return True


def component(name: str, idx: tuple) -> sp.Symbol:
    return sp.Symbol(f"{name}[{','.join(str(i) for i in idx)}]")


class Evaluator:
    """Turns an expression into scalars/vectors at one :class:`Instance`."""

    def __init__(self, shapes: Shapes, inst: Instance):
        self.sh, self.inst = shapes, inst
        self._memo: dict = {}  # (node, bound indices) → value: shared subtrees are evaluated once
        self._sig = _signature(shapes, inst)  # None: values are not shared with other evaluators
        self._tops: list = []  # shapes of the first two values asked for (the sides), under the matrix reading

    def size_of(self, node) -> int:
        return self.inst.class_size.get(self.sh.uf.find(node), self.inst.n)

    def __call__(self, e: sp.Basic, env: dict | None = None):
        if self.sh.declared_misfit:
            raise CannotInstantiate(f"the matrix reading does not fit: {self.sh.declared_misfit}")
        try:
            got = self.ev(e, env or {})
        except MatrixMisfit as exc:
            raise CannotInstantiate(f"the matrix reading does not fit: {exc}") from None
        except ShapeMismatch as exc:  # with matrices, the shapes are mathlint's guess, not the text's
            if self.sh.matrix_reading:
                raise CannotInstantiate(f"the matrix reading does not fit: {exc}") from None
            raise
        if not self.sh.matrix_reading:
            return got
        self._tops.append(matrices.shape(got))
        if len(self._tops) == 2 and self._tops[0] != self._tops[1]:
            a, b = ("a scalar" if t is None else f"{t[0]}×{t[1]}" for t in self._tops)
            raise CannotInstantiate(f"the matrix reading does not fit: the sides are {a} and {b}")
        return got

    def ev(self, e, env):
        key = (e, frozenset(env.items()))
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = self._ev(e, env) if self._sig is None else self._shared_ev(key, e, env)
        return got

    def _shared_ev(self, key, e, env):
        """``_ev``, remembered across evaluators by what it reads: the tree, the bound indices,
        the instance's lengths and sizes, and the values of the free indices it mentions."""
        ix = self.inst.indices
        k = (self._sig, key, tuple((s, ix[s]) for s in _symbols(e) if s in ix and s not in env))
        got = _VALUES.get(k)
        if got is None:
            if len(_VALUES) >= _VALUES_LIMIT:
                _VALUES.clear()
            got = _VALUES[k] = self._ev(e, env)
        return got

    def _ev(self, e, env):  # noqa: C901 - one case per node type
        if isinstance(e, sp.Symbol):
            if e in env:
                return env[e]
            if e in self.inst.indices:
                return sp.Integer(self.inst.indices[e])
            if e in self.inst.sizes:
                return sp.Integer(self.inst.sizes[e])
            if self.sh.matrices.get(e.name) == "matrix":
                return self._matrix(e.name)
            vc = self.sh.vector_class(e.name)
            if vc is not None:
                length = self.size_of(vc)
                return tuple(component(e.name, (t,)) for t in range(1, length + 1))
            return e
        if isinstance(e, sp.MatrixBase):  # ``\begin{bmatrix}``: entry by entry
            return matrices.from_sympy(e, lambda x: self._scalar(self.ev(x, env), e))
        if isinstance(e, MatProd):
            return self._product(e, env)
        if e.is_Number or e in (sp.E, sp.pi):
            return e
        if isinstance(e, sp.Indexed):
            return self._indexed(e, env)
        if isinstance(e, (sp.Sum, sp.Product)):
            return self._sum(e, env)
        if isinstance(e, sp.KroneckerDelta):
            a, b = (self._scalar(self.ev(x, env), e) for x in e.args)
            return sp.KroneckerDelta(a, b)
        if isinstance(e, sp.Derivative):
            return self._derivative(e, env)
        if isinstance(e, Gradient):  # by a vector or a matrix, in a layout
            return gradients.gradient(self.ev(e.args[0], env), self.ev(e.args[1], env), e.args[2], e)
        if isinstance(e, DerivativeWrt):
            f, g = (self.ev(x, env) for x in e.args)
            f, g = self._scalar(f, e), self._scalar(g, e)
            t = sp.Dummy("t")
            return sp.diff(f.subs(g, t), t).subs(t, g)
        if isinstance(e, VectorOp):  # inner products, norms, ⊙, literal vectors: on the components
            self._not_a_row(e)
            args = [self.ev(a, env) for a in e.args]
            if any(isinstance(a, Mat) for a in args):
                return matrices.of_vector_op(e, args)
            got = e.at_sizes(*args)
            if got is None:
                raise ShapeMismatch(f"the shapes in `{to_text(e)}` do not fit")
            return got
        if isinstance(e, Component):
            vec, idx = self.ev(e.args[0], env), self._scalar(self.ev(e.args[1], env), e)
            if isinstance(vec, Mat) or not isinstance(vec, tuple) or not idx.is_Integer \
                    or not 1 <= int(idx) <= len(vec):
                raise CannotInstantiate(f"`{e}` is not a component of a vector")
            return vec[int(idx) - 1]
        if isinstance(e, sp.Tuple):
            return tuple(self.ev(a, env) for a in e.args)
        if isinstance(e, sp.Add):
            return _add([self.ev(a, env) for a in e.args], e)
        if isinstance(e, sp.Mul):
            return _mul([self.ev(a, env) for a in e.args], e)
        if isinstance(e, AppliedUndef):
            return self._call(e, env)
        if isinstance(e, sp.Pow) and isinstance(base := self.ev(e.base, env), Mat):
            return matrices.power(base, self._scalar(self.ev(e.exp, env), e))
        if isinstance(e, sp.Pow) and e.exp == 2:
            base = self.ev(e.base, env)
            if isinstance(base, tuple):  # x\cdot x parses as x**2: the squared norm
                return _op(sp.Add, [_op(sp.Pow, [c, _TWO]) for c in base])
            return _op(sp.Pow, [base, _TWO])
        if isinstance(e, (sp.Function, sp.Pow)):
            args = [self._scalar(self.ev(a, env), e) for a in e.args]
            if e.func in _UNEVALUATED and not all(a.is_Number for a in args):
                return e.func(*args, evaluate=False)  # their automatic evaluation is slow and gains nothing here
            return e.func(*args)
        if isinstance(e, (sp.Integral, sp.Limit)):  # quadrature at each point, a limit carried out (numeric/integrals)
            try:
                return integrals.instantiated(e, lambda x, bound: self._scalar(self.ev(x, {**env, **bound}), e))
            except integrals.NotNumeric as exc:
                raise CannotInstantiate(f"cannot evaluate `{e}` ({type(e).__name__}) at concrete sizes: {exc}") \
                    from None
        raise CannotInstantiate(f"cannot evaluate `{e}` ({type(e).__name__}) at concrete sizes")

    def _not_a_row(self, e: VectorOp) -> None:
        """A bare name whose entries carry two indices (``\\|\\mathbf X\\|`` beside ``X_{ij}``) is a
        matrix: its norm or inner product is not that of one of its rows."""
        for a in e.args:
            if isinstance(a, sp.Symbol) and self.sh.arity.get(a.name) == 2 and a.name not in self.sh.matrices:
                raise CannotInstantiate(f"`{a}` has entries with two indices: an operation on it is read "
                                        "only for a declared matrix")

    def _matrix(self, name: str):
        """A matrix name's value: its entries ``A[i,j]`` (``\\mathbf I``: the identity)."""
        rows, cols = (self.size_of(("axis", name, k)) for k in (0, 1))
        if name == IDENTITY:
            if rows != cols:
                raise MatrixMisfit(f"the identity `{name}` is {rows}×{cols}")
            return matrices.identity(rows)
        return matrices.value(rows, cols, [component(name, (i, j)) for i in range(1, rows + 1)
                                           for j in range(1, cols + 1)])

    def _product(self, e: MatProd, env):
        """An ordered product; a bold factor that is no matrix nor vector here ends the reading."""
        values = [self.ev(a, env) for a in e.args]
        for a, v in zip(e.args, values):
            name = a.base.label.name if isinstance(a, sp.Indexed) else getattr(a, "name", None)
            if matrices.shape(v) is None and name and (bold_kind(name) or BOLD_HEAD.match(name)):
                raise MatrixMisfit(f"`{to_text(a)}` is a factor of a product of matrices, not read as one")
        return matrices.product(values)

    def _call(self, e: AppliedUndef, env):
        """A call: ``\\det``, ``\\mathrm{tr}``, ``^\\top`` of a matrix computed; another function of
        a matrix, or of a product of matrices, is not read (it may act entry by entry)."""
        values = [self.ev(a, env) for a in e.args]
        fn = matrices.FUNCTIONS.get(type(e).__name__)
        if fn is not None and len(values) == 1 and matrices.shape(values[0]) is not None:
            return fn(values[0])
        if fn is matrices.transpose and len(values) == 1 and e.args[0].has(MatProd):
            return values[0]  # a product that is a number (``x^\top A x``): its own transpose
        of_product = any(isinstance(v, tuple) and a.has(MatProd) for a, v in zip(e.args, values))
        if any(isinstance(v, Mat) for v in values) or self.sh.matrix_reading and of_product:
            raise MatrixMisfit(f"`{to_text(e)}` applies a function to a matrix")
        args = []
        for v in values:
            args.extend(v if isinstance(v, tuple) else (v,))
        return type(e)(*args)

    def _scalar(self, v, where):
        if isinstance(v, tuple):
            raise ShapeMismatch(f"`{to_text(where)}` applies a scalar operation to a vector")
        return v

    def _indexed(self, e: sp.Indexed, env):
        name = e.base.label.name
        idx = tuple(self._scalar(self.ev(i, env), e) for i in e.indices)
        if not all(i.is_Integer for i in idx):
            raise CannotInstantiate(f"index of `{e}` is not a concrete integer")
        idx = entry_indices(self.sh, name, e, tuple(int(i) for i in idx), self.size_of)
        for pos, i in enumerate(idx):
            if not 0 <= i <= self.size_of(("axis", name, pos)):  # 0: sums from 0 (r_0)
                written = e.indices[pos] if len(idx) == len(e.indices) else None
                if written is not None and written.free_symbols & set(self.inst.indices) \
                        and written not in self.inst.indices:
                    raise OutsideInstance(f"`{e}` indexes outside its range at {self.inst.describe()}")
                raise ShapeMismatch(f"`{e}` indexes outside its range")
        if name in self.sh.index_valued:
            key = (name, idx)
            if key not in self.inst.draws:
                hi = self.size_of(self.sh.index_valued[name])
                self.inst.draws[key] = int(self.inst.rng.integers(1, hi + 1))
            return sp.Integer(self.inst.draws[key])
        if self.sh.arity.get(name) == 2 and len(idx) == 1:
            length = self.size_of(("axis", name, 1))
            return tuple(component(name, (idx[0], t)) for t in range(1, length + 1))
        return component(name, idx)

    def _sum(self, e, env, limits=None):
        """A sum or product expanded at concrete bounds; the outermost limit (last) first,
        so that inner bounds may use outer indices (``\\sum_i \\sum_{j=i+1}``)."""
        limits = e.limits if limits is None else limits
        var, lo, hi = limits[-1]
        lo_v, hi_v = (self._scalar(self.ev(b, env), e) for b in (lo, hi))
        if not (lo_v.is_Integer and hi_v.is_Integer):
            raise CannotInstantiate(f"bounds of `{e}` are not concrete")
        if int(hi_v) - int(lo_v) + 1 > MAX_TERMS:
            raise CannotInstantiate(f"`{e}` has {int(hi_v) - int(lo_v) + 1} terms, too many to expand")
        terms = []
        for v in range(int(lo_v), int(hi_v) + 1):
            inner = {**env, var: sp.Integer(v)}
            terms.append(self._sum(e, inner, limits[:-1]) if len(limits) > 1 else self.ev(e.function, inner))
        if isinstance(e, sp.Sum):
            return _add(terms, e) if terms else sp.Integer(0)
        for t in terms:
            self._scalar(t, e)
        return _op(sp.Mul, terms) if terms else sp.Integer(1)

    def _derivative(self, e: sp.Derivative, env):
        f = self.ev(e.expr, env)
        for var, order in e.variable_count:
            v = self.ev(var, env)
            if isinstance(f, Mat) or isinstance(v, Mat):
                raise MatrixMisfit(f"`{to_text(e)}` is a derivative of or by a matrix, which mathlint does not read")
            if isinstance(v, tuple):
                f = self._scalar(f, e)
                f = tuple(_diff(f, c, order) for c in v)
            elif isinstance(f, tuple):
                f = tuple(_diff(c, v, order) for c in f)
            else:
                if not isinstance(v, sp.Symbol):
                    raise CannotInstantiate(f"cannot differentiate by `{var}` here")
                f = _diff(f, v, order)
        return f


#: (lengths and sizes, expression, bound indices, free indices it mentions) → its value: an
#: instance at other free indices, a fix candidate that changes one place of a side, and the
#: other steps of a chain share most subtrees (equal trees, not only the same objects)
_VALUES_LIMIT = 50_000
_VALUES: dict = register("instance-values", _VALUES_LIMIT, {})
_SYMBOLS = ByIdentity(200_000, name="instance-symbols")  # expression → every symbol in it, bound ones included


def _symbols(e: sp.Basic) -> tuple:
    hit = _SYMBOLS.get((e,))
    if hit is None:
        if isinstance(e, sp.Symbol):
            hit = (e,)
        else:
            hit = tuple(set().union(*(_symbols(a) for a in e.args))) if e.args else ()
        _SYMBOLS.put((e,), hit)
    return hit


def _signature(sh: Shapes, inst: Instance) -> tuple | None:
    """What an :class:`Evaluator` reads besides the tree and the free indices' values: the
    length of every axis, index and size the shapes know (any other has length ``n``), the
    vectors and the sizes' values. None when entries are drawn at random (index-valued
    names): not shared."""
    if sh.index_valued:
        return None
    lengths = frozenset((node, inst.class_size.get(sh.uf.find(node), inst.n)) for node in list(sh.uf.parent))
    matrix = frozenset(sh.matrices.items()), frozenset(sh.entry_names)
    return inst.n, lengths, frozenset(sh.arity.items()), frozenset(inst.sizes.items()), matrix


_UNEVALUATED = (sp.exp, sp.log, sp.Pow)
_TWO = sp.Integer(2)


def _diff(f: sp.Basic, v: sp.Basic, order: int) -> sp.Basic:
    return differentiate(f, v, order) if isinstance(v, sp.Symbol) else sp.diff(f, (v, order))


def _op(op, parts):
    """``op(*parts)`` (0 or 1 without parts), evaluated only when every part is a number:
    SymPy's automatic evaluation of sums and products (power collection, assumption queries)
    is the slow part of instantiation and gains nothing for the numeric check; a proof
    re-evaluates the tree."""
    if all(p.is_Number for p in parts):
        return op(*parts)
    if len(parts) == 1:
        return parts[0]
    return op(*parts, evaluate=False) if op is sp.Pow else unevaluated(op, parts)


def _add(parts, where):
    if any(isinstance(p, Mat) for p in parts):
        return matrices.add(parts, where, lambda c: _op(sp.Add, c))
    vecs = [p for p in parts if isinstance(p, tuple)]
    if not vecs:
        return _op(sp.Add, parts)
    if len(vecs) != len(parts) or len({len(v) for v in vecs}) != 1:
        raise ShapeMismatch(f"`{to_text(where)}` adds a vector and a scalar (or vectors of different lengths)")
    return tuple(_op(sp.Add, list(c)) for c in zip(*vecs))


def _mul(parts, where):
    if any(isinstance(p, Mat) for p in parts):
        arrays = [p for p in parts if isinstance(p, tuple)]
        if len(arrays) > 1:
            raise MatrixMisfit(f"`{to_text(where)}` multiplies matrices in an order the reading lost")
        return matrices.scaled(_op(sp.Mul, [p for p in parts if not isinstance(p, tuple)]), arrays[0])
    vecs = [p for p in parts if isinstance(p, tuple)]
    scalars = [p for p in parts if not isinstance(p, tuple)]
    scal = _op(sp.Mul, scalars)
    if not vecs:
        return scal
    if len(vecs) == 1:
        return tuple(_op(sp.Mul, [scal, c]) for c in vecs[0])
    if len(vecs) == 2 and isinstance(where, sp.Mul) and any(isinstance(a, Gradient) for a in where.args):
        raise MatrixMisfit(f"`{to_text(where)}` multiplies a gradient and a vector in an order the reading lost")
    if len(vecs) == 2 and len(vecs[0]) == len(vecs[1]):
        return _op(sp.Mul, [scal, _op(sp.Add, [_op(sp.Mul, [a, b]) for a, b in zip(*vecs)])])
    raise ShapeMismatch(f"`{to_text(where)}` multiplies {len(vecs)} vectors")
