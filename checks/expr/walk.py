"""Walk SymPy trees as the graphs they are: a subexpression shared by many parents (as in
an instantiated derivative) is visited once, where ``atoms`` visits every occurrence."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from ..runtime.memo import ByIdentity, register


def subexpressions(exprs, types: tuple) -> set[sp.Basic]:
    """The distinct subexpressions of ``exprs`` that are instances of ``types``."""
    seen: set = set()
    out: set = set()
    stack = list(exprs)
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        if isinstance(e, types):
            out.add(e)
        stack.extend(e.args)
    return out


_FREE = ByIdentity(200_000, name="free-symbols")  # expression → its free symbols (trees are immutable)


def free_symbols(e: sp.Basic) -> frozenset:
    """``e.free_symbols``, computed once per distinct subexpression object. SymPy recomputes it
    at every occurrence, and for each ``Sum`` rebuilds the summand with a fresh index."""
    hit = _FREE.get((e,))
    if hit is not None:
        return hit
    if isinstance(e, (sp.Sum, sp.Product)) and all(len(lim) == 3 for lim in e.limits):
        out = set(free_symbols(e.function))
        for var, lo, hi in e.limits:  # innermost first: a bound may use an outer index
            out.discard(var)
            out |= free_symbols(lo) | free_symbols(hi)
        found = frozenset(out)
    elif isinstance(e, sp.Derivative):  # as SymPy: the expression's symbols and those of the counts
        found = frozenset(free_symbols(e.expr).union(*(free_symbols(c) for _, c in e.variable_count)))
    elif e.args and _plain(type(e)):
        found = frozenset().union(*(free_symbols(a) for a in e.args))
    else:
        found = frozenset(e.free_symbols)
    return _FREE.put((e,), found)


_PLAIN: dict = register("plain-free-symbols", None, {})  # class → whether it keeps Basic's free symbols


def _plain(cls: type) -> bool:
    """Whether ``cls`` keeps Basic's definition of free symbols (the union over the arguments)."""
    if cls not in _PLAIN:
        owner = next(k for k in cls.__mro__ if "free_symbols" in k.__dict__)
        _PLAIN[cls] = owner is sp.Basic
    return _PLAIN[cls]


_NODES = ByIdentity(2_000, name="subexpressions")  # expression → its distinct subexpressions


def atoms(e: sp.Basic, *types: type) -> set[sp.Basic]:
    """``e.atoms(*types)``: the distinct subexpressions of ``e`` of those types, from a list of
    them made once per expression object (the checks ask several questions of each side)."""
    nodes = _NODES.get((e,))
    if nodes is None:
        nodes = _NODES.put((e,), tuple(subexpressions([e], (sp.Basic,))))
    return {n for n in nodes if isinstance(n, types)}


def preorder(e: sp.Basic) -> list[sp.Basic]:
    """``list(sp.preorder_traversal(e))`` (same nodes, same order), without the generator's
    cost per node."""
    out: list = []
    stack = [e]
    while stack:
        n = stack.pop()
        out.append(n)
        args = getattr(n, "_argset", None) or n.args  # as preorder_traversal: Max/Min/And/Or by their set
        if args:
            stack.extend(reversed(tuple(args)))
    return out


def xreplace(e: sp.Basic, rule: dict, evaluate: bool = True) -> sp.Basic:
    """``e.xreplace(rule)``, rebuilding each distinct subexpression once: SymPy's walks a
    subexpression shared by many parents (as in an instantiated derivative) at every parent.
    Without ``evaluate``, the rebuilt nodes are left unevaluated (:func:`rebuilt`)."""
    if not rule:
        return e
    done: dict = {}

    def go(n):
        hit = done.get(id(n))
        if hit is not None:
            return hit[1]
        if n in rule:
            out = rule[n]
        else:
            args = n.args
            new = tuple(go(a) for a in args)
            out = n if all(x is y for x, y in zip(new, args)) else rebuilt(n, new, evaluate)
            if isinstance(n, sp.IndexedBase) and out is not n and not isinstance(out.label, sp.Symbol):
                raise NotAName(n.label, out.label)
        done[id(n)] = (n, out)  # ``n`` kept alive, so its id is not reused during the walk
        return out
    return go(e)


class NotAName(ValueError):
    """A name with components (``x`` of ``x_i``) replaced by an expression: ``f(x) = \\sum_i x_i``
    applied to ``x + ε`` has no components to read, so there is no tree to build."""

    def __init__(self, name: sp.Basic, value: sp.Basic):
        super().__init__(f"the components {name}_i of {name} cannot be read with {name} = {value}")


