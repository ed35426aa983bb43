"""Run a short numpy snippet from a post. Posts are untrusted, so a snippet runs only if
every node of its syntax tree is on an allow-list (arithmetic, indexing, assignment, calls
of named pure numpy functions and array methods: no imports, no dunders, no file, process
or foreign-function access), and then only in a forked child under CPU, address-space,
file-size, process and descriptor limits, in an empty folder (:mod:`mathlint.runtime.sandbox`).
Only numbers come back."""

from __future__ import annotations

import ast
import re
import types

import numpy as np

from ..model import Finding

# what callers (finish, derivations, tests) import from here, defined with the process they concern
from ..runtime.sandbox import LimitExceeded, Limits, NotRun, Run, run_in_child, snippet_budget  # noqa: F401

# --- the allow-list -------------------------------------------------------------------------------

#: numpy functions a snippet may call, as ``np.NAME(...)``: pure, no I/O, no callables taken
NP_FUNCTIONS = frozenset({
    "abs", "absolute", "add", "all", "allclose", "amax", "amin", "any", "arange", "argmax", "argmin",
    "argsort", "array", "asarray", "clip", "concatenate", "cos", "cumsum", "diag", "divide", "dot", "exp",
    "expm1", "eye", "full", "full_like", "hstack", "isclose", "isfinite", "isnan", "linspace", "log",
    "log1p", "logaddexp", "matmul", "max", "maximum", "mean", "min", "minimum", "multiply", "ones",
    "ones_like", "outer", "power", "prod", "reshape", "sign", "sin", "sort", "sqrt", "square", "squeeze",
    "stack", "std", "subtract", "sum", "tanh", "transpose", "var", "vstack", "where", "zeros", "zeros_like",
})
#: numpy types usable as a ``dtype`` (or called to convert a number)
NP_DTYPES = frozenset({"float64", "float32", "int64", "int32"})
#: numpy constants, usable anywhere
NP_CONSTANTS = frozenset({"pi", "e", "inf", "nan", "newaxis"})
#: attributes readable on any value (data, not methods)
ARRAY_PROPERTIES = frozenset({"T", "shape", "ndim", "size"})
#: methods callable on any value (array methods without I/O, views of raw memory or callables)
ARRAY_METHODS = frozenset({
    "all", "any", "argmax", "argmin", "astype", "clip", "copy", "cumsum", "dot", "flatten", "max", "mean",
    "min", "prod", "ravel", "reshape", "squeeze", "std", "sum", "tolist", "item", "transpose", "var",
})
#: Python builtins a snippet may call; ``float``/``int`` also name a dtype
BUILTINS = {"range": range, "len": len, "abs": abs, "min": min, "max": max, "float": float, "int": int}
BUILTIN_DTYPES = frozenset({"float", "int"})
#: keyword arguments a call may pass (no ``out``, ``where``, ``allow_pickle``, ``order``, ...)
KEYWORDS = frozenset({"axis", "axes", "keepdims", "dtype"})
RESERVED = frozenset({"np", *BUILTINS})  # names a snippet may not rebind
MAX_SOURCE = 20_000  # characters: a snippet is a few lines

_STRUCTURE = (ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.Pass, ast.Load, ast.Store, ast.Subscript,
              ast.Slice, ast.Tuple, ast.List, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.operator,
              ast.unaryop, ast.cmpop, ast.boolop)


class UnsafeCode(NotRun):
    """The snippet uses syntax or names outside the allow-list: refused before anything runs."""
    what = "the snippet was not run"


def _is_called(node: ast.AST, parent: ast.AST | None) -> bool:
    return isinstance(parent, ast.Call) and parent.func is node


def _is_dtype(node: ast.AST) -> bool:
    """``float``, ``int`` or ``np.float64``-like: the only dtypes a snippet may name."""
    if isinstance(node, ast.Name):
        return node.id in BUILTIN_DTYPES
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "np" \
        and node.attr in NP_DTYPES


