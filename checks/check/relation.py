"""Evaluate one relation between two expressions: numeric evidence, then a proof attempt."""

from __future__ import annotations

import zlib
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.printing import to_text
from ..expr.symbols import DerivativeWrt
from ..expr.walk import atoms, free_symbols, subexpressions
from ..numeric.instantiate import CannotInstantiate, Evaluator, OutsideInstance, ShapeMismatch, instances
from ..numeric.sample import compare, domain_of, fast_lambdify, moved_by, opaque, sample
from ..numeric.shapes import Shapes, infer_shapes, size_groups
from ..proof.exact import decide_constants, nonzero_difference, too_large
from ..proof.positivity import requirements
from ..proof.rational import is_rational_zero
from ..proof.rewrites import is_zero, with_assumptions
from ..proof.rounding import decide_approximation
from ..proof.sharing import COMPONENT, canonical, proved
from ..relations import RELATIONS, Relation, never_met
from ..runtime.memo import register

FD_RTOL, FD_ATOL = 1e-3, 1e-5  # finite differences carry truncation error: they only refute beyond it


@dataclass
class Setting:
    domains: dict[str, str]
    equal_groups: tuple  # groups of size-symbol names that are equal
    sizes: tuple[int, ...]
    points: int
    seed: int
    prove: bool = True
    confirm: bool = True  # confirm numeric counterexamples at 50 digits (off in the fix search)
    known_sizes: frozenset = frozenset()
    vectors: dict = field(default_factory=dict)

    def assuming(self, a) -> Setting:
        """This setting with one more assumption (an :class:`mathlint.claims.assume.Assumption`)."""
        extra = (tuple(a.base.split(",")),) if a.kind == "sizes-equal" else ()
        return replace(self, domains=a.apply(self.domains), equal_groups=self.equal_groups + extra)


@dataclass
class Outcome:
    status: str  # holds | fails | cannot | inconclusive
    proved: bool = False
    counterexample: dict | None = None
    reason: str = ""
    sizes: list[int] = field(default_factory=list)
    instantiated: bool = False
    sampled_indices: bool = False
    points: int = 0
    size_symbols: set = field(default_factory=set)
    size_groups: list = field(default_factory=list)
    #: the undefined functions (``H(·)``) a failure depends on: its values decide it, not the text
    depends_on: list[str] = field(default_factory=list)
    #: what a proof assumed that the domains do not give: log arguments taken as positive (``x > 0``)
    requires: list[str] = field(default_factory=list)
    one_sided: int = 0  # points dropped because one side was real there and the other was not


_CONSTANT_NODES = (sp.Number, sp.NumberSymbol, sp.core.numbers.ImaginaryUnit, sp.Add, sp.Mul, sp.Pow)


def _constant(e: sp.Basic) -> bool:
    """A scalar constant made of numbers, arithmetic and SymPy's own functions (nothing the
    instantiation must evaluate first: sums, indexed names, derivatives, undefined calls)."""
    return not free_symbols(e) and all(
        isinstance(n, _CONSTANT_NODES) or isinstance(n, sp.Function) and not isinstance(n, AppliedUndef)
        for n in subexpressions([e], (sp.Basic,)))


def _components(v) -> list[sp.Basic]:
    return list(v) if isinstance(v, tuple) else [v]


def _unknown_derivative(exprs) -> str | None:
    for e in exprs:
        for d in sorted(subexpressions([e], (sp.Derivative, DerivativeWrt)), key=sp.default_sort_key):
            return f"`{d}` is a derivative of something the post does not define"
    return None


def _free_symbols(e: sp.Basic) -> set:
    """Free symbols, counting the indices of derivative variables (``∂/∂o_i`` keeps ``i`` free)."""
    out = set(free_symbols(e))
    for d in atoms(e, sp.Derivative):
        for v in d.variables:
            out |= v.free_symbols
    return out


def _names(e: sp.Basic) -> set[str]:
    """Names an expression depends on: indexed bases and plain symbols, not index symbols."""
    indexed = atoms(e, sp.Indexed) | ({e} if isinstance(e, sp.Indexed) else set())
    indices = {ix for i in indexed for ix in i.indices}
    out = {s.name for s in e.free_symbols if isinstance(s, sp.Symbol) and s not in indices
           and not any(s == i.base.label for i in indexed)}
    return out | {i.base.label.name for i in indexed}


