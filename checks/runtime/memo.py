"""Module-level memos, in one registry: each with a name and a limit, listed by :func:`memos`
and emptied together by :func:`clear_all` (tests, and long-lived callers that check many posts).

Three kinds register here: :class:`ByIdentity` (values by the identity of objects), functions
under :func:`cached` (``functools.lru_cache``) and plain tables under :func:`register` (a dict
whose module evicts by its own rule). No SymPy here: the cache uses this module before SymPy is
imported. Per-instance memos (``Cache._keys``) are not registered: they live with their owner."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

F = TypeVar("F", bound=Callable)


class Clearable(Protocol):
    """What a registered table offers: a size and a way to empty it."""

    def __len__(self) -> int: ...

    def clear(self) -> None: ...


@dataclass(frozen=True)
class MemoInfo:
    """One registered memo as :func:`memos` lists it."""

    name: str
    limit: int | None  # entries before it forgets (None: bounded by what it is keyed by)
    size: int


@dataclass(frozen=True)
class _Entry:
    limit: int | None
    size: Callable[[], int]
    clear: Callable[[], None]


_REGISTRY: dict[str, _Entry] = {}


def _add(name: str, entry: _Entry) -> None:
    """A name names one memo; registering it again (a reloaded module) replaces the old one."""
    _REGISTRY[name] = entry


def memos() -> list[MemoInfo]:
    """Every registered memo, in the order registered: its name, limit and current size."""
    return [MemoInfo(name, e.limit, e.size()) for name, e in _REGISTRY.items()]


def clear_all() -> None:
    """Empty every registered memo (what they hold is recomputed on the next use)."""
    for e in _REGISTRY.values():
        e.clear()


def register(name: str, limit: int | None, table: Clearable):
    """``table`` (a dict its module fills and evicts from), registered; returned as is."""
    _add(name, _Entry(limit, table.__len__, table.clear))
    return table


def once(fn: F) -> F:
    """Run ``fn`` once per process (a set-up step with effects, as freezing the collector's
    objects): not a memo, so not registered, and :func:`clear_all` does not run it again."""
    return functools.lru_cache(maxsize=1)(fn)  # type: ignore[return-value]


def cached(name: str, maxsize: int | None) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, with the function registered under ``name``."""
    def wrap(fn: F) -> F:
        memoized = functools.lru_cache(maxsize=maxsize)(fn)
        _add(name, _Entry(maxsize, lambda: memoized.cache_info().currsize, memoized.cache_clear))
        return memoized  # type: ignore[return-value]

    return wrap


class ByIdentity:
    """Values remembered by the identity of some objects (and a plain ``tag``). An equality
    lookup would compare equal but distinct trees node by node; an entry keeps its objects
    alive, so their ids cannot be taken by others while it is remembered. Full: forgets all.
    With a ``name``, it is a module-level memo and registers itself."""

    def __init__(self, limit: int, name: str | None = None):
        self.limit, self._entries = limit, {}
        if name is not None:
            _add(name, _Entry(limit, self.size, self.clear))

    def get(self, objs: tuple, tag=None):
        """The value remembered for these very objects, or None."""
        hit = self._entries.get((tuple(map(id, objs)), tag))
        return hit[1] if hit is not None and all(a is b for a, b in zip(hit[0], objs)) else None

    def put(self, objs: tuple, value, tag=None):
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[(tuple(map(id, objs)), tag)] = (objs, value)
        return value

    def size(self) -> int:
        """Entries held (not ``__len__``: an empty memo must stay truthy where it is tested)."""
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