def _in_dtype_place(node: ast.AST, parent: ast.AST | None) -> bool:
    """An argument of a call, or a ``dtype=`` value (what a dtype is written as)."""
    return isinstance(parent, ast.Call) and node in parent.args or \
        isinstance(parent, ast.keyword) and parent.arg == "dtype"


def _name(node: ast.Name, parent) -> str | None:
    if node.id.startswith("__"):
        return f"the name {node.id} is not allowed"
    if isinstance(node.ctx, ast.Store):
        return f"{node.id} cannot be reassigned" if node.id in RESERVED else None
    if node.id == "np":
        ok = isinstance(parent, ast.Attribute) and parent.value is node
        return None if ok else "np may only be used as np.NAME"
    if node.id in BUILTINS:
        ok = _is_called(node, parent) or node.id in BUILTIN_DTYPES and _in_dtype_place(node, parent)
        return None if ok else f"{node.id} may only be called"
    return None


def _attribute(node: ast.Attribute, parent) -> str | None:
    attr, shown = node.attr, f"np.{node.attr}" if isinstance(node.value, ast.Name) and node.value.id == "np" \
        else f".{node.attr}"
    if attr.startswith("_"):
        return f"the attribute {shown} is not allowed (no underscore names)"
    if not isinstance(node.ctx, ast.Load):
        return f"assigning to the attribute {shown} is not allowed"
    if shown.startswith("np."):
        if attr in NP_CONSTANTS:
            return None
        if attr in NP_DTYPES:
            ok = _is_called(node, parent) or _in_dtype_place(node, parent)
            return None if ok else f"{shown} may only be called or given as a dtype"
        if attr in NP_FUNCTIONS:
            return None if _is_called(node, parent) else f"{shown} may only be called"
        return f"{shown} is not on mathlint's allow-list of pure numpy functions"
    if attr in ARRAY_PROPERTIES:
        return None
    if attr in ARRAY_METHODS:
        return None if _is_called(node, parent) else f"the method {shown} may only be called"
    return f"the attribute {shown} is not on mathlint's allow-list of array attributes"


def _call(node: ast.Call, parent) -> str | None:
    if not isinstance(node.func, (ast.Name, ast.Attribute)):
        return "only named functions and methods may be called"
    if isinstance(node.func, ast.Name) and node.func.id not in BUILTINS:
        return f"calling {node.func.id} is not allowed (callable: np.NAME, array methods, " \
               f"{', '.join(sorted(BUILTINS))})"
    if isinstance(node.func, ast.Attribute) and node.func.attr == "astype" and \
            (node.keywords or len(node.args) != 1 or not _is_dtype(node.args[0])):
        return ".astype takes one dtype: float, int or np.float64-like"
    return None


def _keyword(node: ast.keyword, parent) -> str | None:
    if node.arg is None:
        return "**keyword arguments are not allowed"
    if node.arg not in KEYWORDS:
        return f"the keyword argument {node.arg}= is not allowed (allowed: {', '.join(sorted(KEYWORDS))})"
    if node.arg == "dtype" and not _is_dtype(node.value):
        return "dtype= must be float, int or np.float64-like"
    return None


def _constant(node: ast.Constant, parent) -> str | None:
    if isinstance(node.value, (str, bytes)):  # a dtype or file name: numbers only (a bare string is a no-op)
        return None if isinstance(parent, ast.Expr) and isinstance(node.value, str) else \
            "string constants are not allowed"
    return None


RULES = {ast.Name: _name, ast.Attribute: _attribute, ast.Call: _call, ast.keyword: _keyword,
         ast.Constant: _constant}