def _undefined_derivative(e: sp.Basic) -> str | None:
    """``∂O/∂W`` of a bare undefined name that does not mention the variable says nothing checkable."""
    found = [d for d in atoms(e, sp.Derivative) if isinstance(d.expr, (sp.Symbol, sp.Indexed, AppliedUndef))
             and not _names(d.expr) & set().union(*(_names(v) for v in d.variables))]
    if not found:
        return None
    d = min(found, key=sp.default_sort_key)  # the first in a stable order
    return f"`{d}`: {d.expr} is not defined in the post, so how it depends on {d.variables[0]} is unknown"


def rng_for(seed: int, key: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def evaluate(lhs: sp.Basic, rhs: sp.Basic, rel: Relation, conditions, setting: Setting, key: str,
             on_numeric=None) -> Outcome:
    """Numeric comparison at every instance; then, if it holds, a proof attempt
    (``on_numeric(outcome)`` is called in between, so a slow proof loses nothing)."""
    prep = _prepared(lhs, rhs, conditions, setting, key)
    if isinstance(prep, Outcome):
        return _copy(prep)
    constants = _constant(lhs) and _constant(rhs)
    if rel.signs is not None and constants:  # as written: before floats are folded
        decided = decide_constants([lhs], [rhs], rel.signs)
        if decided.status == "cannot":
            return Outcome("cannot", reason=decided.reason)
        if decided.status == "fails" and not rel.existential:
            return Outcome("fails", counterexample=decided.counterexample)
    if rel.rounding and constants:  # ``\sqrt{5} \approx 2.2``: to the digits written
        decided = decide_approximation(lhs, rhs)
        if decided.status == "fails":
            return Outcome("fails", counterexample=decided.counterexample)
        if decided.status == "holds":
            return Outcome("holds", reason=decided.reason, points=setting.points)
    rng = np.random.default_rng(0)
    rng.bit_generator.state = prep.rng_state
    shapes, insts, instantiated, sizes = prep.shapes, prep.insts, prep.instantiated, prep.sizes
    out = Outcome("holds", instantiated=instantiated, sizes=list(sizes), size_symbols=set(shapes.size_symbols))
    evaluated = []
    for k, inst in enumerate(insts):
        got = prep.instance(k)
        if got is SKIPPED:
            continue
        if isinstance(got, Outcome):
            return _copy(got)
        ev, lc, rc, hints, syms, lengths, stand_ins = got
        if not syms and rel.signs is not None:  # constants: decided exactly, not sampled
            decided = decide_constants(lc, rc, rel.signs)
            if decided.status == "cannot":
                return Outcome("cannot", reason=decided.reason)
            if rel.existential and decided.status != "undecided":
                if decided.status == "holds":
                    return Outcome("holds", reason="the sides differ (exact arithmetic)",
                                   points=out.points + setting.points)
                continue
            if decided.status == "fails":
                return _failure(decided.counterexample, inst, instantiated, sizes, shapes)
            if decided.status == "holds":
                out.points += setting.points
                evaluated.append((lc, rc, hints, inst, stand_ins))
                continue
        values = sample(syms, setting.domains, hints, lengths, rng, setting.points)
        cmp = compare(lc, rc, rel.holds, values, setting.points, setting.confirm, count=rel.existential)
        out.points += cmp.valid
        out.one_sided += cmp.one_sided
        if rel.existential:
            if cmp.failed_points < cmp.valid:
                return Outcome("holds", reason="the sides differ at the points tried", points=out.points)
            continue
        if cmp.mismatch:
            return replace(_failure(cmp.mismatch, inst, instantiated, sizes, shapes),
                           depends_on=_moved_by(lc, rc, values, stand_ins, setting, hints, rng))
        fd = _finite_difference(lhs, rhs, ev, values, setting.points, hints)
        if fd:  # the differences treat a call as a constant: with calls, they depend on the function
            return replace(_failure(fd, inst, instantiated, sizes, shapes),
                           depends_on=sorted(set(stand_ins.values())))
        evaluated.append((lc, rc, hints, inst, stand_ins))
    if rel.existential:
        return Outcome("fails", counterexample={"note": "the two sides are equal at every point tried"})
    if out.points == 0:
        skipped = sum(prep.built.get(k) is SKIPPED for k in range(len(insts)))
        return Outcome("inconclusive", reason="no value of its free indices keeps every index in range" if skipped
                       else "no point of the domain where both sides are defined")
    out.sampled_indices = any(len(i.indices) for i in insts) and len(insts) >= 12 * len(sizes)
    if rel.equality:
        wrong = _exactly_different(evaluated[0], setting)
        if wrong:
            return _failure(wrong, evaluated[0][3], instantiated, sizes, shapes)
    if on_numeric is not None:
        on_numeric(out)
    if rel.provable and setting.prove:
        for lc, rc, hints, inst, _ in evaluated:
            got = _prove(lc, rc, hints, setting, inst, shapes)
            if got is False:
                break
            out.requires += [r for r in got if r not in out.requires]
        else:
            out.proved = True
    if not out.proved and out.one_sided > out.points:  # ``(\sum x_i^p)^{1/p}`` is real only where x_i ≥ 0
        return Outcome("inconclusive", reason=f"holds at the {out.points} points where both sides are real, but at "
                       f"{out.one_sided} others one side is real and the other is not (a domain the text may not mean)")
    return out


@dataclass
class _Prepared:
    """What of an evaluation does not depend on the domains (so retries under an assumption
    share it): shapes, instances, the random state after drawing them, and each instance's
    components, built on first use."""
    lhs: sp.Basic
    rhs: sp.Basic
    shapes: Shapes
    insts: list
    instantiated: bool
    sizes: tuple
    rng_state: dict
    built: dict = field(default_factory=dict)

    def instance(self, k: int):
        """(evaluator, left components, right components, hints, symbols, axis lengths, the
        symbols that stand for calls of undefined functions with their functions' names), or
        the outcome that ends the evaluation at this instance."""
        if k not in self.built:
            self.built[k] = self._build(self.insts[k])
        return self.built[k]

    def _build(self, inst):
        ev = Evaluator(self.shapes, inst)
        try:
            lv, rv = ev(self.lhs), ev(self.rhs)
        except ShapeMismatch as exc:
            return _failure({"shape": str(exc)}, inst, self.instantiated, self.sizes, self.shapes)
        except OutsideInstance:
            return SKIPPED
        except CannotInstantiate as exc:
            return Outcome("cannot", reason=str(exc))
        lc, rc = _components(lv), _components(rv)
        if len(lc) != len(rc):
            return _failure({"shape": f"the left side has {len(lc)} components, the right side {len(rc)}"},
                            inst, self.instantiated, self.sizes, self.shapes)
        special = subexpressions(lc + rc, _SPECIAL)  # one walk, usually empty
        if any(isinstance(s, (sp.Derivative, DerivativeWrt)) for s in special):  # a derivative left: which one
            return Outcome("cannot", reason=_unknown_derivative(lc + rc))
        labels: dict = {}
        calls = any(isinstance(s, AppliedUndef) for s in special)
        allc, hints = opaque(lc + rc, labels) if calls else (lc + rc, {})
        for node in special:  # ``n!``, ``\binom{n}{k}``: counts, drawn as small whole numbers
            if isinstance(node, _COUNTING):
                hints.update({s: "count" for s in free_symbols(node) if s not in hints})
        lc, rc = allc[:len(lc)], allc[len(lc):]
        syms = sorted(set().union(*(free_symbols(e) for e in allc)), key=lambda s: s.name)
        return ev, lc, rc, hints, syms, _axis_lengths(self.shapes, inst), labels


#: an instance whose free index puts a written index out of range (``h_{t-2}`` at ``t = 1``): not evaluated
SKIPPED = object()
_COUNTING = (sp.factorial, sp.binomial)  # their arguments are counts: a reader checks whole numbers
_SPECIAL = (sp.Derivative, DerivativeWrt, AppliedUndef, *_COUNTING)
_RECENT_SIZE = 4
#: the last few preparations, by what they depend on
_RECENT: OrderedDict = register("preparations", _RECENT_SIZE, OrderedDict())


def _prepared(lhs, rhs, conditions, setting: Setting, key: str) -> _Prepared | Outcome:
    k = (lhs, rhs, tuple(conditions), key, setting.seed, setting.known_sizes,
         tuple(sorted(setting.vectors.items())), setting.equal_groups, tuple(setting.sizes))
    if k not in _RECENT:
        _RECENT[k] = _prepare(lhs, rhs, conditions, setting, key)
        if len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    _RECENT.move_to_end(k)
    return _RECENT[k]


def _prepare(lhs, rhs, conditions, setting: Setting, key: str) -> _Prepared | Outcome:
    rng = rng_for(setting.seed, key)
    why = too_large([lhs, rhs]) or _undefined_derivative(lhs) or _undefined_derivative(rhs)
    if why:
        return Outcome("cannot", reason=why)
    shapes = infer_shapes([lhs, rhs], conditions, setting.known_sizes, setting.vectors)
    free = sorted((s for s in _free_symbols(lhs) | _free_symbols(rhs) if s in shapes.index_symbols), key=str)
    varied = {v.base.label.name for e in (lhs, rhs) for d in atoms(e, sp.Derivative) for v in d.variables
              if isinstance(v, sp.Indexed)}
    both = sorted(varied & set(shapes.index_valued))
    if both:
        return Outcome("fails", counterexample={"shape": f"{both[0]} is used both as an index (its values pick "
                                                          f"entries) and as a variable it is differentiated by"})
    instantiated = bool(shapes.arity or shapes.size_symbols or free)
    sizes = setting.sizes if instantiated else setting.sizes[:1]
    insts = instances(shapes, free, list(sizes), setting.equal_groups, conditions, rng)
    if not insts:
        never = [f"{a} {RELATIONS[r].sign} {b}" for r, a, b in conditions if never_met(r, a, b)]
        if never:
            return Outcome("fails", counterexample={"shape": f"its condition can never hold ({', '.join(never)})"})
        return Outcome("cannot", reason="no index values meet the conditions")
    return _Prepared(lhs, rhs, shapes, insts, instantiated, tuple(sizes), rng.bit_generator.state)


def _copy(o: Outcome) -> Outcome:
    """A prepared outcome as a new object: callers may change what they get."""
    return replace(o, counterexample=dict(o.counterexample) if o.counterexample else o.counterexample,
                   sizes=list(o.sizes), size_symbols=set(o.size_symbols), size_groups=list(o.size_groups))


def _failure(counterexample: dict, inst, instantiated, sizes, shapes) -> Outcome:
    """A refutation at ``inst``, with what the assumption retries need (the size groups)."""
    return Outcome("fails", counterexample={**counterexample, "instance": inst.describe()},
                   instantiated=instantiated, sizes=list(sizes), size_symbols=set(shapes.size_symbols),
                   size_groups=size_groups(shapes))


def _moved_by(lc, rc, values, stand_ins: dict, setting: Setting, hints, rng) -> list[str]:
    """The undefined functions whose values move the failing difference (none: it fails for
    every function, ``f(x) + 1 = f(x)``)."""
    if not stand_ins:
        return []
    calls = sorted((s for s in stand_ins if s in values), key=lambda s: s.name)
    moved = moved_by(lc, rc, values, calls, setting.domains, hints, rng, setting.points)
    return sorted({stand_ins[s] for s in moved})


def _axis_lengths(shapes, inst) -> dict[str, int]:
    out = {}
    for name in shapes.arity:
        out[name] = inst.class_size.get(shapes.uf.find(("axis", name, 0)), inst.n)
    return out


def _exactly_different(item, setting: Setting) -> dict | None:
    """A counterexample when a component pair of the first instance differs by a nonzero
    rational function (``(x+1)^2`` and ``x^2+2x+1+10^{-20}``): exact, below any tolerance.
    Not for calls of undefined functions (stand-in symbols, not variables) nor for symbols
    of a discrete or constrained domain (``x^2 = x`` holds for binary ``x``)."""
    lc, rc, hints, _, stand_ins = item
    if stand_ins:
        return None
    for c, (a, b) in enumerate(zip(lc, rc)):
        syms = free_symbols(a) | free_symbols(b)
        ce = nonzero_difference(a, b, {s: domain_of(s, setting.domains, hints) for s in syms})
        if ce:
            if len(lc) > 1:
                ce["note"] = f"component {c + 1}: {ce['note']}"
            return ce
    return None


def _prove(lc, rc, hints, setting, inst, shapes) -> bool:
    sum_one = {}
    for base, dom in setting.domains.items():
        if dom == "simplex" and base in shapes.arity:
            length = inst.class_size.get(shapes.uf.find(("axis", base, 0)), inst.n)
            sum_one[base] = [sp.Symbol(f"{base}[{t}]") for t in range(1, length + 1)]
    return proved(lambda: (len(lc), canonical([*lc, *rc], list(sum_one.values())),
                           frozenset(setting.domains.items()), frozenset(hints.items())),
                  lambda: _proof(lc, rc, hints, setting, sum_one))


def _proof(lc, rc, hints, setting, sum_one) -> tuple[str, ...] | bool:
    """False, or what the proof assumed: the log arguments it took as positive (as text)."""
    lists = list(sum_one.values())
    needed: list[str] = []
    for a, b in zip(lc, rc):
        if not is_rational_zero(a, b, lists):
            (d,) = with_assumptions([a - b], setting.domains, hints, sum_one)
            if not is_zero(d):
                return False
        if a.has(sp.log) or b.has(sp.log):
            (plain,) = with_assumptions([a - b], setting.domains, hints)  # no Σ = 1 elimination inside logs
            probabilities = frozenset(s for s in free_symbols(plain)
                                      if domain_of(s, setting.domains, hints) in ("probability", "simplex"))
            for r in requirements(plain, probabilities):  # a component, at whichever instance: each one
                text = COMPONENT.sub(r"\1_i", f"{to_text(r)} > 0")
                needed += [text] if text not in needed else []
    return tuple(needed)


def _finite_difference(lhs, rhs, ev, values, k, hints) -> dict | None:
    """Central differences of ``F`` for a side ``∂F/∂v``, compared with the other side."""
    for d_side, other in ((lhs, rhs), (rhs, lhs)):
        if not (isinstance(d_side, sp.Derivative) and len(d_side.variable_count) == 1
                and d_side.variable_count[0][1] == 1):
            continue
        f = ev(d_side.expr)
        var = ev(d_side.variable_count[0][0])
        g = ev(other)
        if isinstance(f, tuple):
            return None
        comps = list(var) if isinstance(var, tuple) else [var]
        gs = _components(g)
        if len(gs) != len(comps):
            return None
        (f,), _ = opaque([f])
        gs, _ = opaque(gs)
        syms = sorted(values, key=lambda s: s.name)
        missing = [c for c in comps if c not in values]
        if missing or any(s not in values for s in free_symbols(f)):
            return None
        fn = fast_lambdify(syms, f)
        gn = fast_lambdify(syms, gs)
        with np.errstate(all="ignore"):
            base = [values[s] for s in syms]
            claimed = [np.broadcast_to(np.asarray(v, dtype=float), (k,)) for v in gn(*base)]
            for c_idx, c in enumerate(comps):
                pos = syms.index(c)
                h = 1e-6 * np.maximum(1.0, np.abs(base[pos]))
                up = list(base)
                dn = list(base)
                up[pos] = base[pos] + h
                dn[pos] = base[pos] - h
                fd = (np.asarray(fn(*up), dtype=float) - np.asarray(fn(*dn), dtype=float)) / (2 * h)
                ok = np.isfinite(fd) & np.isfinite(claimed[c_idx])
                bad = ok & (np.abs(fd - claimed[c_idx]) > FD_ATOL + FD_RTOL * np.abs(fd))
                if bad.any():
                    p = int(np.argmax(bad))
                    return {"component": c.name, "values": {s.name: float(f"{values[s][p]:.6g}") for s in syms},
                            "finite_difference": float(f"{fd[p]:.6g}"),
                            "claimed": float(f"{claimed[c_idx][p]:.6g}")}
        return None
    return None

