"""Proofs shared between instances: a key naming an instance's pair up to the order of terms
and a renumbering of components, and the proofs remembered by it."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..runtime.memo import register

#: ``x[2]``: the name of a component of ``x`` at an instance
COMPONENT = re.compile(r"([A-Za-z]\w*)\[[\d,]+\]")


def canonical(exprs: list, lists: list[list]) -> tuple:
    """A key equal for two instances exactly when their expressions are the same up to the
    order of terms and factors and a renumbering of each name's components (``lists`` holds
    all components of some names, each list a set, renumbered alike). Renaming symbols
    one-to-one within a name keeps what a proof can show (equality, the name's domain, a sum
    over all its components), so a proof of one instance holds for every instance with the
    same key.

    Components are numbered in the order they are first met, children of sums and products
    visited by their shape with components unnamed: ``∂p_j/∂o_i`` at ``i = 1, j = 2`` and at
    ``i = 2, j = 1`` then get the same key."""
    def unnamed(n):
        m = COMPONENT.fullmatch(n.name) if n.is_Symbol else None
        return ("component", m.group(1)) if m else (type(n), n)

    shape = _numbered(exprs, unnamed)
    mapping: dict = {}
    count: dict = {}

    def number(n) -> None:
        if n not in mapping:
            name = COMPONENT.fullmatch(n.name).group(1)
            count[name] = count.get(name, 0) + 1
            mapping[n] = f"{name}[{count[name]}]"

    seen: set = set()
    stack = list(reversed(exprs))
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if n.args:
            kids = sorted(n.args, key=lambda a: shape[id(a)]) if _commutes(n) else n.args
            stack.extend(reversed(kids))
        elif n.is_Symbol and COMPONENT.fullmatch(n.name):
            number(n)
    for syms in lists:
        for n in syms:
            number(n)
    named = _numbered(exprs, lambda n: ("component", mapping[n]) if n in mapping else (type(n), n))
    return tuple(named[id(e)] for e in exprs), tuple(tuple(sorted(mapping[n] for n in syms)) for syms in lists)


def _numbered(exprs: list, leaf) -> dict:
    """id(node) → the number of its shape (``_IDS``): leaves as ``leaf`` names them, the
    arguments of sums and products in any order."""
    memo: dict = {}

    def go(n) -> int:
        hit = memo.get(id(n))
        if hit is None:
            if n.args:
                ids = [go(a) for a in n.args]
                k = (type(n), tuple(sorted(ids)) if _commutes(n) else tuple(ids))
            else:
                k = leaf(n)
            hit = memo[id(n)] = _IDS.setdefault(k, len(_IDS))
        return hit
    for e in exprs:
        go(e)
    return memo


def _commutes(n) -> bool:
    """Whether the order of ``n``'s arguments is immaterial (a sum, or a product of commuting factors)."""
    return n.is_Add or n.is_Mul and n.is_commutative


def proved(key_of: Callable[[], tuple], prove: Callable[[], bool]) -> bool:
    """``prove()`` for the first instance whose key (``key_of()``, built from :func:`canonical`)
    is new; the remembered result for the others."""
    if len(_IDS) > _LIMIT or len(_PROVED) > _LIMIT:  # before any key is made: ids are only valid together
        _IDS.clear()
        _PROVED.clear()
    key = key_of()
    got = _PROVED.get(key)
    if got is None:
        got = _PROVED[key] = prove()
    return got


_LIMIT = 500_000
#: canonical node → a small integer naming it (so a key compares in time of its size)
_IDS: dict = register("canonical-ids", _LIMIT, {})
_PROVED: dict = register("proved-keys", _LIMIT, {})  # key → whether the proof succeeded
