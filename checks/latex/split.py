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
from .environments import mask, unmask
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
#: a prose word written in math: ``\text{ and hence }``, ``\textrm{, where }``, ``\mbox{if}``
_PROSE_OPEN = r"\\(?:text|textrm|mbox|mathrm|textit|textnormal|textup)\s*\{[\s,]*"
#: words that join two statements (each is checked on its own)
STATEMENT_WORDS = ("and hence", "and thus", "and so", "and therefore", "and", "hence", "thus", "so",
                   "therefore", "then", "i\\.e\\.", "which gives", "giving", "with gradient", "with derivative")
#: words that introduce a condition of the statement before them; the rest of the text inside
#: the braces is prose (``\textrm{for any constant $C$}``, ``\textrm{ with equality if and only if }``)
CONDITION_WORDS = ("for all", "for any", "for every", "for each", "for", "where", "with", "if", "iff",
                   "whenever", "when", "subject to", "s\\.t\\.", "such that", "provided", "given", "otherwise")
#: ``\implies``, ``\iff``, ``\Rightarrow``, … between statements: each side is a statement of its own
IMPLIES = r"\\(?:implies|impliedby|iff|Rightarrow|Leftarrow|Leftrightarrow|Longrightarrow|Longleftarrow|" \
          r"Longleftrightarrow|therefore|because)(?![A-Za-z])"
STATEMENT_SEP_RE = re.compile(r"\\hspace\*?\{[^{}]*\}|;|\\qquad(?![A-Za-z])|" + IMPLIES + "|"
                              + _PROSE_OPEN + "(?:%s)[\\s,.]*\\}(?!\\s*\\()" % "|".join(STATEMENT_WORDS))
#: a condition word and the prose after it, up to the closing brace
CONDITION_WORD_RE = re.compile(r",?\s*" + _PROSE_OPEN + r"(?:%s)(?![A-Za-z])[^{}]*\}" % "|".join(CONDITION_WORDS))
CONDITION_SEP_RE = re.compile(r",?\s*\\quad(?![A-Za-z])|" + CONDITION_WORD_RE.pattern + r"|,?\s*\\forall(?![A-Za-z])")
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


#: ``1 + \gamma + \ldots, = …``: a comma after a trailing ellipsis is punctuation, not a list
_ELLIPSIS_COMMA = re.compile(r"(\\ldots)\s*,(?=\s*(?:[)\]]|$))")


def _side(text: str, line: int) -> Side:
    return Side(_ELLIPSIS_COMMA.sub(r"\1", text.strip()).strip(), line)


def _chain(text: str, line: int) -> Statement:
    sides, relations, last = [], [], 0
    for m in top_level_matches(RELATION_RE, text):
        sides.append(_side(text[last:m.start()], line))
        relations.append(relation_name(m.group(0)))
        last = m.end()
    sides.append(_side(text[last:], line))
    return Statement(sides=sides, relations=relations, line=line)


#: a trailing ``\textrm{Sum rule}``, ``\textrm{Boxcar;}``: a label of the equation before it, in prose
_LABEL = re.compile(r"\\(?:text|textrm|mbox|textit|textnormal)\s*\{([^{}$]*)\}\s*$")


def _without_label(piece: str) -> str:
    """``piece`` without a trailing label (two words or more, or ending with ``;``/``:``) after a relation."""
    m = _LABEL.search(piece)
    if not m or not has_relation(piece[:m.start()]) or not top_level_matches(_LABEL, piece):
        return piece
    words = m.group(1).split()
    if len(words) >= 2 and words[0].isalpha() or m.group(1).rstrip().endswith((";", ":")):
        return piece[:m.start()]
    return piece


_LEADING_QUAD = re.compile(r"^(?:\s*\\quad(?![A-Za-z]))+")


