"""Single-edit mutants of a post's correct equations, and whether mathlint catches each.

Operators (registry :data:`OPERATORS`): sign, symbol, subscript, exponent, function,
bound, dropped term. A mutant is *detected* when a claim on the mutated line turns
``refuted``. Mutants that do not parse, or that parse to the same SymPy as the original
(equivalent mutants), are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..expr.printing import to_srepr
from ..latex.reader import read_block
from ..model import Verdict
from ..options import CheckOptions
from ..pipeline.engine import Result, check_text

CHECKED = (Verdict.PROVED, Verdict.CONSISTENT, Verdict.NEEDS_ASSUMPTION)


@dataclass(frozen=True)
class Mutant:
    line: int
    kind: str
    original: str  # the span's LaTeX
    latex: str  # mutated span LaTeX
    offset: int  # offset of the span in the file

    def apply(self, text: str) -> str:
        return text[:self.offset] + self.latex + text[self.offset + len(self.original):]


OPERATORS: dict[str, Callable[[str], list[str]]] = {}


def operator(name: str):
    def deco(fn):
        OPERATORS[name] = fn
        return fn
    return deco


def _sub(text: str, m: re.Match, new: str, group: int = 0) -> str:
    return text[:m.start(group)] + new + text[m.end(group):]


def _outside_commands(text: str) -> list[int]:
    """Offsets of letters that are variables (not part of a command or \\text argument)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            m = re.match(r"\\[A-Za-z]+", text[i:])
            i += len(m.group(0)) if m else 2
            continue
        if text[i].isalpha() and not (i + 1 < len(text) and text[i + 1].isalpha()) and \
                not (i > 0 and text[i - 1].isalpha()):
            out.append(i)
        i += 1
    return out


@operator("sign")
def sign(text: str) -> list[str]:
    return [_sub(text, m, "+" if m.group(0) == "-" else "-") for m in re.finditer(r"(?<![\^_{])[+-]", text)]


INDEX_LETTERS = "ijkl"


@operator("symbol")
def symbol(text: str) -> list[str]:
    """Replace a quantity by another quantity of the equation (index letters are the
    subscript operator's business)."""
    letters = sorted({text[i] for i in _outside_commands(text)} - set(INDEX_LETTERS))
    out = []
    for i in _outside_commands(text):
        if i > 0 and text[i - 1] == "_":
            continue
        other = next((c for c in letters if c != text[i] and c.islower() == text[i].islower()), None)
        if other and text[i] not in "ed" + INDEX_LETTERS:
            out.append(text[:i] + other + text[i + 1:])
    return out


@operator("subscript")
def subscript(text: str) -> list[str]:
    out = []
    for m in re.finditer(r"_\{?([a-z])\}?", text):
        new = {"i": "j", "j": "k", "k": "i"}.get(m.group(1), "i")
        out.append(_sub(text, m, new, 1))
    return out


@operator("exponent")
def exponent(text: str) -> list[str]:
    out = [_sub(text, m, "3", 1) for m in re.finditer(r"\^\{?(2)\}?", text)]
    out += [_sub(text, m, "{2" + m.group(1) + "}", 0)[:m.start()] + "^{2" + m.group(1) + "}" + text[m.end():]
            for m in re.finditer(r"\^\{([^{}]+)\}", text) if not m.group(1).isdigit()]
    return out


@operator("function")
def function(text: str) -> list[str]:
    swap = {"log": "exp", "exp": "log", "ln": "exp"}
    out = [_sub(text, m, swap[m.group(1)], 1) for m in re.finditer(r"(?<![a-z])(log|exp|ln)(?![a-z])", text)]
    out += [_sub(text, m, "e^{2", 0) for m in re.finditer(r"e\^\{", text)]
    return out


@operator("bound")
def bound(text: str) -> list[str]:
    out = [_sub(text, m, "2", 1) for m in re.finditer(r"_\{[a-z]=(1)\}", text)]
    out += [_sub(text, m, m.group(1) + "-1", 1) for m in re.finditer(r"\^\{([A-Za-z])\}", text)]
    return out


def mutants_of(text: str, result: Result) -> list[Mutant]:
    """Mutants of every span whose claims were all proved, consistent or needing an assumption."""
    out = []
    by_line: dict[int, list] = {}
    for c in result.claims:
        by_line.setdefault(c.line, []).append(c)
    for block in result.blocks:
        claims = by_line.get(block.span.line, [])
        if not block.has_relation or not claims:
            continue
        if any(c.verdict == Verdict.REFUTED for c in claims) or not any(c.verdict in CHECKED for c in claims):
            continue
        original = block.span.latex
        base = _signature(block)
        seen = set()
        for kind, op in OPERATORS.items():
            for new in op(original):
                if new == original or new in seen:
                    continue
                seen.add(new)
                nb = read_block(replace(block.span, latex=new))
                if nb.status != "parsed" or _signature(nb) == base:
                    continue
                out.append(Mutant(block.span.line, kind, original, new, block.span.offset))
    return out


def _signature(block) -> tuple:
    """The block's SymPy, with ``i = j`` conditions applied (a mutant that only renames
    ``j`` to ``i`` under ``i = j`` is equivalent)."""
    out = []
    for st in block.statements:
        subs = {c.sides[1].expr: c.sides[0].expr for c in st.conditions
                if c.relations == ["eq"] and all(s.expr is not None for s in c.sides)}
        out += [to_srepr(s.expr.xreplace(subs)) for s in st.sides]
        out += [to_srepr(s.expr) for c in st.conditions for s in c.sides]
    return tuple(out)


def detected(text: str, m: Mutant, derivation=None, seed: int = 0) -> bool:
    opts = CheckOptions(seed=seed, prove=False, only_lines=frozenset({m.line}), timeout=10.0)
    res = check_text(m.apply(text), opts, derivation=derivation)
    return any(c.verdict == Verdict.REFUTED for c in res.claims if c.line == m.line)


_STATE: dict = {}


def _init(text, derivation):
    _STATE.update(text=text, derivation=derivation)


def _one(m: Mutant) -> bool:
    return detected(_STATE["text"], m, _STATE["derivation"])


def run(text: str, derivation=None, jobs: int = 2) -> dict:
    """Mutate every correct equation of ``text`` and check each mutant (in ``jobs`` processes)."""
    import time
    from collections import Counter
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    base = check_text(text, CheckOptions(), derivation=derivation)
    mutants = mutants_of(text, base)
    start = time.monotonic()
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_init,
                             initargs=(text, derivation)) as pool:
        hits = list(pool.map(_one, mutants, chunksize=4))
    missed = [m for m, h in zip(mutants, hits) if not h]
    return {
        "mutants": len(mutants), "detected": sum(hits),
        "rate": sum(hits) / len(mutants) if mutants else 0.0,
        "by_operator": dict(Counter(m.kind for m in mutants)),
        "seconds": round(time.monotonic() - start, 1),
        "missed": [{"line": m.line, "kind": m.kind, "latex": m.latex} for m in missed],
    }
