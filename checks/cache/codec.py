"""Cache values as plain JSON data, never pickles: reading an entry runs no code of the entry's.

A value is rebuilt only from JSON scalars, lists and tagged objects: ``{"tuple": [...]}``,
``{"dict": {...}}`` (or ``{"pairs": [[k, v], ...]}`` for other keys), ``{"dataclass": name,
"fields": {...}}`` for the dataclasses of :mod:`mathlint.model` (a ``StrEnum`` field, such as a
verdict, as its text: the dataclass turns it back into its enum), and ``{"sympy": node}`` for a SymPy
tree. A node is ``[class name, args…]`` with the class from an allow-list (SymPy's own classes
reachable as ``sympy.<name>`` and mathlint's in :mod:`mathlint.expr.symbols`), or a leaf whose data is
checked by type: ``["Symbol", name, assumptions]``, ``["Dummy", name, assumptions, number]``
(one Dummy per number within an entry), ``["Integer", n]``, ``["Rational", p, q]``,
``["Float", [sign, mantissa, exponent, bits], precision]``, ``["S", singleton]`` and
``["AppliedUndef", name, keywords, args…]`` (an undefined function, with the data some carry,
such as the event of ``P(Y=1|x)``). Nodes are rebuilt without evaluation and without switching
SymPy's global ``evaluate`` (each switch empties SymPy's cache). Anything else cannot be encoded
(:class:`Unencodable`: the value is not stored) or decoded (:class:`Undecodable`: a miss).

SymPy is imported only when a value holds a SymPy tree: the cached re-check of a file (plain
data) does not import it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import warnings
from collections.abc import Callable
from typing import Any

from .. import model
from ..runtime.memo import cached


class Unencodable(Exception):
    """The value holds something the codec does not write: it is not stored."""


class Undecodable(Exception):
    """The entry holds something the codec does not read: a miss."""


_SCALARS = (str, int, float, bool, type(None))
#: the dataclasses an entry may hold, by name (a result of ``runner.light`` holds ``Result`` and ``Claim``)
DATACLASSES: dict[str, type] = {cls.__name__: cls for cls in vars(model).values()
                                if isinstance(cls, type) and dataclasses.is_dataclass(cls)
                                and cls.__module__ == model.__name__}
#: the enums a record's field may hold, written as their text; any other enum is not encodable
_ENUMS = (model.Verdict, model.Applicability)


def dumps(value: Any) -> tuple[bytes, bool]:
    """``value`` as JSON bytes, and whether it holds a Dummy (whose identity is not kept across
    entries: the decoded value then equals the original only up to renaming its dummies)."""
    enc = _Encoder()
    try:
        data = json.dumps(enc.value(value), ensure_ascii=False, separators=(",", ":"), check_circular=False)
    except (ValueError, TypeError, RecursionError) as exc:  # a huge integer, a cycle, a tree too deep
        raise Unencodable(str(exc)) from None
    return data.encode(), bool(enc.dummies)


def loads(data: bytes) -> Any:
    """The value of :func:`dumps` bytes; :class:`Undecodable` (or a JSON error) when it is not one."""
    return _Decoder().value(json.loads(data))


class _Encoder:
    def __init__(self):
        self.dummies: dict[Any, int] = {}

    def value(self, v: Any) -> Any:
        t = type(v)
        if t in _SCALARS:
            return v
        if t in _ENUMS:  # a verdict, an applicability: its text (the dataclass turns it back)
            return str(v)
        if t is list:
            return [self.value(x) for x in v]
        if t is tuple:
            return {"tuple": [self.value(x) for x in v]}
        if t is dict:
            if all(type(k) is str for k in v):
                return {"dict": {k: self.value(x) for k, x in v.items()}}
            return {"pairs": [[self.value(k), self.value(x)] for k, x in v.items()]}
        if DATACLASSES.get(t.__name__) is t:
            return {"dataclass": t.__name__,
                    "fields": {f.name: self.value(getattr(v, f.name)) for f in dataclasses.fields(v)}}
        if "sympy" in sys.modules and isinstance(v, _sympy().Basic):
            return {"sympy": self.node(v)}
        raise Unencodable(f"a {t.__name__}")

    def node(self, e) -> list:
        cls = type(e)
        leaf = _leaf_encoders().get(cls)
        if leaf is not None:
            return leaf(self, e)
        if isinstance(e, _applied_undef()):
            return ["AppliedUndef", cls.__name__, _keywords(cls), *map(self.node, e.args)]
        if _allowed().get(cls.__name__) is not cls:
            raise Unencodable(f"SymPy class {cls.__name__}")
        if cls.__name__ == "IndexedBase" and (e.offset != 0 or e.strides is not None):
            raise Unencodable("an IndexedBase with offset or strides")  # kept outside its arguments
        return [cls.__name__, *map(self.node, e.args)]

    def dummy(self, e) -> list:
        return ["Dummy", e.name, _assumptions(e), self.dummies.setdefault(e, len(self.dummies))]


def _assumptions(e) -> dict:
    out = dict(e._assumptions_orig)
    if not all(type(v) in (bool, type(None)) for v in out.values()):
        raise Unencodable("an assumption that is not a truth value")
    return out


def _keywords(func) -> dict:
    """An undefined function's keywords (its assumptions and data such as an event)."""
    kwargs = dict(getattr(func, "_kwargs", {}))
    if not all(type(k) is str and k.isidentifier() and not k.startswith("_") and type(v) in _SCALARS
               for k, v in kwargs.items()):
        raise Unencodable(f"the keywords of the function {func.__name__}")
    return kwargs


