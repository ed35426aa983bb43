r"""Products of matrices: juxtaposed bold names (and the plain capitals that name the same
matrices), their order kept.

The grammar's product of names commutes; a matrix product does not. A run of juxtaposed
factors holding a bold capital becomes an ordered :class:`~mathlint.expr.linalg.MatProd`,
which the instantiation multiplies as matrices. A plain capital is such a factor only where the
text makes it a matrix: the same formula writes it bold too (``\mathbf A`` beside ``A``), or it
stands between a transposed vector and a vector (``\mathbf x^\top A \mathbf x``); it is read as
the bold name (:func:`plain_matrices` names the reading for the verdict).
"""

from __future__ import annotations

import re

from ..expr.linalg import MatProd
from .constructs import Parse, Placeholders, construct
from .linalg import _restore, mark_transposes
from .texscan import match_group

_SUB = r"(?:_(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\(?:text|textrm|mathrm)\{[^{}]*\}|[A-Za-z0-9]))?"
_SUP = r"(?:\^(?:\{\s*-?\s*(?:\d+|[A-Za-z])\s*\}|\d|[A-Za-z]))?"  # ``^{-1}``, ``^2``, ``^n``; not ``^{(1)}``
_LAYER = r"(?:\^\{\s*\([^{}()]*\)\s*\})?"  # ``\mathbf{W}^{(1)}``, ``\mathbf{H}_t^{(l-1)}``: a layer, not a power
_BOLD_ATOM = re.compile(r"\\(?:mathbf|boldsymbol)\s*\{\s*\\?[A-Za-z]+\s*\}" + _SUB + _LAYER + _SUP)
_GROUP_START = re.compile(r"\\operatorname\{transpose\}\s*\(|\(")
_CAPITAL = re.compile(r"\\(?:mathbf|boldsymbol)\s*\{\s*\\?[A-Z]")
_AFTER_ATOM = re.compile(r"\s*[_^'A-Za-z0-9]")  # a script or a name glued on: the atom is not whole
#: a bare capital letter (no script, no call, not a command's argument), or its marked transpose
_PLAIN = re.compile(r"(?<![\\A-Za-z0-9{])(?:([A-Z])(?![A-Za-z0-9_^'({}])|\\operatorname\{transpose\}\(\s*([A-Z])\s*\))")
_BOLD_LETTER = re.compile(r"\\(?:mathbf|boldsymbol)\s*\{\s*([A-Z])\s*\}")
_TRANSPOSED_VECTOR = re.compile(r"\\operatorname\{transpose\}\s*\(\s*\\(?:mathbf|boldsymbol)\s*\{\s*[a-z]\s*\}\s*\)$")
_BOLD_VECTOR = re.compile(r"\\(?:mathbf|boldsymbol)\s*\{\s*[a-z]\s*\}$")


def _matrix_atom(text: str, i: int, plain: frozenset[str]) -> int | None:
    """End of the factor of a matrix product at ``i``: a bold name with a subscript and a power
    (``\\mathbf{W}_1``, ``\\boldsymbol{\\Sigma}^{-1}``), a marked transpose or a bracket (with a
    power), a bare capital of ``plain`` (a letter the text also writes bold); None for anything else."""
    m = _BOLD_ATOM.match(text, i)
    if m:
        return m.end()
    p = _PLAIN.match(text, i)
    if p and _letter(p) in plain:
        return p.end()
    g = _GROUP_START.match(text, i)
    if g is None:
        return None
    end = match_group(text, g.end() - 1)
    if end < 0 or not _BOLD_ATOM.search(text, g.end(), end):  # ``(x)``: no matrix factor (maybe a call)
        return None
    sup = re.compile(_SUP).match(text, end)
    return sup.end() if sup else end


def _sandwiched(text: str, i: int) -> str | None:
    """The bare capital at ``i`` when it stands between a transposed bold vector and a bold vector
    (``\\mathbf x^\\top A \\mathbf x``): a matrix, whichever way the text writes its name."""
    p = _PLAIN.match(text, i)
    if p is None or not _TRANSPOSED_VECTOR.search(text[max(0, i - 120):i].rstrip()):  # bounded: a long post
        return None
    j = p.end()
    while j < len(text) and text[j] == " ":
        j += 1
    after = _BOLD_ATOM.match(text, j)
    return _letter(p) if after is not None and _BOLD_VECTOR.fullmatch(after.group(0)) else None