def replace(e: sp.Basic, query, value, evaluate: bool = True) -> sp.Basic:
    """``e.replace(query, value)`` for a predicate and a function: bottom up, each distinct
    subexpression once, a node that ``query`` accepts (once its arguments are replaced)
    becoming ``value(node)``; without ``evaluate``, rebuilt nodes are left unevaluated. An
    ``IndexedBase`` is a leaf: its label is a name, not a value (``x = 0`` does not make
    ``x_1`` the component 1 of ``0``)."""
    done: dict = {}

    def go(n):
        hit = done.get(id(n))
        if hit is not None:
            return hit[1]
        args = () if isinstance(n, sp.IndexedBase) else n.args
        new = tuple(go(a) for a in args)
        m = n if all(x is y for x, y in zip(new, args)) else rebuilt(n, new, evaluate)
        out = value(m) if query(m) else m
        done[id(n)] = (n, out)  # ``n`` kept alive, so its id is not reused during the walk
        return out
    return go(e)


def rebuilt(n: sp.Basic, args: tuple, evaluate: bool = True) -> sp.Basic:
    """``n`` with new arguments; without ``evaluate``, unevaluated where SymPy would evaluate
    (sums, products, powers, functions), as ``sp.evaluate(False)`` would build it without
    switching that global setting (each switch empties SymPy's cache). A list as an operand
    (``2(a, b)``, ``a_t`` with ``t = 1, 2, …``) raises :class:`ListOperand`: SymPy has no
    arithmetic of lists and would fail later, far from the cause."""
    listed = list_operand(n, args, evaluate)
    if listed is not None:
        raise ListOperand(listed, n)
    if evaluate:
        return n.func(*args)
    if n.is_Add or n.is_Mul:
        return unevaluated(n.func, args)
    if isinstance(n, (sp.Pow, sp.Function)):
        return n.func(*args, evaluate=False)
    return n.func(*args)


def list_operand(n: sp.Basic, args: tuple, evaluate: bool) -> sp.Tuple | None:
    """The list among ``args`` that ``n`` cannot take. Unevaluated sums and products of
    lists are vector arithmetic (:mod:`mathlint.numeric.instantiate` computes it); SymPy's
    evaluation of them, a list in a power or a function, or in an index is not."""
    if isinstance(n, sp.Indexed):
        return next((t for i in args[1:] for t in _lists(i)), None)
    if isinstance(n, (sp.Pow, sp.Function)) and not isinstance(n, sp.core.function.AppliedUndef) or \
            evaluate and (n.is_Add or n.is_Mul):
        return next((a for a in args if type(a) is sp.Tuple), None)
    return None


def _lists(e: sp.Basic):
    """The lists in an index: the index itself, or a term or factor of it (``t - 1``)."""
    if type(e) is sp.Tuple:
        yield e
    elif e.is_Add or e.is_Mul:
        for a in e.args:
            yield from _lists(a)


class ListOperand(TypeError):
    """A list of values (a ``Tuple``) where a number is needed: an operand or an index."""

    def __init__(self, items: sp.Tuple, where: sp.Basic):
        kinds = ((sp.Indexed, "an index"), (sp.Add, "a term of a sum"), (sp.Mul, "a factor of a product"),
                 (sp.Pow, "a base or exponent"))
        what = next((w for t, w in kinds if isinstance(where, t)), f"the argument of {type(where).__name__}")
        super().__init__(f"the list {tuple(items.args)} is used as {what}, which mathlint does not compute")


def unevaluated(op, args) -> sp.Basic:
    """``op(*args, evaluate=False)`` for ``sp.Add`` or ``sp.Mul`` and two or more SymPy
    arguments, without the constructor's cache: looking a node up there costs more than
    building it (the node is the same: same class, arguments and commutativity)."""
    return op._from_args(args)


def read_as_calls(e: sp.Basic, fns: dict) -> tuple[sp.Basic, bool, set[str]]:
    """``f·(x+h)`` as ``f(x+h)`` and ``g·h(x)`` as ``g(h(x))`` for the functions ``fns`` (name →
    function): the reader takes a name before a bracket holding more than a name for a factor.
    (the expression, whether every product with such a name had one bracket it applies to, the
    names read as calls)."""
    failed, read = [], set()

    def applied(m: sp.Mul) -> sp.Basic:
        heads = [a for a in m.args if isinstance(a, sp.Symbol) and a.name in fns]
        if not heads:
            return m
        bracket = [a for a in m.args if isinstance(a, sp.Add)] or [a for a in m.args if isinstance(a, AppliedUndef)]
        if len(heads) != 1 or len(bracket) != 1:
            failed.append(m)
            return m
        rest = [a for a in m.args if a is not heads[0] and a is not bracket[0]]
        read.add(heads[0].name)
        call = fns[heads[0].name](bracket[0], evaluate=False)
        return unevaluated(sp.Mul, (*rest, call)) if rest else call

    return replace(e, lambda n: isinstance(n, sp.Mul), applied, evaluate=False), not failed, read

