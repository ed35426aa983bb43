"""Symbolic proof attempts: targeted rewrites first, ``simplify`` last."""

from __future__ import annotations

import sympy as sp

from ..expr.walk import free_symbols, xreplace
from ..numeric.sample import domain_of


def with_assumptions(exprs: list[sp.Basic], domains: dict[str, str], hints: dict,
                     sum_one: dict[str, list[sp.Symbol]] | None = None) -> list[sp.Basic]:
    """Replace symbols by ones that carry their domain (positive, real); apply Σ = 1
    by eliminating the last component of each simplex base."""
    mapping = {}
    for s in set().union(*(free_symbols(e) for e in exprs)):
        d = domain_of(s, domains, hints)
        mapping[s] = sp.Symbol(s.name, positive=True) if d in ("probability", "positive", "simplex") \
            else sp.Symbol(s.name, real=True)
    out = [xreplace(e, mapping) for e in exprs]
    for syms in (sum_one or {}).values():
        syms = [mapping.get(s, s) for s in syms]
        if len(syms) > 1:
            last = syms[-1]
            out = [e.subs(last, 1 - sp.Add(*syms[:-1])) for e in out]
    return out


def _log_args_cancelled(e: sp.Basic) -> sp.Basic:
    """Each ``log``'s argument as one cancelled fraction (``log(1 - s/(1+s))`` → ``log(1/(1+s))``),
    so that expanding the logs leaves only terms that cancel."""
    return e.replace(lambda x: isinstance(x, sp.log), lambda x: sp.log(sp.cancel(sp.together(x.args[0]))))


_STEPS = (
    lambda e: e,
    lambda e: sp.cancel(sp.together(sp.expand_log(_log_args_cancelled(e), force=True))),
    lambda e: sp.expand(e),
    lambda e: sp.expand_log(e, force=True),
    lambda e: sp.cancel(sp.together(sp.expand_log(e, force=True))),
    lambda e: sp.simplify(sp.expand_log(e, force=True)),
    lambda e: sp.simplify(e.rewrite(sp.exp)),
)


#: the rewrites that split no log whose argument's sign is unknown: a proof by one of them
#: assumed nothing (see :mod:`mathlint.proof.positivity`)
UNFORCED_STEPS = (
    lambda e: e,
    lambda e: sp.expand(e),
    lambda e: sp.cancel(sp.together(sp.expand_log(e))),
)


def is_zero(expr: sp.Basic) -> bool:
    """True only when a rewrite of ``expr`` is literally zero."""
    for step in _STEPS:
        try:
            if step(expr) == 0:
                return True
        except MemoryError:  # the worker's memory limit: its verdict names it
            raise
        except Exception:  # a rewrite that fails is just no proof
            continue
    return False