def _float(enc, e) -> list:
    sign, man, exp, bc = e._mpf_
    return ["Float", [int(sign), int(man), int(exp), int(bc)], int(e._prec)]


@cached("codec-leaf-encoders", maxsize=1)
def _leaf_encoders() -> dict[type, Callable]:
    sp = _sympy()
    out: dict[type, Callable] = {cls: (lambda enc, e, name=name: ["S", name]) for cls, name in _singletons().items()}
    out.update({
        sp.Symbol: lambda enc, e: ["Symbol", e.name, _assumptions(e)],
        sp.Dummy: _Encoder.dummy,
        sp.Integer: lambda enc, e: ["Integer", int(e.p)],
        sp.Rational: lambda enc, e: ["Rational", int(e.p), int(e.q)],
        sp.Float: _float,
    })
    return out


class _Decoder:
    def __init__(self):
        self.dummies: dict[int, Any] = {}

    def value(self, v: Any) -> Any:
        t = type(v)
        if t in _SCALARS:
            return v
        if t is list:
            return [self.value(x) for x in v]
        if t is not dict or len(v) not in (1, 2):
            raise Undecodable(f"a {t.__name__}")
        tag = next(iter(v)) if len(v) == 1 else "dataclass"
        reader = _VALUE_TAGS.get(tag)
        if reader is None:
            raise Undecodable(f"the tag {tag!r}")
        return reader(self, v)

    def dataclass(self, v: dict) -> Any:
        cls = DATACLASSES.get(v.get("dataclass"))
        fields = v.get("fields")
        if cls is None or type(fields) is not dict or set(fields) != {f.name for f in dataclasses.fields(cls)}:
            raise Undecodable(f"the dataclass {v.get('dataclass')!r}")
        try:
            return cls(**{k: self.value(x) for k, x in fields.items()})
        except (TypeError, ValueError) as exc:  # a field the record refuses (a verdict unknown, a type)
            raise Undecodable(f"the dataclass {cls.__name__}: {exc}") from None

    def pairs(self, v: dict) -> dict:
        items = _typed(v["pairs"], list)
        return {self.value(k): self.value(x) for k, x in (_pair(p) for p in items)}

    def tree(self, n: Any) -> Any:
        """A SymPy tree, without the deprecation warnings its first parse may have shown
        (``Pow`` of a ``Tuple``)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", _sympy().utilities.exceptions.SymPyDeprecationWarning)
            return self.node(n)

    def node(self, n: Any) -> Any:
        if type(n) is not list or not n or type(n[0]) is not str:
            raise Undecodable("a SymPy node that is not [class name, args…]")
        leaf = _LEAF_TAGS.get(n[0])
        if leaf is not None:
            return leaf(self, n)
        cls = _allowed().get(n[0])
        if cls is None:
            raise Undecodable(f"SymPy class {n[0]!r}")
        return _build(cls, tuple(self.node(a) for a in n[1:]))

    def dummy(self, n: list) -> Any:
        _, name, assumptions, k = _fields(n, str, dict, int)
        d = self.dummies.get(k)
        if d is None:
            d = self.dummies[k] = _sympy().Dummy(name, **_truth_values(assumptions))
        elif d.name != name:
            raise Undecodable("one dummy number with two names")
        return d

    def undef(self, n: list) -> Any:
        if len(n) < 3:
            raise Undecodable("an AppliedUndef without its name and keywords")
        name, kwargs = _typed(n[1], str), _typed(n[2], dict)
        if not all(k.isidentifier() and not k.startswith("_") and type(x) in _SCALARS for k, x in kwargs.items()):
            raise Undecodable(f"the keywords of the function {name!r}")
        return _function(name, tuple(sorted(kwargs.items())))(*(self.node(a) for a in n[3:]), evaluate=False)


_VALUE_TAGS: dict[str, Callable] = {
    "tuple": lambda dec, v: tuple(dec.value(x) for x in _typed(v["tuple"], list)),
    "dict": lambda dec, v: {k: dec.value(x) for k, x in _typed(v["dict"], dict).items()},
    "pairs": _Decoder.pairs,
    "dataclass": _Decoder.dataclass,
    "sympy": lambda dec, v: dec.tree(v["sympy"]),
}


def _symbol(dec, n: list):
    _, name, assumptions = _fields(n, str, dict)
    return _sympy().Symbol(name, **_truth_values(assumptions))


def _integer(dec, n: list):
    return _sympy().Integer(_fields(n, int)[1])


def _rational(dec, n: list):
    _, p, q = _fields(n, int, int)
    if q <= 0:
        raise Undecodable("a Rational with a denominator that is not positive")
    return _sympy().Rational(p, q)


def _float_of(dec, n: list):
    _, mpf, prec = _fields(n, list, int)
    if len(mpf) != 4 or not all(type(x) is int for x in mpf) or mpf[0] not in (0, 1) or prec <= 0:
        raise Undecodable("a Float that is not [sign, mantissa, exponent, bits] and a precision")
    sign, man, exp, _ = mpf
    if man < 0:
        raise Undecodable("a Float with a negative mantissa")
    return _sympy().Float._new((sign, man, exp, man.bit_length()), prec, zero=False)


def _singleton(dec, n: list):
    name = _fields(n, str)[1]
    if name not in _singletons().values():
        raise Undecodable(f"singleton {name!r}")
    return getattr(_sympy().S, name)


_LEAF_TAGS: dict[str, Callable] = {
    "S": _singleton,
    "Symbol": _symbol,
    "Dummy": _Decoder.dummy,
    "Integer": _integer,
    "Rational": _rational,
    "Float": _float_of,
    "AppliedUndef": _Decoder.undef,
}


def _typed(x: Any, t: type) -> Any:
    if type(x) is not t:
        raise Undecodable(f"a {type(x).__name__} where a {t.__name__} belongs")
    return x


def _fields(n: list, *types: type) -> list:
    """A leaf node's fields after its tag, each of its exact type."""
    if len(n) != len(types) + 1:
        raise Undecodable(f"a {n[0]} node of {len(n) - 1} fields")
    return [n[0], *(_typed(x, t) for x, t in zip(n[1:], types))]


