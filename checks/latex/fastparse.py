"""A fast reader for the common subset of grammar LaTeX, with the grammar's own readings.

The antlr grammar of latex2sympy2 costs about 10 ms per side once warm, and seconds to
warm up in each new process. Most sides of a post use a small subset: numbers, letters
with subscripts, Greek letters, ``\\frac``, ``\\sqrt``, ``^``, ``\\cdot``, juxtaposition,
brackets, ``\\ln``/``\\exp``/trigonometric functions, ``e^{…}``, ``\\sum``/``\\prod`` with
limits and calls like ``J(w)``. This module reads exactly that subset, building the tree
the grammar builds (including its quirks: ``\\ln x y`` is ``log(x·y)``, ``a/b c`` is
``a/(b·c)``, ``f(x)`` is a call but ``x(1+y)`` a product), and returns None for anything
else, which then goes to the grammar. ``tests/test_fastparse.py`` compares both readers
on every side of the bundled posts and the pair corpus.
"""

from __future__ import annotations

import re

import sympy as sp

_TOKEN = re.compile(r"\s*(?:(\\[A-Za-z]+|\\[{}])|(\d+(?:\.\d+)?)|([A-Za-z])|(\S))")
_FUNCS = {"ln": sp.log, "exp": sp.exp, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
          "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh}
_GREEK = {"alpha", "beta", "delta", "epsilon", "zeta", "eta", "theta", "iota",
          "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi",
          "psi", "omega", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}
_STARTS = {"(", "[", "{"}  # brackets that open a group
_CLOSE = {"(": ")", "[": "]", "{": "}"}
_MUL_OPS = {"\\cdot", "\\times", "*"}


class _Decline(Exception):
    """Not in the subset: the grammar reads this side."""


class GrammarRefuses(Exception):
    """The grammar would fail on this side with ``self.error`` (raised as that error)."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.toks: list[tuple[str, str, int, int]] = []  # (kind, text, start, end)
        for m in _TOKEN.finditer(text):
            kind = "cmd" if m.group(1) else "num" if m.group(2) else "letter" if m.group(3) else "char"
            tok = m.group(m.lastindex)
            self.toks.append((kind, tok, m.start(m.lastindex), m.end()))
        self.i = 0

    # -- tokens
    def peek(self, k: int = 0) -> tuple[str, str, int, int]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("end", "", len(self.text), len(self.text))

    def take(self, text: str | None = None) -> tuple[str, str, int, int]:
        tok = self.peek()
        if tok[0] == "end" or text is not None and tok[1] != text:
            raise _Decline
        self.i += 1
        return tok

    # -- grammar
    def expr(self) -> sp.Basic:
        out = self.mp(nofunc=False)
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            rhs = self.mp(nofunc=False)
            if op == "-":
                rhs = -rhs if rhs.is_Number else sp.Mul(-1, rhs, evaluate=False)
            out = sp.Add(out, rhs, evaluate=False)
        return out

    def mp(self, nofunc: bool) -> sp.Basic:
        out = self.unary(nofunc)
        while True:
            op = self.peek()[1]
            if op in _MUL_OPS:
                self.take()
                out = sp.Mul(out, self.unary(nofunc), evaluate=False)
            elif op == "/":
                self.take()
                rhs = self.unary(nofunc)
                out = sp.Rational(out, rhs) if out.is_Integer and rhs.is_Integer and rhs != 0 else \
                    sp.Mul(out, sp.Pow(rhs, -1, evaluate=False), evaluate=False)
            else:
                return out

    def unary(self, nofunc: bool) -> sp.Basic:
        sign = self.peek()[1]
        if sign in ("+", "-"):
            if nofunc:
                raise _Decline
            self.take()
            inner = self.unary(nofunc)
            if sign == "+":
                return inner
            return -inner if inner.is_Number else sp.Mul(-1, inner, evaluate=False)
        factors = [self.postfix(nofunc=False)]  # the first factor may be a function, even in an argument
        while self.starts_comp(nofunc):
            factors.append(self.postfix(nofunc))
        if nofunc and any(isinstance(f, _DiffOperator) for f in factors):
            raise _Decline
        return _product(factors)

    def diff_operator(self) -> _DiffOperator | None:
        """``\\frac{d}{dx}`` (the tokens after ``\\frac``), or None."""
        toks = [t[1] for t in self.toks[self.i:self.i + 7]]
        if toks[:5] != ["{", "d", "}", "{", "d"] or len(toks) < 7 or toks[6] != "}" \
                or self.peek(5)[0] != "letter":
            return None
        self.i += 7
        return _DiffOperator(sp.Symbol(toks[5]))

    def starts_comp(self, nofunc: bool) -> bool:
        """Whether the next token starts another factor (in a function's argument written
        without parentheses, a function ends the argument: ``\\ln a e^{b}`` is ``e^b·ln a``)."""
        kind, tok, _, _ = self.peek()
        if kind == "num":
            return True
        if kind == "letter":
            return not (nofunc and tok == "e")
        if kind == "cmd":
            if tok[1:] in _GREEK or tok in ("\\frac", "\\text", "\\pi"):
                return True
            return not nofunc and (tok[1:] in _FUNCS or tok in ("\\sqrt", "\\sum", "\\prod"))
        return tok in _STARTS

    def postfix(self, nofunc: bool) -> sp.Basic:
        base = self.comp(nofunc)
        if isinstance(base, _DiffOperator) and self.peek()[1] in ("^", "_", "!", "'"):
            raise _Decline
        if self.peek()[1] == "^":
            self.take()
            base = sp.Pow(base, self.exponent(), evaluate=False)
        if self.peek()[1] in ("^", "_", "!", "'"):
            raise _Decline
        return base

    def exponent(self) -> sp.Basic:
        kind, tok, _, _ = self.peek()
        if tok == "{":
            return self.braced()
        if kind == "letter" and tok not in "deEI" or kind == "num" and len(tok) == 1:
            self.take()
            return sp.Symbol(tok) if kind == "letter" else sp.Integer(tok)
        if kind == "cmd" and (tok[1:] in _GREEK or tok == "\\pi"):
            self.take()
            return sp.pi if tok == "\\pi" else sp.Symbol(tok[1:])
        raise _Decline

    def braced(self) -> sp.Basic:
        self.take("{")
        out = self.expr()
        self.take("}")
        return out

    def comp(self, nofunc: bool) -> sp.Basic:  # noqa: C901 - one case per construct
        kind, tok, _, _ = self.peek()
        if tok in _STARTS:
            self.take()
            out = self.expr()
            self.take(_CLOSE[tok])
            return out
        if kind == "num":
            self.take()
            return _number(tok)
        if kind == "letter":
            return self.letter(nofunc)
        if kind != "cmd":
            raise _Decline
        name = tok[1:]
        if name in _GREEK or name == "pi":
            self.take()
            sub = self.subscript()
            if self.peek()[1] == "(":  # ``\\sigma(z)``: a call to the grammar, named with the backslash
                raise _Decline
            return sp.pi if name == "pi" and not sub else sp.Symbol(name + sub)
        if name == "text":
            self.take()
            self.take("{")
            words = []
            while self.peek()[1] != "}":
                k, t, _, _ = self.take()
                if k not in ("letter", "num"):
                    raise _Decline
                words.append(t)
            self.take("}")
            name = "".join(words) + self.subscript()
            if self.peek()[1] == "(":
                raise _Decline
            return sp.Symbol(name)
        if name == "frac":
            self.take()
            op = self.diff_operator()
            if op is not None:
                return op
            top, bottom = self.braced(), self.braced()
            if top.is_Integer and bottom.is_Integer and bottom != 0:
                return sp.Rational(top, bottom)
            return sp.Mul(top, sp.Pow(bottom, -1, evaluate=False), evaluate=False)
        if nofunc:
            raise _Decline
        if name == "sqrt":
            self.take()
            return sp.Pow(self.braced(), sp.S.Half, evaluate=False)
        if name in _FUNCS:
            self.take()
            if self.peek()[1] == "(":
                self.take()
                arg = self.expr()
                self.take(")")
            else:
                arg = self.mp(nofunc=True)
            fn = _FUNCS[name]
            return sp.log(arg, sp.E, evaluate=False) if fn is sp.log else fn(arg, evaluate=False)
        if name in ("sum", "prod"):
            return self.big_operator(sp.Sum if name == "sum" else sp.Product)
        raise _Decline

    def finite_set(self) -> sp.Basic:
        """A whole side ``\\{a, b\\}``: the grammar's finite set."""
        self.take("\\{")
        items = [self.expr()]
        while self.peek()[1] == ",":
            self.take()
            items.append(self.expr())
        self.take("\\}")
        return sp.FiniteSet(*items, evaluate=False)

    def big_operator(self, cls) -> sp.Basic:
        self.take()
        self.take("_")
        self.take("{")
        if self.peek()[1] == "I" and self.peek(1)[1] == "=":  # the grammar's imaginary unit
            self.take()
            var = sp.I
        else:
            var = self.expr()
        self.take("=")
        lo = self.expr()
        self.take("}")
        self.take("^")
        hi = self.exponent()
        if not isinstance(var, sp.Symbol) and var is not sp.I:
            raise _Decline
        body = self.mp(nofunc=False)
        try:
            return cls(body, (var, lo, hi))
        except ValueError as exc:  # ``\\sum_{I=1}``: SymPy refuses the limits, for the grammar too
            raise GrammarRefuses(exc) from None

    def letter(self, nofunc: bool) -> sp.Basic:
        start = self.peek()[2]
        tok = self.take()[1]
        if tok == "e":
            if nofunc or self.peek()[1] != "^":  # ``e^{…}`` is a function to the grammar
                raise _Decline
            self.take()
            return sp.exp(self.exponent(), evaluate=False)
        if tok in "EI" or tok == "d" and self.peek()[0] in ("letter", "cmd"):  # ``E``, ``I``, differentials
            raise _Decline
        name = tok + self.subscript()
        if self.peek()[1] == "(":
            if nofunc:
                raise _Decline
            call = self.call(self.text[start:self.peek()[2]])
            if call is not None:
                return call
        return sp.Symbol(name)

    def call(self, head: str) -> sp.Basic | None:
        """``f(x)``: a call when the parentheses hold one atom (the grammar's rule), else None
        (a product with a group, read by the caller)."""
        save = self.i
        self.take("(")
        kind, tok, _, _ = self.peek()
        try:
            if kind == "letter" and tok not in "deEI":
                self.take()
                arg = sp.Symbol(tok + self.subscript())
            elif kind == "num":
                self.take()
                arg = _number(tok)
            elif kind == "cmd" and (tok[1:] in _GREEK or tok == "\\text"):
                arg = self.comp(nofunc=True)
            else:
                raise _Decline
            if self.peek()[1] == "^":
                self.take()
                arg = sp.Pow(arg, self.exponent(), evaluate=False)
            if self.peek()[1] != ")":
                raise _Decline
        except _Decline:
            if self.peek()[1] == ",":
                raise
            self.i = save
            return None
        self.take(")")
        return sp.Function(re.sub(r"\s+", "", head))(arg, evaluate=False)

    def subscript(self) -> str:
        """``_i`` → ``_i``, ``_{ij}`` → ``_{ij}`` (the grammar's symbol names)."""
        if self.peek()[1] != "_":
            return ""
        self.take()
        kind, tok, start, _ = self.peek()
        if kind == "letter" and tok != "e" or kind == "num" and len(tok) == 1:
            self.take()
            return "_" + tok
        if tok != "{":
            raise _Decline
        self.take()
        parts, depth = [], 0
        while True:
            kind, tok, _, _ = self.take()
            if tok == "{":
                depth += 1
            elif tok == "}":
                if depth == 0:
                    break
                depth -= 1
            elif kind not in ("letter", "num") and tok not in ("_", ",", "+", "-"):
                raise _Decline
            elif tok == "e" or tok == "d" and self.peek()[0] == "letter":  # the grammar's ``e`` and ``dx`` tokens
                raise _Decline
            parts.append(tok)
        text = "".join(parts)
        if not text:
            raise _Decline
        return f"_{{{text}}}" if len(text) > 1 else f"_{text}"



class _DiffOperator:
    """``\\frac{d}{dx}``: the grammar differentiates the product of the factors after it."""

    def __init__(self, var: sp.Symbol):
        self.var = var


def _product(factors: list) -> sp.Basic:
    """The factors of a juxtaposition, as the grammar multiplies them."""
    for k, f in enumerate(factors):
        if isinstance(f, _DiffOperator):
            if k == len(factors) - 1:
                raise _Decline
            return _product(factors[:k] + [sp.Derivative(_product(factors[k + 1:]), f.var)])
    for a, b in zip(factors, factors[1:]):
        if a.is_Number and b.is_Number:  # ``(3)(2)``, ``2\\frac{1}{2}``: the grammar's own rules
            raise _Decline
    return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)


def _number(text: str) -> sp.Number:
    if text.isdigit():
        return sp.Integer(int(text))  # ``sp.Number(text)`` goes through SymPy's string parser
    return sp.Number(text)


def fast_parse(text: str) -> sp.Basic | None:
    """The grammar's tree for ``text`` (unevaluated), or None when ``text`` is outside the subset.
    Raises the grammar's own error where the grammar would fail the same way."""
    try:
        r = _Reader(text)
        if not r.toks:
            return None
        out = r.finite_set() if r.peek()[1] == "\\{" else r.expr()  # every node built unevaluated
        if r.peek()[0] != "end":
            return None
        return out
    except GrammarRefuses as exc:
        raise exc.error from None
    except (_Decline, RecursionError, TypeError, ValueError):
        return None
