"""Probability notation of ML texts, read as structured opaque objects.

``P(X = x)``, ``p(x \\mid y)``, ``p_\\theta(x \\mid z)``, ``\\pi(a|s)``, ``p(x; \\theta)``,
``E_{x \\sim p}[f(x)]``, ``\\mathrm{Var}[X]``, ``D_{\\mathrm{KL}}(p \\| q)`` and the normal density:
each becomes an undefined function whose name and keywords say what it is (two spellings of
one probability give the same object, different events different objects). The checker leaves
claims that rest on undefined functions unchecked unless they hold whatever the functions are,
once the rules of probability (``checks/proof/probability.py``: ``P(A|B) = P(A,B)/P(B)``,
linearity of ``E``, ``Var``, ``Cov``) are applied: nothing here is computed on a guess, and
``E[X]`` is never ``E`` times ``X``.
"""

from __future__ import annotations

import re

import sympy as sp

from ..expr.symbols import conditional
from .constructs import Parse, Placeholders, construct, replace_calls
from .texscan import match_escaped_braces, match_group, split_top_level, top_level_matches

_GREEK = (r"alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|"
          r"pi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Phi|Psi|Omega|Theta|Lambda|Gamma|Pi")
#: a subscript: ``_x``, ``_\theta``, ``_{…}`` (one level of inner braces, as ``_{\mathrm{KL}}``)
_SUB = r"(?:_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[A-Za-z0-9]))"
#: a relation inside an event (``P(X = 1)``, ``P(T \geq t)``, ``P_\theta(C \ni \theta)``)
_RELATION = re.compile(r"\\(?:neq|ne|in|notin|ni|geq|ge|leq|le|sim)(?![A-Za-z])|[=<>]")
_OPS = {"\\neq": "!=", "\\ne": "!=", "\\geq": ">=", "\\ge": ">=", "\\leq": "<=", "\\le": "<=",
        "\\in": "in", "\\notin": "notin", "\\ni": "ni", "\\sim": "sim"}
_SEMI = re.compile(";")
_BAR = re.compile(r"(?<!\\)\|")
_COMMA = re.compile(",")
_PROB_HEADS = {"P", "p", "Pr", "q", "Q"}


_PLACEHOLDER = re.compile(r"\\text\{(mlph\d+)\}")


def reader(parse: Parse, ph: Placeholders) -> Parse:
    """``parse`` of a piece of the side, with the placeholders earlier constructs put in it
    restored to the LaTeX they stand for: the piece is read afresh, with placeholders of its own."""
    def read(text: str) -> sp.Basic:
        return parse(_PLACEHOLDER.sub(lambda m: ph.sources.get(m.group(1), m.group(0))
                                      if m.group(1) in ph.values else m.group(0), text))
    return read


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _args(text: str, parse: Parse) -> list[sp.Basic]:
    return [parse(a) for _, a in split_top_level(text, _COMMA) if a.strip()]


def _sub_name(sub: str) -> str:
    """``\\theta`` → ``theta``, ``{X, Y}`` → ``{X,Y}``, ``{\\mathrm{KL}}`` → ``KL``."""
    sub = _squash(sub.strip())
    if sub.startswith("{") and sub.endswith("}"):
        sub = sub[1:-1]
    sub = re.sub(r"\\(?:mathrm|textrm|text|operatorname|mathit)\{([^{}]*)\}", r"\1", sub)
    sub = sub.replace("\\", "")
    return sub if len(sub) == 1 or re.fullmatch(r"[A-Za-z]+", sub) else "{%s}" % sub


#: a subscript that names (a random variable, a parameter, a hypothesis), not an index: ``p_X``,
#: ``p_{X,Y}``, ``p_\theta``, ``P_{H_0}``; ``p_i(1-p_i)`` stays a product
_NAMING_SUB = re.compile(r"(?:[A-Z](?:_?[0-9])?|\\(?:%s))(?:,(?:[A-Z]|\\(?:%s)))*" % (_GREEK, _GREEK))


_HEAD = re.compile(r"(?<![A-Za-z\\])(\\Pr|\\mathbb\s*\{P\}|\\(?:%s)(?![A-Za-z])|[A-Za-z])\s*(%s)?\s*\("
                   % (_GREEK, _SUB))


def _head_name(m: re.Match) -> str:
    head = m.group(1)
    name = "P" if head in ("\\Pr",) or head.startswith("\\mathbb") else head.lstrip("\\")
    return name + ("_" + _sub_name(m.group(2)[1:]) if m.group(2) else "")


