r"""A declared shape of a name the text also defines, checked against its definition.

``\mathbf H \in \mathbb R^{n\times h}`` declares a name; where the text also defines it
(``\mathbf H = \mathbf X\mathbf W^{(1)} + \mathbf b^{(1)}``) and declares what the definition is
made of (``\mathbf X \in \mathbb R^{n\times d}``, …), the declaration is a claim about shapes, the
kind of typo a reader of a network's equations misses: the definition's shape follows from the
other declarations, dimension by dimension, with the dimensions as symbols. It is proved when
every definition of the name has the declared shape, naming what the reading took (a row added
to every row of a matrix, a function applied entry by entry, plain names read as numbers, the
gradient of a number by an array in the array's shape); a definition of another shape leaves the
declaration unchecked, saying so (the text may reshape or broadcast in a way not read here).
A membership of a derivative (``\partial J/\partial\mathbf W \in \mathbb R^{q\times h}``) is checked the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.linalg import Hadamard, MatProd
from ..expr.printing import BOLD_HEAD, tex_name
from ..expr.symbols import RealSpace, name_of
from ..model import Claim, Verdict
from ..numeric.matshapes import bold_kind

Shape = tuple  # () a number, (rows, columns) an array (a column vector has one column)

#: functions applied entry by entry to an array, by their head (the text's own scalar functions are added)
_ENTRYWISE = frozenset({"sigma", "phi", "varphi", "ReLU", "relu", "sigmoid", "tanh", "exp", "log", "softmax",
                        "dropout", "GELU", "Swish", "swish"})
_DEPTH = 6  # how deep definitions of undeclared names are followed


class Unknown(Exception):
    """The shape cannot be told (an undeclared bold name, a product whose order was lost)."""


class Misfit(Exception):
    """The shapes of a product or a sum do not fit."""


@dataclass
class _Shapes:
    declared: dict  # key → shape
    definitions: dict  # key → [Claim]
    functions: set  # names of scalar functions the text defines
    bold_letters: set = field(default_factory=set)  # letters of the bold names the text declares
    taken: set = field(default_factory=set)  # the readings a shape rests on, named in the verdict

    def of(self, e: sp.Basic, depth: int = 0) -> Shape:
        if e.is_number:
            return ()
        if isinstance(e, (sp.Symbol, sp.Indexed)):
            return self._name(e, depth)
        if isinstance(e, MatProd):
            return self._product([self.of(a, depth) for a in e.args])
        if isinstance(e, (sp.Add, Hadamard)):
            return self._sum([self.of(a, depth) for a in e.args])
        if isinstance(e, sp.Mul):
            arrays = [s for s in (self.of(a, depth) for a in e.args) if s]
            if len(arrays) > 1:
                raise Unknown("a product whose order was lost")
            return arrays[0] if arrays else ()
        if isinstance(e, sp.Pow):
            if self.of(e.base, depth) or self.of(e.exp, depth):
                raise Unknown("a power of an array")
            return ()
        if isinstance(e, sp.Function) and len(e.args) == 1:
            return self._applied(e, depth)
        raise Unknown(f"`{type(e).__name__}`")

    def _applied(self, e: sp.Function, depth: int) -> Shape:
        name = type(e).__name__
        head = re.split(r"[_^{(]", name.replace("\\", "").strip())[0].strip()
        inner = self.of(e.args[0], depth)
        if name == "transpose":
            return tuple(reversed(inner)) if inner else ()
        if not inner:
            return ()
        if head in _ENTRYWISE or name in self.functions or not isinstance(e, AppliedUndef):
            self.taken.add(f"`{tex_name(name.strip())}` applied entry by entry")
            return inner
        raise Unknown(f"`{name}` of an array")

    def _name(self, e: sp.Basic, depth: int) -> Shape:
        for key in _keys(e):
            if key in self.declared:
                return self.declared[key]
        for key in _keys(e):
            if key in self.definitions and depth < _DEPTH:
                shapes = {self.of(c.rhs, depth + 1) for c in self.definitions[key]}
                if len(shapes) == 1:
                    return shapes.pop()
                raise Unknown("definitions of different shapes")
        name = name_of(e)
        if bold_kind(name) is not None or BOLD_HEAD.match(name):
            raise Unknown(f"`{tex_name(name)}` is not declared")
        if name[:1].isupper() or name in self.bold_letters:  # ``\mathbf X W``: W may be the matrix
            raise Unknown(f"`{name}` may be a matrix")
        self.taken.add("plain names as numbers")
        return ()

    def _product(self, shapes: list[Shape]) -> Shape:
        out: Shape = ()
        for s in shapes:
            if not s:
                continue
            if out and not _same(out[1], s[0]):
                raise Misfit(f"a product of a {_text(out)} and a {_text(s)} array")
            out = (out[0], s[1]) if out else s
        return () if out == (1, 1) else out  # ``\mathbf x^\top\mathbf y``: a number

    def _sum(self, shapes: list[Shape]) -> Shape:
        arrays = [s for s in shapes if s]
        if not arrays:
            return ()
        if len(arrays) < len(shapes):
            self.taken.add("a number added to every entry of an array")
        out = arrays[0]
        for s in arrays[1:]:
            if _same(s[0], out[0]) and _same(s[1], out[1]):
                continue
            if _same(s[1], out[1]) and (s[0] == 1 or out[0] == 1):  # a row added to every row
                self.taken.add("a 1×m row added to every row of a matrix (broadcasting)")
                out = s if out[0] == 1 else out
                continue
            raise Misfit(f"a sum of a {_text(out)} and a {_text(s)} array")
        return out


def _same(a, b) -> bool:
    """Two dimensions equal as written (symbols, numbers, ``2^{16}``)."""
    a, b = sp.sympify(a), sp.sympify(b)
    return a == b or sp.expand(a - b) == 0


def _text(s: Shape) -> str:
    if not s:
        return "scalar"
    return f"{sp.latex(s[0])} (a column)" if s[1] == 1 and s[0] != 1 else "×".join(sp.latex(d) for d in s)


def _keys(e: sp.Basic) -> list:
    """The keys a name is declared or defined under: itself, then its family (``\\mathbf H_t``
    declares every ``\\mathbf H_{t-1}``)."""
    if isinstance(e, sp.Indexed):
        return [e, name_of(e)] if all(i.is_number for i in e.indices) else [name_of(e)]
    return [e]


def _letters(declared: dict) -> set:
    """The letters of the bold names declared (``W`` of ``\\mathbf W^{(1)}``)."""
    out = set()
    for key in declared:
        m = BOLD_HEAD.match(name_of(key) or str(key))
        if m:
            out.add(re.sub(r"^(?:math|boldsymbol)\{\\?|\}.*$", "", m.group(0)))
    return out


def _shape_of_space(space: sp.Basic) -> Shape | None:
    if space in (sp.S.Reals,) or str(space) in ("R", "Reals"):
        return ()
    if isinstance(space, RealSpace):
        dims = tuple(space.args)
        return (dims[0], 1) if len(dims) == 1 else dims if len(dims) == 2 else None
    return None


def _declared(claims: list[Claim]) -> dict:
    """name → shape over the text; a name declared with two shapes is left out."""
    out: dict = {}
    for c in claims:
        if not _declaration(c):
            continue
        shape = _shape_of_space(c.rhs)
        targets = c.lhs.args if isinstance(c.lhs, sp.Tuple) else (c.lhs,)
        for t in targets:
            if shape is None or not isinstance(t, (sp.Symbol, sp.Indexed)):
                continue
            key = _keys(t)[0]
            out[key] = shape if out.get(key, shape) == shape else None
    return {k: v for k, v in out.items() if v is not None}


def _scalar_function(c: Claim) -> bool:
    """A function of plain numbers (``\\sigma(x) = \\max(0, x)``), which an array's entries are fed to one
    by one; not one of a bold name or a reduction (``s(\\mathbf z) = \\sum_i z_i``)."""
    params = c.lhs.args
    return all(isinstance(p, sp.Symbol) and bold_kind(p.name) is None and not BOLD_HEAD.match(p.name)
               for p in params) and not c.rhs.has(sp.Sum, sp.Product, MatProd) and not _REDUCING.search(c.latex)


#: a definition's LaTeX that reduces or measures an array (read by SymPy as the array itself:
#: ``\max(\mathbf Z)`` is ``Z``), so its shape is not told here
_REDUCING = re.compile(r"\\(?:max|min|sup|inf|arg|det|operatorname|mathrm|sum|prod)(?![A-Za-z])|\||\\[lr]?[vV]ert")


def _declaration(c: Claim) -> bool:
    return c.role == "domain" or c.role == "step" and c.reason.startswith("membership declares a domain")


def check_declarations(claims: list[Claim]) -> None:
    """Give each declaration of a defined name (or of a derivative) the verdict of its shapes."""
    declared = _declared(claims)
    if not declared:
        return
    definitions: dict = {}
    functions = set()
    for c in claims:
        if c.role != "definition" or not isinstance(c.lhs, sp.Basic) or not isinstance(c.rhs, sp.Basic):
            continue
        if isinstance(c.lhs, AppliedUndef) and _scalar_function(c):
            functions.add(type(c.lhs).__name__)
        elif isinstance(c.lhs, (sp.Symbol, sp.Indexed)):
            definitions.setdefault(_keys(c.lhs)[0], []).append(c)
    for c in claims:
        if _declaration(c) and (shape := _shape_of_space(c.rhs)) is not None:
            _verdict(c, shape, _Shapes(declared, definitions, functions, _letters(declared)))


def _verdict(c: Claim, shape: Shape, shapes: _Shapes) -> None:
    target = c.lhs
    try:
        if isinstance(target, sp.Derivative) and len(target.variables) == 1:
            if _array(target.expr, shapes):
                return  # a derivative of an array: its shape depends on the layout
            shapes.taken.add("the gradient of a number by an array in the array's shape")
            found, where = shapes.of(target.variables[0]), ""
        elif isinstance(target, (sp.Symbol, sp.Indexed)) and (defs := _definitions(target, shapes)):
            if any(_REDUCING.search(d.latex.split("=", 1)[-1]) for d in defs):
                return
            found = {shapes.of(d.rhs) for d in defs}
            if len(found) != 1:
                raise Misfit("its definitions have different shapes")
            found = found.pop()
            lines = sorted({d.line for d in defs})
            where = f" by its definition{'s' if len(lines) > 1 else ''} at line{'s' if len(lines) > 1 else ''} " \
                    f"{', '.join(map(str, lines))}"
        else:
            return
    except Unknown:
        return
    except Misfit as e:
        c.reason = f"{c.reason}; its definition does not fit the declared shapes: {e}"
        return
    if not (len(found) == len(shape) and all(_same(a, b) for a, b in zip(found, shape))):
        c.reason = (f"{c.reason}; the declared shape {_text(shape)} differs from {_text(found)}{where}, as "
                    "mathlint reads the declarations (the text may reshape or broadcast)")
        return
    c.verdict, c.method = Verdict.PROVED, "shapes"
    c.notes = []  # a membership in a chain: the definitions its check used are not the ones read here
    taken = sorted(shapes.taken)
    c.reason = f"the shape {_text(shape)} follows{where} from the shapes the text declares" + (
        f" (reading {'; '.join(taken)})" if taken else "")
    c.assumptions = taken


def _array(f: sp.Basic, shapes: _Shapes) -> bool:
    """Whether the function differentiated may be an array: its shape, or for a plain name its
    definition's (none: not told); a plain name whose definition's shape cannot be told
    (``L = l(\\mathbf o, y)``, a loss) is read as a number, named."""
    plain = isinstance(f, sp.Symbol) and bold_kind(f.name) is None and not BOLD_HEAD.match(f.name)
    if not plain:
        return bool(shapes.of(f))
    if f not in shapes.definitions:
        raise Unknown(f"`{f.name}` is not defined")
    try:
        return bool({shapes.of(d.rhs) for d in shapes.definitions[f]} - {()})
    except (Unknown, Misfit):
        shapes.taken.add(f"`{tex_name(f.name)}` as a number")
        return False


def _definitions(target: sp.Basic, shapes: _Shapes) -> list[Claim]:
    for key in _keys(target):
        if key in shapes.definitions:
            return shapes.definitions[key]
    return []