def check_safe(src: str) -> ast.Module:
    """The snippet's syntax tree if every node is allowed; else :class:`UnsafeCode` with the reason
    and line of the first refused node (:class:`NotRun` when it is not Python at all)."""
    if len(src) > MAX_SOURCE:
        raise UnsafeCode(f"the snippet is longer than {MAX_SOURCE} characters")
    try:
        tree = ast.parse(src)
    except SyntaxError as exc:
        raise NotRun(f"not valid Python: {exc.msg}", exc.lineno or 1) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, too deeply nested
        raise NotRun(f"not valid Python: {type(exc).__name__}: {exc}") from None
    parents: dict[ast.AST, ast.AST] = {}
    refused = []  # (where, reason): the first in reading order, innermost first, is reported
    for node in ast.walk(tree):  # breadth first: a node's parent is known when it is reached
        for child in ast.iter_child_nodes(node):
            parents[child] = node
        rule = RULES.get(type(node))
        if rule is None and not isinstance(node, _STRUCTURE):
            reason = f"{type(node).__name__} is not allowed in a checked snippet"
        else:
            reason = rule(node, parents.get(node)) if rule else None
        if reason:
            refused.append((_where(node, parents), reason))
    if refused:
        (line, *_), reason = min(refused)
        raise UnsafeCode(reason, line)
    return tree


def _where(node: ast.AST, parents: dict) -> tuple[int, int, int]:
    """(line, column, end column) of the node, or of its nearest parent that has one."""
    while getattr(node, "lineno", None) is None and node in parents:
        node = parents[node]
    return getattr(node, "lineno", 1) or 1, getattr(node, "col_offset", 0), getattr(node, "end_col_offset", 0) or 0


def lint_snippet(src: str, first_line: int = 1) -> list[Finding]:
    """Problems that stop a snippet from running as Python, as ``ML200`` findings; the snippet's
    first line is the post's line ``first_line``."""
    out = []
    for k, line in enumerate(src.splitlines(), first_line):
        for ch in sorted(set(line)):
            if ch in "\u3000\u00a0\u2002\u2003":
                out.append(Finding("ML200", k, f"not valid Python: the character U+{ord(ch):04X} "
                                              f"(a non-ASCII space) is not valid Python"))
    return out


def clean_snippet(src: str) -> str:
    return re.sub("[\u3000\u00a0\u2002\u2003]", " ", src)


# --- running it -----------------------------------------------------------------------------------

#: what ``np`` is in a snippet: the allow-listed names only, so nothing else is reachable from it
_NP = types.SimpleNamespace(**{n: getattr(np, n) for n in NP_FUNCTIONS | NP_DTYPES | NP_CONSTANTS})


def run_snippet(src: str, **inputs) -> Run:
    """Run ``src`` statement by statement with ``inputs`` bound, in a limited child; stop at the
    first error. Non-ASCII spaces are replaced first (:func:`lint_snippet` reports them).
    Raises :class:`UnsafeCode` (refused, nothing ran) or another :class:`NotRun` (no result)."""
    tree = check_safe(clean_snippet(src))
    try:
        code = [(s.lineno, compile(ast.Module(body=[s], type_ignores=[]), "<snippet>", "exec")) for s in tree.body]
    except (ValueError, RecursionError, MemoryError) as exc:  # too deeply nested for the compiler
        raise NotRun(f"not run: {type(exc).__name__} while compiling it") from None
    return run_in_child(code, {"np": _NP, **inputs}, BUILTINS)


# --- numbers for the derivations' checks (trusted code, run here) ---------------------------------

def numeric_gradient(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of scalar ``f`` at ``x`` (float64), element by element."""
    g = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        dn = f(x)
        x[i] = old
        g[i] = (up - dn) / (2 * h)
    return g


def gradcheck(claimed: np.ndarray, numeric: np.ndarray, rtol: float = 1e-3, atol: float = 1e-5):
    """None when close (as torch.autograd.gradcheck), else the first bad element's index."""
    bad = np.abs(claimed - numeric) > atol + rtol * np.abs(numeric)
    if not bad.any():
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])
