"""A small bounded cache with expiry, for keys, remote actors and WebFinger results."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Generic, Hashable, TypeVar

V = TypeVar("V")
_MISSING = object()


class TTLCache(Generic[V]):
    def __init__(self, maxsize: int = 10_000, ttl: float = 3600.0, clock=time.monotonic):
        self.maxsize = maxsize
        self.ttl = ttl
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable, default=None):
        entry = self._items.get(key, _MISSING)
        if entry is _MISSING:
            return default
        expires, value = entry
        if expires < self._clock():
            del self._items[key]
            return default
        self._items.move_to_end(key)
        return value

    def set(self, key: Hashable, value: V) -> None:
        self._items[key] = (self._clock() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def pop(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
