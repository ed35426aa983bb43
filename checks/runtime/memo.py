"""Memos keyed by object identity (no SymPy needed: the cache uses one before SymPy is imported)."""

from __future__ import annotations


class ByIdentity:
    """Values remembered by the identity of some objects (and a plain ``tag``). An equality
    lookup would compare equal but distinct trees node by node; an entry keeps its objects
    alive, so their ids cannot be taken by others while it is remembered. Full: forgets all."""

    def __init__(self, limit: int):
        self.limit, self._entries = limit, {}

    def get(self, objs: tuple, tag=None):
        """The value remembered for these very objects, or None."""
        hit = self._entries.get((tuple(map(id, objs)), tag))
        return hit[1] if hit is not None and all(a is b for a, b in zip(hit[0], objs)) else None

    def put(self, objs: tuple, value, tag=None):
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[(tuple(map(id, objs)), tag)] = (objs, value)
        return value
