"""Names as ML texts write them: fonts, accents, stars, word labels, words and spaces.

Two kinds of pieces: text rules, registered in ``normalize.RULES`` where they must run (normalize
imports this module), and constructs, registered here in ``constructs.CONSTRUCTS``:

* text rules (``str -> str``) that respell a name into the one form the readers know:
  ``\\mathbf X``, ``\\bm{x}``, ``\\textbf{x}`` → ``\\mathbf{x}``; ``\\hat{\\mathbf y}`` → ``\\hat{y}``
  (a hat names a distinct object, and ``\\hat y_j`` is its component); ``\\textrm{Var}(X)`` →
  ``\\operatorname{Var}(X)``; a lone word ``\\textrm{AUC}`` → ``\\text{AUC}``; ``e_{ij}`` → a name;
* constructs that build a name the grammar cannot spell: ``x^*``, ``X_*``, ``x_{*1}`` (distinct
  names), ``W_{\\textrm{xh}}`` (a word subscript is a label, part of the name, never an index),
  ``\\mathcal{X}`` (other than ``\\mathbf{X}``), and ``\\mathbb{R}^{n \\times d}`` (a space).

Every pattern is linear (no nested quantifier that can backtrack); sizes are bounded by the side.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy as sp

from ..expr.symbols import RealSpace
from .constructs import Parse, Placeholders, construct, replace_calls
from .texscan import match_group, split_top_level, strip_outer_braces

GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
         "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi",
         "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
         "Upsilon", "Phi", "Psi", "Omega", "ell")
_GREEK = "(?:" + "|".join(sorted(GREEK, key=len, reverse=True)) + ")(?![A-Za-z])"
#: words inside ``\\textrm{…}`` that are prose between statements (family S reads them), never names
PROSE = frozenset({"and", "or", "where", "with", "for", "if", "otherwise", "when", "whenever", "then",
                   "hence", "thus", "so", "s", "t", "st", "subject", "to", "all", "is", "as", "of", "in",
                   "on", "else", "since", "because", "let", "such", "that", "i", "e", "g", "eg", "ie"})
#: ``\\textrm{tanh}`` and its kin spell a function SymPy knows: written with its backslash command
KNOWN = ("tanh", "sinh", "cosh", "exp", "log", "ln", "sin", "cos", "tan", "max", "min")

_BOLD_SPELLINGS = r"(?:mathbf|boldsymbol|bm|vec|textbf|pmb)"
_FONT_BARE = re.compile(r"\\(mathbf|boldsymbol|bm|vec|textbf|pmb|mathbb|mathcal|hat|widehat|tilde|widetilde|"
                        r"bar|overline)(?![A-Za-z])\s*(\\" + _GREEK + r"|[A-Za-z0-9](?![A-Za-z]))")
_BOLD_NESTED = re.compile(r"\\" + _BOLD_SPELLINGS + r"\s*\{\s*\\" + _BOLD_SPELLINGS + r"\s*\{([^{}]*)\}\s*\}")
_BOLD_ANY = re.compile(r"\\" + _BOLD_SPELLINGS + r"\s*\{([^{}]*)\}")
_WIDE = re.compile(r"\\(widehat|widetilde|overline)(?![A-Za-z])")
_ACCENT_OF_SUB = re.compile(r"\\(hat|tilde|bar)\s*\{\s*([A-Za-z]|\\" + _GREEK
                            + r")\s*_\s*(\{[^{}]*\}|[A-Za-z0-9])\s*\}")
_GROUPED = re.compile(r"\{\s*(\\(?:mathbf|boldsymbol|hat|tilde|bar)\{[^{}]*\})\s*\}")


def fonts(s: str) -> str:
    r"""Bold spellings as one: ``\mathbf X``, ``\bm{x}``, ``\vec{x}``, ``\textbf{x}``,
    ``\boldsymbol{x}`` → ``\mathbf{x}``; ``\mathbf{\mu}``, ``\boldsymbol\mu`` → ``\boldsymbol{\mu}``;
    ``{\mathbf{v}}_i`` → ``\mathbf{v}_i``; braces added after ``\mathbb R``, ``\mathcal X``, ``\hat y``.
    Accents name an object (read by ``decorated-names``): ``\widehat``/``\widetilde``/``\overline``
    → ``\hat``/``\tilde``/``\bar``, ``\bar{X_n}`` → ``\bar{X}_n``."""
    s = _FONT_BARE.sub(lambda m: "\\%s{%s}" % (m.group(1), m.group(2)), s)
    s = _BOLD_NESTED.sub(lambda m: "\\mathbf{%s}" % m.group(1), s)
    s = _BOLD_ANY.sub(lambda m: _bold(m.group(1)), s)
    s = _WIDE.sub(lambda m: {"widehat": "\\hat", "widetilde": "\\tilde", "overline": "\\bar"}[m.group(1)], s)
    s = _ACCENT_OF_SUB.sub(lambda m: "\\%s{%s}_%s" % m.groups(), s)
    return _ungroup(s)


def _bold(inner: str) -> str:
    inner = inner.strip()
    return "\\boldsymbol{%s}" % inner if re.fullmatch(r"\\" + _GREEK, inner) else "\\mathbf{%s}" % inner


_NO_ARGUMENT = re.compile(r"\\(?:top|intercal|cdot|times|quad|qquad)$")  # commands that take no argument


def _ungroup(s: str) -> str:
    """``{\\mathbf{v}}`` → ``\\mathbf{v}`` where the braces are no argument of a command, a script or
    a second argument (``\\frac{\\mathbf{x}}{2}``, ``^{\\hat{y}}`` keep theirs)."""
    out, i = [], 0
    for m in _GROUPED.finditer(s):
        head = s[:m.start()].rstrip()
        before = head[-1:]
        if before and (before.isalpha() or before in "}^_") and not _NO_ARGUMENT.search(head):
            continue
        out += [s[i:m.start()], m.group(1)]
        i = m.end()
    out.append(s[i:])
    return "".join(out)


_MATHOP = re.compile(r"\\mathop\s*\{\s*\\(?:mathrm|textrm|text|operatorname)\s*\{([A-Za-z]+)\}\s*\}")
_STARRED_OP = re.compile(r"\\operatorname\*\s*\{")
_WORD = re.compile(r"\\(textrm|mathrm|text|textit|mathit|mathsf|operatorname)\s*\{([A-Za-z][A-Za-z0-9]*)\}")
_DET = re.compile(r"\\det(?=\s*\()")


def text_names(s: str) -> str:
    r"""Words in math: ``\textrm{Var}(X)``, ``\mathrm{softmax}(\mathbf o)``, ``\mathop{\mathrm{BN}}(x)``,
    ``\det(A)`` → ``\operatorname{…}(…)`` (an applied function of that name); ``\textrm{tanh}``,
    ``\mathrm{exp}``, ``\mathop{\mathrm{max}}`` → ``\tanh``, ``\exp``, ``\max`` (SymPy's);
    ``\operatorname*{argmin}`` → ``\operatorname{argmin}``; a lone word (``\textrm{AUC}``,
    ``\mathrm{water}``) → ``\text{…}``, one name. Prose words (``\textrm{ and }``), one letter
    (``\mathrm{d}``) and words before ``[`` (``\mathrm{Var}[X]``) are left alone."""
    s = _MATHOP.sub(lambda m: "\\operatorname{%s}" % m.group(1), s)
    s = _STARRED_OP.sub("\\\\operatorname{", s)
    s = _DET.sub("\\\\operatorname{det}", s)

    def word(m: re.Match) -> str:
        cmd, w = m.groups()
        if w in KNOWN:
            return "\\%s " % w
        if w.lower() in PROSE or len(w) < 2:
            return m.group(0)
        after = s[m.end():m.end() + 40].lstrip()[:1]
        if after == "(":
            return "\\operatorname{%s}" % w
        if after == "[" or cmd == "operatorname":
            return m.group(0)
        return "\\text{%s}" % w
    return _WORD.sub(word, s)


_EULER_SUB = re.compile(r"(?<![A-Za-z\\{])e(?=\s*_)")


def euler_subscript(s: str) -> str:
    r"""``e_{ij}``, ``e_i``: a subscripted ``e`` is a name (an error, an edge, a score), never
    Euler's number: → ``\text{e}_{ij}``."""
    return _EULER_SUB.sub("\\\\text{e}", s)


# --- constructs --------------------------------------------------------------

_BASE = (r"(\\(?:hat|tilde|bar)\{\s*\\(?:mathbf|boldsymbol)\{\s*(?:[A-Za-z]|\\" + _GREEK + r")\s*\}\s*\}"
         r"|\\(?:mathbf|boldsymbol|hat|tilde|bar|mathcal)\{\s*(?:[A-Za-z]|\\" + _GREEK + r")\s*\}"
         r"|\\" + _GREEK + r"|(?<![A-Za-z\\])[A-Za-z])")
_STAR = r"(?:\^\s*(?:\*|\\ast|\\star|\{\s*(?:\*|\\ast|\\star)\s*\})|_\s*(?:\*|\{\s*\*\s*\}|\{\s*\*([^{}]+)\}))"
_LABEL_WORD = r"\\(?:textrm|text|mathrm|textit|mathit)\s*\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}"
_LABEL = r"(?:([_^])\s*(?:\{\s*" + _LABEL_WORD + r"\s*\}|" + _LABEL_WORD + "))"
_DECORATION = re.compile(r"\s*(?:(?P<star>" + _STAR + r")|" + _LABEL + ")")
_NAME = re.compile(_BASE)
_INDEX = re.compile(r"\s*_\s*(\{|[A-Za-z0-9]|\\(?:mathcal|mathbf|mathrm)\s*\{[^{}]*\}|\\" + _GREEK + ")")


def _base_name(tex: str) -> str:
    """The name the readers give a base: ``\\mathbf{W}`` → ``math{W}`` (the grammar's spelling,
    which the bold-as-number reading recognises), ``\\mu`` → ``mu``, ``\\hat{y}`` → ``hat{y}``."""
    m = re.fullmatch(r"\\(hat|tilde|bar)\{\s*\\(mathbf|boldsymbol)\{\s*(.*?)\s*\}\s*\}", tex)
    if m:  # ``\hat{\mathbf y}`` → ``math{\hat{y}}``: bold (a vector, never a number), and other than ``\hat{y}``
        return "%s{\\%s{%s}}" % ("math" if m.group(2) == "mathbf" else m.group(2), m.group(1), m.group(3))
    m = re.fullmatch(r"\\(mathbf|boldsymbol|hat|tilde|bar|mathcal)\{\s*(.*?)\s*\}", tex)
    if m:
        return "%s{%s}" % ("math" if m.group(1) == "mathbf" else m.group(1), m.group(2))
    return tex.lstrip("\\")


def _decorations(text: str, k: int) -> tuple[str, int, str | None]:
    """The stars and word labels after a base at ``k``: their spelling in the name, where they end,
    and the index of ``x_{*1}`` (or None)."""
    suffix, index = "", None
    while True:
        d = _DECORATION.match(text, k)
        if d is None:
            return suffix, k, index
        if d.group("star"):
            star = d.group("star").lstrip()
            if star.startswith("^"):
                suffix += "^*"
            else:
                suffix += "_*"
                if d.group(2):
                    index = d.group(2).strip()
        else:
            suffix += "%s{%s}" % (d.group(3), d.group(4) or d.group(5))
        k = d.end()


def _script(text: str, k: int) -> tuple[str | None, int]:
    """A plain subscript at ``k`` (``_i``, ``_{t-1}``, ``_\\mathcal{F}``): its text and end."""
    m = _INDEX.match(text, k)
    if m is None:
        return None, k
    start = m.end(1) - len(m.group(1))
    if m.group(1) == "{":
        end = match_group(text, start)
        return (None, k) if end < 0 else (text[start + 1:end - 1], end)
    return m.group(1), m.end()


def _call_args(inner: str, parse: Parse) -> list[sp.Basic] | None:
    """Arguments of a call, split at top-level commas (or a lone ``\\|``: ``D_{KL}(P\\|Q)``)."""
    parts = split_top_level(inner, re.compile(","))
    if len(parts) == 1:
        bars = split_top_level(inner, re.compile(r"\\\|"))
        parts = bars if len(bars) == 2 else parts
    try:
        return [parse(p) for _, p in parts]
    except Exception:  # noqa: BLE001 - an argument the readers cannot read: the call stays as written
        return None


@construct("decorated-names", before="prime")  # after the probability heads (``p_\theta(…)``, ``D_{KL}``)
def decorated_names(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``x^*``, ``x^\star``, ``x^{\ast}``, ``X_*``, ``\mathbf{f}_*`` → distinct names (``x_{*1}`` is
    component 1 of ``x_*``); ``W_{\textrm{xh}}``, ``n_\textrm{in}``, ``L_{\text{VLB}}``,
    ``\mathbf{b}_\textrm{q}`` → one name with its label, never indices; ``\mathcal{X}`` → a name
    other than ``\mathbf{X}``. A plain subscript after them is an index; a ``(`` right after them a
    call of an undefined function of that name (``k_{\textrm{RBF}}(x, x')``, ``V^*(s)``); after a
    space, with one argument, a product (``n_\textrm{in} (a + b)``)."""
    if not any(c in text for c in "*\\") or not re.search(r"[_^]|mathcal|hat|tilde|bar", text):
        return text
    out, i = [], 0
    for m in _NAME.finditer(text):
        if m.start() < i:
            continue
        suffix, k, star_index = _decorations(text, m.end())
        calligraphic = m.group(1).startswith("\\mathcal") or m.group(1).count("{") == 2  # or a bold accent
        if not suffix and not calligraphic:
            continue
        name = _base_name(m.group(1)) + suffix
        value: sp.Basic = sp.Symbol(name)
        index_text, k2 = _script(text, k)
        if star_index is not None or index_text is not None:
            try:
                indices = [parse(p) for _, p in split_top_level(star_index or index_text, re.compile(","))]
            except Exception:  # noqa: BLE001 - leave the name as written: the grammar reports it
                continue
            value, k = sp.Indexed(sp.IndexedBase(value), *indices), (k if star_index is not None else k2)
        rest = text[k:].lstrip()
        if rest.startswith("("):
            if calligraphic:  # ``\mathcal{N}(…)``, ``\mathcal{O}(…)``: a distribution or an order (family P)
                continue
            start = len(text) - len(rest)
            end = match_group(text, start)
            args = _call_args(text[start + 1:end - 1], parse) if end > 0 else None
            if args is None or isinstance(value, sp.Indexed):
                continue
            spaced = text[k:start] != ""
            if spaced and len(args) == 1:  # ``n_\textrm{in} (a + b)``: a product, as the writer spaced it
                out += [text[i:m.start()], ph.new(value, text[m.start():k]), " \\cdot "]
                i = k
                continue
            value, k = sp.Function(name)(*args), end
        out += [text[i:m.start()], ph.new(value, text[m.start():k])]
        i = k
    out.append(text[i:])
    return "".join(out)


_REAL_SPACE = re.compile(r"\\mathbb\s*\{\s*R\s*\}\s*\^\s*(\{|[A-Za-z0-9]|\\" + _GREEK + ")")


@construct("real-space", before="prime")
def real_space(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\mathbb{R}^n``, ``\mathbb R^{n \times d}``, ``\mathbb{R}^{1\times q}`` → ``RealSpace(n, d)``:
    the space a declaration ``\mathbf{x} \in \mathbb{R}^d`` gives its name (its sizes, in order)."""
    out, i = [], 0
    for m in _REAL_SPACE.finditer(text):
        if m.start() < i:
            continue
        if m.group(1) == "{":
            start = m.end() - 1
            end = match_group(text, start)
            if end < 0:
                continue
            inner = text[start + 1:end - 1]
        else:
            inner, end = m.group(1), m.end()
        dims = [strip_outer_braces(p.strip()) for _, p in split_top_level(inner, re.compile(r"\\times(?![A-Za-z])"))]
        if not all(dims) or any(d.strip() in "+-*" for d in dims):
            continue
        try:
            value = RealSpace(*[parse(d) for d in dims])
        except Exception:  # noqa: BLE001 - a size the readers cannot read: left as written
            continue
        out += [text[i:m.start()], ph.new(value, text[m.start():end])]
        i = end
    out.append(text[i:])
    return "".join(out)


#: known functions written as words (``\operatorname{erf}``): SymPy's own, not undefined ones
FUNCTIONS: dict[str, Callable] = {"erf": sp.erf, "tanh": sp.tanh, "exp": sp.exp, "log": sp.log, "ln": sp.log,
                                  "sinh": sp.sinh, "cosh": sp.cosh, "sin": sp.sin, "cos": sp.cos}


_KNOWN_CALL = re.compile(r"\\operatorname\s*\{\s*(" + "|".join(FUNCTIONS) + r")\s*\}\s*\(")


@construct("known-function", before="named-function")
def known_function(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\operatorname{erf}(x)``, ``\textrm{erf}(x)`` → SymPy's ``erf(x)`` (likewise ``tanh``,
    ``exp``, ``log``): a function the text names as a word is the one mathematics knows, not an
    undefined one."""
    def build(m: re.Match, inner: str):
        args = _call_args(inner, parse)
        return FUNCTIONS[m.group(1)](args[0]) if args is not None and len(args) == 1 else None
    return replace_calls(text, _KNOWN_CALL, build, ph)