def _statements_of_row(text: str, line: int) -> list[Statement]:
    out: list[Statement] = []
    for _, piece in split_top_level(text, STATEMENT_SEP_RE):
        piece = _without_label(_LEADING_QUAD.sub("", piece))
        if not piece.strip():
            continue
        split = split_top_level(piece, CONDITION_SEP_RE)
        if len(split) > 1 and not split[0][1].strip() and CONDITION_WORD_RE.match(piece, len(split[0][1])):
            # ``\textrm{for all } s \in S`` alone: conditions of the statement before it
            conds = [p.strip().rstrip(",") for _, p in split[1:] if p.strip()]
            if all(has_relation(c) for c in conds):
                out.append(Statement(sides=[], relations=[], conditions=[_chain(c, line) for c in conds], line=line))
                continue
        parts = _main_first([p for _, p in split])
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


#: a row that begins with a binary operator goes on with the side before it (``a = b \\ + c``)
_CONTINUES = re.compile(r"^\s*(?:[-+/]|\\(?:cdot|times|pm|mp|circ|odot)(?![A-Za-z]))")
#: a row that ends with one is continued by the next row
_DANGLES = re.compile(r"(?:[-+/]|\\(?:cdot|times|pm|mp|circ|odot)(?![A-Za-z]))\s*$")


def _join(prev: Statement, nxt: Statement, first: str) -> None:
    prev.sides[-1] = Side(first, prev.sides[-1].line)
    prev.sides.extend(nxt.sides[1:])
    prev.relations.extend(nxt.relations)
    prev.conditions.extend(nxt.conditions)


def _merge(prev: Statement, nxt: Statement) -> bool:
    """Continue ``prev`` with a row that starts with a relation (``\\ = c``), fill its dangling
    last side (``a = \\ b``), go on with its last side (``a = b + \\ c``, ``a = b \\ + c``), or
    take the conditions of a row that has only conditions (``\\ \text{for all } s``). True when merged."""
    if not nxt.sides:
        if not prev.relations:
            return False
        prev.conditions.extend(nxt.conditions)
        return True
    if not prev.sides or not prev.sides[-1].latex and not prev.relations:
        return False
    last, head = prev.sides[-1].latex, nxt.sides[0].latex
    if not head and nxt.relations:
        if not last:
            return False
        prev.sides.extend(nxt.sides[1:])
        prev.relations.extend(nxt.relations)
        prev.conditions.extend(nxt.conditions)
        return True
    if not prev.relations:
        return False
    if not last:
        _join(prev, nxt, head)
        return True
    lead = _CONTINUES.match(head)
    if head and (lead and (not nxt.relations or lead.group(0).strip() != "-") or _DANGLES.search(last)):
        _join(prev, nxt, f"{last} {head}")
        return True
    return False


def split_statements(latex: str, line_of: Callable[[int], int]) -> tuple[str, list[Statement]]:
    """Normalize ``latex`` row by row and split it into statements.

    ``line_of`` maps an offset in ``latex`` to its source line. Returns the
    normalized text of the whole span (rows joined by `` \\\\ ``) and the statements.
    Matrix and ``cases`` environments are kept whole (:mod:`.environments`); a row break
    inside brackets (``\\left( a + \\\\ b \\right)``) only continues the text.
    """
    normalized_rows, statements = [], []
    masked, envs = mask(latex)
    for start, row in split_top_level(masked, ROW_RE):
        norm = unmask(normalize(ROW_RE.sub(" ", row)), envs).removesuffix("?").rstrip()  # a question's mark
        if not norm:
            continue
        normalized_rows.append(norm)
        lead = len(row) - len(row.lstrip())
        for st in _statements_of_row(norm, line_of(start + lead)):
            if not (statements and _merge(statements[-1], st)):
                statements.append(st)
    return " \\\\ ".join(normalized_rows), [x for st in statements for x in _unfolded(st)]


def _unfolded(st: Statement) -> list[Statement]:
    """A row of conditions with no statement before it to take them: each is a statement."""
    return st.conditions if not st.sides else [st]
