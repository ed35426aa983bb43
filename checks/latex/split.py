r"""Split a math span into statements: relation chains with their conditions.

``a = b \\ = c`` is one chain of three sides; ``x \hspace{1in} y`` and
``x_i \in R^n, y_i \in \{0,1\}`` are two statements; ``…, \quad i = j`` is a
condition of the statement before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Side, Statement
from ..relations import RELATIONS
from .normalize import normalize
from .texscan import split_top_level, top_level_matches

#: relation token → relation name, and the patterns read as a relation, from the registry
TOKENS: dict[str, str] = {t: r.name for r in RELATIONS.values() for t in r.tokens}
_PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(p), r.name) for r in RELATIONS.values() for p in r.patterns]


def _token_re(token: str) -> str:
    """A command is not read inside a longer one (``\\in`` in ``\\int``)."""
    return re.escape(token) + (r"(?![A-Za-z])" if token.startswith("\\") else "")


#: patterns first, then tokens longest first, then the one-character tokens as one class
RELATION_RE = re.compile("|".join(
    [p.pattern for p, _ in _PATTERNS]
    + [_token_re(t) for t in sorted((t for t in TOKENS if len(t) > 1), key=len, reverse=True)]
    + ["[" + "".join(re.escape(t) for t in TOKENS if len(t) == 1) + "]"]
))
#: a row break with its optional spacing (``\\[2pt]``, ``\\[0.5\baselineskip]``); the spacing
#: stops at a backslash that starts no command, so many ``\\[`` with no ``]`` stay linear
ROW_RE = re.compile(r"\\\\(\[[^\]\\]*+(?:\\[A-Za-z]++[^\]\\]*+)*+\])?|\\newline(?![A-Za-z])|\\cr(?![A-Za-z])")
STATEMENT_SEP_RE = re.compile(r"\\hspace\*?\{[^{}]*\}|;|\\text\{\s*and\s*\}|\\qquad(?![A-Za-z])")
CONDITION_SEP_RE = re.compile(
    r",?\s*\\quad(?![A-Za-z])|,?\s*\\text\{\s*(?:if|for|when|where|for all)\s*\}|,?\s*\\forall(?![A-Za-z])"
)
COMMA_RE = re.compile(r",")


def relation_name(token: str) -> str:
    """The name of the relation a :data:`RELATION_RE` match reads as."""
    token = token.strip()
    for pattern, name in _PATTERNS:
        if pattern.fullmatch(token):
            return name
    return TOKENS[token]


def has_relation(text: str) -> bool:
    return bool(top_level_matches(RELATION_RE, text))


def _chain(text: str, line: int) -> Statement:
    sides, relations, last = [], [], 0
    for m in top_level_matches(RELATION_RE, text):
        sides.append(Side(text[last:m.start()].strip(), line))
        relations.append(relation_name(m.group(0)))
        last = m.end()
    sides.append(Side(text[last:].strip(), line))
    return Statement(sides=sides, relations=relations, line=line)


def _statements_of_row(text: str, line: int) -> list[Statement]:
    out: list[Statement] = []
    for _, piece in split_top_level(text, STATEMENT_SEP_RE):
        if not piece.strip():
            continue
        parts = _main_first([p for _, p in split_top_level(piece, CONDITION_SEP_RE)])
        main, conds = parts[0].strip().rstrip(","), [p.strip().rstrip(",") for p in parts[1:] if p.strip()]
        commas = [p for _, p in split_top_level(main, COMMA_RE)]
        mains = commas if len(commas) > 1 and all(has_relation(p) for p in commas) else [main]
        for k, text_k in enumerate(mains):
            st = _chain(text_k, line)
            if k == len(mains) - 1:
                st.conditions = [_chain(c, line) for c in conds]
            out.append(st)
    return out


def _main_first(parts: list[str]) -> list[str]:
    """The parts of a piece cut at ``\\quad``/``\\text{if}``…, the equation first. When the
    first part has no relation, ``\\quad`` was spacing (``a \\quad = \\quad b``: one equation)
    or came after a label (``\\text{so} \\quad a = b``: the label is dropped)."""
    if has_relation(parts[0]) or not any(has_relation(p) for p in parts[1:]):
        return parts
    if any(RELATION_RE.match(p.strip()) for p in parts[1:]):
        return [" ".join(parts)]
    return parts[next(k for k, p in enumerate(parts) if has_relation(p)):]


def _merge(prev: Statement, nxt: Statement) -> bool:
    """Continue ``prev`` with a row that starts with a relation (``\\ = c``) or
    fill its dangling last side (``a = \\ b``). True when merged."""
    if not prev.relations:
        return False
    if not nxt.sides[0].latex and nxt.relations:
        if not prev.sides[-1].latex:
            return False
        prev.sides.extend(nxt.sides[1:])
        prev.relations.extend(nxt.relations)
        prev.conditions.extend(nxt.conditions)
        return True
    if not prev.sides[-1].latex:
        prev.sides[-1] = nxt.sides[0]
        prev.sides.extend(nxt.sides[1:])
        prev.relations.extend(nxt.relations)
        prev.conditions.extend(nxt.conditions)
        return True
    return False


def split_statements(latex: str, line_of: Callable[[int], int]) -> tuple[str, list[Statement]]:
    """Normalize ``latex`` row by row and split it into statements.

    ``line_of`` maps an offset in ``latex`` to its source line. Returns the
    normalized text of the whole span (rows joined by `` \\\\ ``) and the statements.
    """
    normalized_rows, statements = [], []
    for start, row in split_top_level(latex, ROW_RE):
        norm = normalize(row)
        if not norm:
            continue
        normalized_rows.append(norm)
        lead = len(row) - len(row.lstrip())
        for st in _statements_of_row(norm, line_of(start + lead)):
            if not (statements and _merge(statements[-1], st)):
                statements.append(st)
    return " \\\\ ".join(normalized_rows), statements
