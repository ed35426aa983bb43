r"""Matrix and ``cases`` environments: kept whole through splitting, read as SymPy objects.

A span is cut into rows at ``\\`` and its alignment ``&`` is dropped (``normalize``), which
is right for ``aligned`` but cuts a ``bmatrix`` into fragments. So :func:`normalized` masks
each matrix/cases environment (a private character, then blanks that keep offsets and lines),
normalizes the rest, and puts the environment back, each cell normalized on its own, inside a
brace group: the splitter (which only cuts at bracket depth zero) then never looks inside it.
The construct :func:`environment` reads it: a matrix as ``ImmutableMatrix``, ``cases`` as
``Piecewise``; a matrix with ``\ldots``/``\vdots`` cells, or cases whose conditions are not
plain relations, become an undefined function (``matrix_pattern``, ``cases``), so that what
depends on them is left unchecked rather than read wrong. An equation that defines a bold name by
such a pattern (``\mathbf x = [x_1; \vdots; x_n]``) is no value to substitute: it is recorded as a
definition by components (:mod:`mathlint.claims.patterns`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from ..relations import RELATIONS
from .constructs import CONSTRUCTS, Construct, Parse, Placeholders
from .normalize import normalize
from .texscan import split_top_level, strip_outer_braces, top_level_matches

#: matrix environments (read as matrices) and the piecewise one
MATRICES = ("matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix")
CASES = ("cases", "dcases")
_NAMES = "|".join(MATRICES + CASES)
_BEGIN_END = re.compile(r"\\(begin|end)\s*\{(" + _NAMES + r")\}")
#: the first of the private characters that stand for a masked environment
MARK = 0xE000
MAX_ENVS = 2048
ROW_RE = re.compile(r"\\\\(?:\[[^\]\\]{0,40}\])?|\\cr(?![A-Za-z])")
AMP_RE = re.compile(r"(?<!\\)&")
_ELLIPSIS_CELL = re.compile(r"^\s*\\(?:ldots|vdots|ddots|cdots|dots)\s*$")


@dataclass(frozen=True)
class Env:
    """An outermost environment of a text: its name, where it starts and ends, its body."""

    name: str
    start: int
    end: int
    body: str


def outermost(text: str) -> list[Env]:
    """The outermost matrix/cases environments of ``text`` (an unclosed one is not one)."""
    envs: list[Env] = []
    stack: list[re.Match] = []
    for m in _BEGIN_END.finditer(text):
        if m.group(1) == "begin":
            stack.append(m)
        elif stack and stack[-1].group(2) == m.group(2):
            opened = stack.pop()
            if not stack:
                envs.append(Env(m.group(2), opened.start(), m.end(), text[opened.end():m.start()]))
        else:  # a stray \end: give up on what is open
            stack.clear()
    return envs[:MAX_ENVS]


def mask(text: str) -> tuple[str, list[Env]]:
    """``text`` with each outermost environment replaced by one private character and blanks
    (newlines kept: offsets and lines do not move), and the environments in order. A text that
    already holds such a character is left as it is."""
    if any(MARK <= ord(ch) < MARK + MAX_ENVS for ch in text):
        return text, []
    envs = outermost(text)
    if not envs:
        return text, []
    out, last = [], 0
    for k, env in enumerate(envs):
        blank = re.sub(r"[^\n]", " ", text[env.start + 1:env.end])
        out += [text[last:env.start], chr(MARK + k), blank]
        last = env.end
    out.append(text[last:])
    return "".join(out), envs


def unmask(normalized: str, envs: list[Env]) -> str:
    """Each private character of ``normalized`` back as its environment, normalized cell by
    cell, in a brace group."""
    if not envs:
        return normalized
    return re.sub("[%s-%s]" % (chr(MARK), chr(MARK + len(envs) - 1)),
                  lambda m: "{" + normalized_env(envs[ord(m.group(0)) - MARK]) + "}", normalized)


def normalized(text: str) -> str:
    """``normalize(text)`` with matrix/cases environments kept whole (rows, cells)."""
    masked, envs = mask(text)
    masked = ROW_RE.sub(" ", masked) if envs else masked  # a row break left in a bracket: the text goes on
    return unmask(normalize(masked), envs)


def cells(body: str) -> list[list[str]]:
    """The rows of an environment's body, each a list of its cells' raw LaTeX (empty rows dropped)."""
    masked, _ = mask(body)
    rows = []
    for r_off, row in split_top_level(masked, ROW_RE):
        row_cells = [body[r_off + c_off:r_off + c_off + len(c)] for c_off, c in split_top_level(row, AMP_RE)]
        if any(c.strip() for c in row_cells):
            rows.append(row_cells)
    return rows


def normalized_env(env: Env) -> str:
    rows = [" & ".join(normalized(c) for c in row) for row in cells(env.body)]
    return "\\begin{%s} %s \\end{%s}" % (env.name, " \\\\ ".join(rows), env.name)


# --- reading ----------------------------------------------------------------

#: relation name → SymPy relation, for the conditions of ``cases`` rows
_RELATIONAL = {"lt": sp.Lt, "le": sp.Le, "gt": sp.Gt, "ge": sp.Ge, "eq": sp.Eq, "ne": sp.Ne}
_TOKEN_OF = {t: r.name for r in RELATIONS.values() if r.name in _RELATIONAL for t in r.tokens}
_CONDITION_RE = re.compile("|".join(
    [r">=|<=|=<|=>"] + [re.escape(t) + (r"(?![A-Za-z])" if t.startswith("\\") else "")
                        for t in sorted(_TOKEN_OF, key=len, reverse=True)]))
_ASCII = {">=": "ge", "=>": "ge", "<=": "le", "=<": "le"}
_WORD = r"\\(?:text|textrm|mbox|mathrm|textit|textnormal)\s*\{([^{}]*)\}"
_LEAD = re.compile(r"^[\s,]*(?:" + _WORD + r"|\\(?:quad|qquad)(?![A-Za-z]))")
_OTHERWISE = re.compile(r"^(?:otherwise|else|elsewhere|if not|else where)$")
_IF = re.compile(r"^(?:if|when|for|whenever|where|with)$")
_AND = re.compile(r"[\s,]*(?:" + _WORD + r"|,)[\s,]*")


class Unread(Exception):
    """A condition that is not a plain chain of comparisons."""


def _comparisons(text: str, parse: Parse) -> sp.Basic:
    pieces = split_top_level(text, _CONDITION_RE)
    found = [m.group(0).strip() for m in top_level_matches(_CONDITION_RE, text)]
    if not found or len(pieces) != len(found) + 1:
        raise Unread(text)
    sides = [parse(p) for _, p in pieces]
    rels = [_RELATIONAL[_ASCII.get(t) or _TOKEN_OF[t]](a, b) for t, a, b in zip(found, sides, sides[1:])]
    return sp.And(*rels)


def _condition(text: str, parse: Parse) -> sp.Basic:
    """A ``cases`` row's condition: ``x < 0``, ``\\text{if } x > 0``, ``\\text{otherwise}``,
    ``0 \\le x < 1 \\text{ with } k \\ge 1`` (every part must be a comparison)."""
    rest = text.strip()
    while True:
        m = _LEAD.match(rest)
        if not m:
            break
        word = (m.group(1) or "").strip().strip(",").strip().lower()
        if word and _OTHERWISE.match(word):
            if rest[m.end():].strip():
                raise Unread(text)
            return sp.true
        if word and not _IF.match(word):
            raise Unread(text)
        rest = rest[m.end():]
    parts = [p for _, p in split_top_level(rest, _AND) if p.strip()]
    for m in _AND.finditer(rest):
        word = (m.group(1) or "").strip().lower()
        if m.group(1) is not None and word not in ("and", "with", "for", "if", "where"):
            raise Unread(text)
    if not parts:
        raise Unread(text)
    return sp.And(*[_comparisons(p, parse) for p in parts])


def _matrix(env: str, rows: list[list[str]], parse: Parse) -> sp.Basic:
    flat = [c for row in rows for c in row]
    if any(_ELLIPSIS_CELL.match(c) for c in flat) or len({len(r) for r in rows}) != 1:
        return sp.Function("matrix_pattern")(*[parse(c) for c in flat if not _ELLIPSIS_CELL.match(c)])
    matrix = sp.ImmutableMatrix([[parse(c) for c in row] for row in rows])
    if env in ("vmatrix", "Vmatrix"):  # |A|: a determinant
        return matrix.det() if matrix.is_square else sp.Function("det")(*flat)
    return matrix


def _cases(rows: list[list[str]], parse: Parse) -> sp.Basic:
    values = [parse(row[0]) for row in rows]
    try:
        if any(len(row) != 2 for row in rows):
            raise Unread("a row without a condition")
        conditions = [_condition(row[1], parse) for row in rows]
    except Unread:
        return sp.Function("cases")(*values)
    return sp.Piecewise(*zip(values, conditions))


_ENV_AT = re.compile(r"\\begin\s*\{(" + _NAMES + r")\}")
_TRANSPOSE = re.compile(r"\s*\^\s*(?:\{\s*(?:\\top|T|\\intercal)\s*\}|(?:\\top|\\intercal)(?![A-Za-z])|T(?![A-Za-z]))")


def environment(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\begin{bmatrix} a & b \\ c & d \end{bmatrix}`` (``pmatrix``, ``matrix``, …) →
    ``ImmutableMatrix([[a, b], [c, d]])`` (``^\top`` after it: transposed; ``vmatrix``: its
    determinant); ``\begin{cases} v_1 & \text{if } c_1 \\ v_2 & \text{otherwise} \end{cases}`` →
    ``Piecewise((v_1, c_1), (v_2, True))``. With ``\vdots``/``\ldots`` cells an undefined
    ``matrix_pattern(…)``; with conditions that are not comparisons an undefined ``cases(…)``."""
    if "\\begin" not in text:
        return text
    out, last = [], 0
    for env in outermost(text):
        if env.start < last:
            continue
        rows = [[strip_outer_braces(c) or c for c in row] for row in cells(env.body)]
        if not rows:
            continue
        value = _cases(rows, parse) if env.name in CASES else _matrix(env.name, rows, parse)
        start, end = env.start, env.end
        if text[start - 1:start] == "{" and text[end:end + 1] == "}":  # the group split put it in
            start, end = start - 1, end + 1
        t = _TRANSPOSE.match(text, end)
        if t and isinstance(value, sp.MatrixBase):
            value, end = value.T, t.end()
        elif t:  # a pattern (``[x_1, \ldots, x_n]^\top``): the undefined transpose the linear-algebra reading uses
            value, end = sp.Function("transpose")(value), t.end()
        out += [text[last:start], ph.new(value, text[start:end])]
        last = end
    out.append(text[last:])
    return "".join(out)


# first: the cells must reach ``parse`` as written, before another construct puts its
# placeholders (which belong to this side's table, not to a cell's) inside them
CONSTRUCTS.insert(0, Construct("environment", (environment.__doc__ or "").strip(), environment))