def _chains(text: str):
    """Runs of two or more juxtaposed factors, one of them holding a bold capital (a matrix):
    (start, end, factor texts, the bare capitals read as matrices); a bare capital's factor text
    is its bold name."""
    bold = frozenset(_BOLD_LETTER.findall(text))  # capitals the formula writes bold: their bare forms too
    i = 0
    while i < len(text):
        m = _BOLD_ATOM.search(text, i)
        g = _GROUP_START.search(text, i)
        starts = [x.start() for x in (m, g) if x is not None]
        if not starts:
            return
        found = start = min(starts)
        before = text[:start].rstrip()[-1:]
        if start > 0 and text[start - 1] in "_^\\" or text[start] == "(" and before and (
                before.isalnum() or before in "}])"):  # a call's argument (``\mathrm{f}(…)``), or a script
            i = start + 1
            continue
        head = text[:start].rstrip()
        back = _PLAIN.match(head, len(head) - 1) if head else None
        if back is not None and _letter(back) in bold:
            start = back.start()  # ``A\mathbf x`` beside ``\mathbf A``: ``A`` is the first factor
        parts, plain, k = [], set(), start
        while (end := _matrix_atom(text, k, bold | {_sandwiched(text, k)} - {None})) is not None:
            parts.append((k, end))
            if p := _PLAIN.fullmatch(text[k:end]):
                plain.add(_letter(p))
            k = end
            while k < len(text) and text[k] == " ":
                k += 1
        stop = parts[-1][1] if parts else start + 1
        glued = _AFTER_ATOM.match(text, stop) and not text[stop:stop + 1].isspace() or \
            text.startswith("(", stop)  # ``\mathbf{A}_1(x)``: a call, not read here
        pieces = [_as_bold(text[a:b]) for a, b in parts]
        if len(pieces) >= 2 and not glued and any(_CAPITAL.search(p) for p in pieces):
            yield start, stop, pieces, plain
            i = stop
        else:
            i = found + 1  # a bracket's inside may hold a product (``(\mathbf{A}\mathbf{B})^{-1}``)


def _letter(p: re.Match) -> str:
    return p.group(1) or p.group(2)


def _as_bold(piece: str) -> str:
    """A bare capital's factor as its bold name (``A^\\top``: the bold one's transpose)."""
    p = _PLAIN.fullmatch(piece)
    if p is None:
        return piece
    bold = "\\mathbf{%s}" % _letter(p)
    return bold if p.group(1) else "\\operatorname{transpose}(%s)" % bold


def plain_matrices(latex: str) -> list[str]:
    r"""The bare capitals a formula's products read as matrices (``A`` of ``\mathbf x^\top A
    \mathbf x``, or beside ``\mathbf A``), for the verdict to name the reading."""
    found: set[str] = set()
    for *_, plain in _chains(mark_transposes(latex)):
        found |= plain
    return sorted(found)


@construct("matrix-product", before="transpose")
def matrix_product(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""Juxtaposed bold names, marked transposes and brackets, one holding a bold capital
    (``\mathbf{A}\mathbf{B}``, ``\mathbf{x}^\top\mathbf{A}\mathbf{x}``, ``\mathbf{W}^{-1}(\mathbf{A}+\mathbf{B})``)
    → ``MatProd(…)``: a product of matrices and vectors in the written order (the grammar's
    product of names commutes). A bare capital the formula also writes bold, or between a
    transposed vector and a vector (``\mathbf{x}^\top A \mathbf{x}``), is that matrix."""
    out, i = [], 0
    for start, stop, pieces, _ in list(_chains(text)):
        out.append(text[i:start])
        out.append(ph.new(MatProd(*[parse(_restore(p, ph)) for p in pieces]), text[start:stop]))
        i = stop
    out.append(text[i:])
    return "".join(out)
