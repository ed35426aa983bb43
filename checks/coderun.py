"""Run a short numpy snippet from a post, safely: a whitelist of syntax, no builtins
beyond ``range``/``len``, only ``np`` as a module, and a time budget (the caller's)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import numpy as np

ALLOWED_NODES = (
    ast.Module, ast.Assign, ast.AugAssign, ast.Expr, ast.Name, ast.Load, ast.Store, ast.Call,
    ast.Attribute, ast.Subscript, ast.Slice, ast.Tuple, ast.List, ast.Constant, ast.BinOp,
    ast.UnaryOp, ast.keyword, ast.operator, ast.unaryop, ast.Index if hasattr(ast, "Index") else ast.Slice,
)
BUILTINS = {"range": range, "len": len, "True": True, "False": False, "None": None}


class UnsafeCode(Exception):
    """The snippet uses syntax mathlint will not run."""


@dataclass
class Run:
    namespace: dict
    error: str | None = None  # "NameError: name 'db' is not defined"
    error_line: int | None = None  # 1-based line within the snippet


def check_safe(src: str) -> ast.Module:
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            raise UnsafeCode(f"{type(node).__name__} is not allowed in a checked snippet")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise UnsafeCode(f"attribute {node.attr} is not allowed")
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            raise UnsafeCode(f"name {node.id} is not allowed")
    return tree


def lint_snippet(src: str) -> list[tuple[int, str]]:
    """Problems that stop a snippet from running as Python: (line, message)."""
    out = []
    for k, line in enumerate(src.splitlines(), 1):
        for ch in sorted(set(line)):
            if ch in "\u3000\u00a0\u2002\u2003":
                out.append((k, f"the character U+{ord(ch):04X} (a non-ASCII space) is not valid Python"))
    return out


def clean_snippet(src: str) -> str:
    return re.sub("[\u3000\u00a0\u2002\u2003]", " ", src)


def run_snippet(src: str, **inputs) -> Run:
    """Execute ``src`` statement by statement with ``inputs`` bound; stop at the first error.
    Non-ASCII spaces are replaced first (:func:`lint_snippet` reports them)."""
    tree = check_safe(clean_snippet(src))
    ns: dict = {"np": np, "__builtins__": BUILTINS}
    ns.update(inputs)
    for stmt in tree.body:
        code = compile(ast.Module(body=[stmt], type_ignores=[]), "<snippet>", "exec")
        try:
            exec(code, ns)  # noqa: S102 - whitelisted syntax, no builtins, numpy only
        except Exception as exc:  # the snippet's own error is a finding, not a crash
            return Run(ns, f"{type(exc).__name__}: {exc}", stmt.lineno)
    return Run(ns)


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