def _pair(p: Any) -> list:
    if type(p) is not list or len(p) != 2:
        raise Undecodable("a pair that is not [key, value]")
    return p


def _truth_values(assumptions: dict) -> dict:
    if not all(type(v) in (bool, type(None)) for v in assumptions.values()):
        raise Undecodable("an assumption that is not a truth value")
    return assumptions


def _sympy():
    import sympy

    return sympy


@cached("codec-applied-undef", maxsize=1)
def _applied_undef() -> type:
    from sympy.core.function import AppliedUndef

    return AppliedUndef


@cached("codec-functions", maxsize=4096)
def _function(name: str, kwargs: tuple):
    """The undefined function ``name`` (one class per name and keywords, as SymPy compares them)."""
    return _sympy().Function(name, **dict(kwargs))


@cached("codec-singletons", maxsize=1)
def _singletons() -> dict[type, str]:
    """SymPy's singletons (``S.Half``, ``S.true``, ``S.Reals``…): class → name in ``S``."""
    sp = _sympy()
    from sympy.core.singleton import Singleton

    out = {}
    for name in dir(sp.S):
        obj = getattr(sp.S, name) if not name.startswith("_") else None
        if isinstance(obj, sp.Basic) and isinstance(type(obj), Singleton):
            out.setdefault(type(obj), name)
    return out


@cached("codec-allowed-classes", maxsize=1)
def _allowed() -> dict[str, type]:
    """Class name → class, for the classes a node may name: SymPy's ``sympy.<name>`` classes and
    mathlint's own, but atoms (symbols and numbers are leaves, whose data is checked)."""
    sp = _sympy()
    from ..expr import symbols

    out = {}
    for module in (sp, symbols):
        for name, cls in vars(module).items():
            if isinstance(cls, type) and issubclass(cls, sp.Basic) and cls.__name__ == name \
                    and not issubclass(cls, sp.Atom) and (module is sp or cls.__module__ == symbols.__name__):
                out[name] = cls
    return out


@cached("codec-takes-evaluate", maxsize=1)
def _takes_evaluate() -> tuple[type, ...]:
    """The classes whose constructors evaluate unless told ``evaluate=False`` (what the global
    switch would tell them)."""
    sp = _sympy()
    from sympy.core.relational import Relational
    from sympy.functions.elementary.miscellaneous import MinMaxBase

    return sp.Pow, sp.Function, Relational, MinMaxBase, sp.FiniteSet


def _build(cls: type, args: tuple):
    """``cls(*args)`` unevaluated: the node as it was stored."""
    sp = _sympy()
    if cls is sp.Add or cls is sp.Mul:
        if len(args) < 2:
            raise Undecodable(f"a {cls.__name__} of {len(args)} terms")
        return cls._from_args(args)  # as walk.unevaluated
    if issubclass(cls, _takes_evaluate()):
        return cls(*args, evaluate=False)
    return cls(*args)