def _relation(event: str) -> re.Match | None:
    found = top_level_matches(_RELATION, event)
    return found[0] if len(found) == 1 else None


@construct("conditional-probability", before="indicator")
def conditional_probability(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``P(Y=1|x_i)`` → the function ``P`` of event ``Y=1`` applied to ``x_i`` (printed
    ``P(x_i)``; ``P(Y=0|x)`` is a different function); ``p(x|y)``, ``\pi(a|s)``,
    ``p_\theta(y|x)`` → ``p(x, y)`` marked ``given=1`` (not the joint ``p(x, y)``); ``P(X=1)``,
    ``P(T \geq t)`` → ``P`` of the relation's two sides; ``p(x; \theta)``, ``h(x; u)`` → a
    function of ``x`` and its parameters, marked ``params``; ``p_X(x)``, ``p_{X,Y}(x, y)``,
    ``P_{H_0}(…)`` → the functions ``p_X``, ``p_{X,Y}``, ``P_H_0`` (``p_i(1-p_i)`` stays a product)."""
    parse = reader(parse, ph)

    def build(m: re.Match, inner: str):
        head = m.group(1)
        name = _head_name(m)
        greek = head.startswith("\\") and head not in ("\\Pr",) and not head.startswith("\\mathbb")
        semis = split_top_level(inner, _SEMI)
        params: list[sp.Basic] = []
        if len(semis) == 2:
            inner = semis[0][1]
            params = _args(semis[1][1], parse)
        elif len(semis) > 2:
            return None
        bars = split_top_level(inner, _BAR)
        if len(bars) > 2:
            return None
        event = bars[0][1].strip()
        given = _args(bars[1][1], parse) if len(bars) == 2 else []
        keywords = {"params": len(params)} if params else {}
        if len(bars) == 2:
            if _relation(event) is not None:  # ``P(Y=1|x)``: the event is part of the function
                fn = conditional(name, _squash(event)) if not params else sp.Function(name, event=_squash(event),
                                                                                       **keywords)
                return fn(*given, *params)
            return sp.Function(name, given=len(given), **keywords)(*_args(event, parse), *given, *params)
        if params:
            return sp.Function(name, **keywords)(*_args(event, parse), *params)
        base = m.group(1).lstrip("\\")
        rel = _relation(event)
        if rel is not None and (base in _PROB_HEADS or base == "mathbb{P}" or head.startswith("\\mathbb")):
            op = _OPS.get(rel.group(0), rel.group(0))
            return sp.Function(name, relation=op)(parse(event[:rel.start()]), parse(event[rel.end():]))
        sub = m.group(2)
        if sub and not greek and base in _PROB_HEADS and rel is None:
            if _NAMING_SUB.fullmatch(_squash(sub[1:]).strip("{}")):
                return sp.Function(name)(*_args(event, parse))
        return None
    return replace_calls(text, _HEAD, build, ph)


_E_HEAD = re.compile(r"(?<![A-Za-z\\])(?:E|\\mathbb\s*\{E\}|\\mathbb\s+E(?![A-Za-z])|\\mathrm\{E\}|"
                     r"\\operatorname\{E\})\s*(%s)?\s*" % _SUB)
_INDICATOR_HEAD = re.compile(r"\\(?:mathbb|mathbf|boldsymbol|mathds)\s*\{\s*[1I]\s*\}\s*")


def _operand(text: str, k: int, explicit: bool) -> tuple[str, int] | None:
    """The operand of an expectation starting at ``text[k]``: a bracket group (``[…]``, ``\\{…\\}``,
    ``(…)`` after ``\\mathbb E`` or a subscript), an indicator, or another expectation."""
    if text.startswith("\\{", k):
        j = match_escaped_braces(text, k)
        return (text[k + 2:j - 2], j) if j > 0 else None
    if k < len(text) and (text[k] == "[" or text[k] == "(" and explicit):
        end = match_group(text, k)
        return (text[k + 1:end - 1], end) if end > 0 else None
    ind = _INDICATOR_HEAD.match(text, k)
    if ind and ind.end() < len(text) and text[ind.end()] in "([":
        end = match_group(text, ind.end())
        return (text[k:end], end) if end > 0 else None
    nested = _E_HEAD.match(text, k)
    if nested and nested.group(1):
        inner = _operand(text, nested.end(), True)
        if inner is not None:
            return text[k:inner[1]], inner[1]
    return None


def expectation_of(body: sp.Basic, over: str | None) -> sp.Basic:
    """``E_{over}[body]``: an undefined ``E`` (its subscript kept as a keyword)."""
    return (sp.Function("E", over=over) if over else sp.Function("E"))(body)


@construct("expectation", before="derivative-fraction")
def expectation(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``E[X]``, ``E(X)``, ``\mathbb{E}[X]``, ``E_{x \sim p}[f(x)]``, ``E_{x} E_{y} \{…\}``,
    ``E_{(x, y) \sim P} \mathbf{1}(…)`` → ``E(X)``, an undefined function (its subscript kept as the
    keyword ``over``), never ``E`` times ``X``. Runs first: its subscript holds ``\sim`` and calls."""
    parse = reader(parse, ph)
    out, i = [], 0
    for m in _E_HEAD.finditer(text):
        if m.start() < i:
            continue
        found = _operand(text, m.end(), True)  # ``E(X)`` too: a call of ``E``, never ``E`` times ``X``
        if found is None:
            continue
        body, end = found
        over = _squash(m.group(1)[1:]).removeprefix("{").removesuffix("}") if m.group(1) else None
        out.append(text[i:m.start()])
        out.append(ph.new(expectation_of(parse(body), over), text[m.start():end]))
        i = end
    out.append(text[i:])
    return "".join(out)


_STAT = re.compile(r"(?:\\(?:mathrm|textrm|text|operatorname|mathbf)\s*\{\s*(Var|Cov|Corr|var|cov|corr)\s*\}|"
                   r"(?<![A-Za-z\\])(Var|Cov|Corr)(?![A-Za-z]))\s*(%s)?\s*[\[(]" % _SUB)
_KL = re.compile(r"(?<![A-Za-z\\])(?:D\s*_\s*(?:\{\s*(?:\\(?:mathrm|textrm|text|operatorname)\s*\{\s*KL\s*\}|KL)\s*\}|"
                 r"\\(?:mathrm|textrm|text)\s*\{\s*KL\s*\})|\\(?:mathrm|textrm|text|operatorname)\s*\{\s*KL\s*\}|"
                 r"KL)\s*\(")
_DIVIDES = re.compile(r"\\\||\|\||,")


@construct("statistic", before="derivative-fraction")
def statistic(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\mathrm{Var}[X]``, ``\textrm{Var}(X)``, ``\mathrm{Cov}(X, Y)`` → ``Var(X)``, ``Cov(X, Y)``;
    ``D_{\mathrm{KL}}(p \| q)``, ``D_{KL}(p, q)`` → ``D_KL(p, q)``: undefined functions of their
    arguments (computed nowhere)."""
    parse = reader(parse, ph)

    def stat(m: re.Match, inner: str):
        name = (m.group(1) or m.group(2)).capitalize()
        sub = m.group(3)
        fn = sp.Function(name, over=_squash(sub[1:]).strip("{}")) if sub else sp.Function(name)
        return fn(*_args(inner, parse))

    def kl(m: re.Match, inner: str):
        parts = [p for _, p in split_top_level(inner, _DIVIDES)]
        return sp.Function("D_KL")(*[parse(p) for p in parts]) if len(parts) == 2 else None
    return replace_calls(replace_calls(text, _STAT, stat, ph), _KL, kl, ph)


_NORMAL = re.compile(r"(?<![A-Za-z\\])\\mathcal\s*(?:\{\s*N\s*\}|N(?![A-Za-z]))\s*\(")
_VECTOR = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|Sigma)(?![A-Za-z])|[A-Z]")


@construct("normal", before="derivative-fraction")
def normal(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\mathcal{N}(x; \mu, \sigma^2)`` → the normal density ``exp(-(x-μ)²/(2σ²))/sqrt(2πσ²)`` of a
    scalar (the second parameter is the variance); with bold or capital arguments (a vector, a
    covariance matrix) → an undefined ``N`` of its arguments (``params=2``); ``\mathcal{N}(\mu, \sigma^2)``
    without an argument → the distribution ``Normal(μ, σ²)``, as ``X \sim`` declares it."""
    parse = reader(parse, ph)

    def build(m: re.Match, inner: str):
        semis = split_top_level(inner, _SEMI)
        if len(semis) == 1:
            params = _args(inner, parse)
            return sp.Function("Normal")(*params) if len(params) == 2 else None
        if len(semis) != 2:
            return None
        xs, params = _args(semis[0][1], parse), _args(semis[1][1], parse)
        if len(xs) != 1 or len(params) != 2 or _VECTOR.search(inner):
            return sp.Function("N", params=len(params))(*xs, *params)
        (x,), (mu, var) = xs, params
        return sp.exp(-(x - mu) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)
    return replace_calls(text, _NORMAL, build, ph)
