"""Lanes: the inbox worker's queues, one per sending origin.

A lane applies its origin's activities one chunk at a time, in arrival order (a Follow before
its Undo); different origins' lanes run side by side. So a server whose documents stall delays
only its own activities, never another server's, and we never have more than one fetch in
flight to it from the inbox (handlers fetch only from the sender's own origin): the fix for
head-of-line blocking is not an amplifier.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Awaitable, Callable

from ..activitypub.origins import origin
from ..store.activities import ClaimedActivity

log = logging.getLogger(__name__)

PARALLEL = 32  # lanes applying at once
CHUNK = 100  # activities a lane applies (and finishes) together
FULL = 100  # claimed activities of one origin after which the claim skips that origin


class Lanes:
    def __init__(self, apply: Callable[[list[ClaimedActivity]], Awaitable[None]], *,
                 parallel: int = PARALLEL, chunk: int = CHUNK, full: int = FULL):
        self.apply = apply
        self.chunk = chunk
        self.full = full
        self.running = asyncio.Semaphore(parallel)
        self.progress = asyncio.Event()  # set whenever a chunk is finished
        self.finished = 0
        self._queues: dict[str, deque[ClaimedActivity]] = {}
        self._tasks: dict[str, asyncio.Task] = {}
        self._claimed: dict[int, str] = {}  # id of every activity taken and not finished → its origin

    @property
    def active(self) -> bool:
        return bool(self._tasks)

    @property
    def in_flight(self) -> int:
        return len(self._claimed)

    def claimed_ids(self) -> list[int]:
        return list(self._claimed)

    def full_origins(self) -> list[str]:
        """Origins with so much claimed already that claiming more of theirs would only wait."""
        counts: dict[str, int] = {}
        for name in self._claimed.values():
            counts[name] = counts.get(name, 0) + 1
        return [name for name, count in counts.items() if count >= self.full and name]

    def add(self, rows: list[ClaimedActivity]) -> None:
        for row in rows:  # rows come in arrival order
            name = origin(row.actor_uri) or ""
            self._claimed[row.id] = name
            self._queues.setdefault(name, deque()).append(row)
            if name not in self._tasks:
                self._tasks[name] = asyncio.create_task(self._drain(name), name=f"inbox-lane {name}")

    async def _drain(self, name: str) -> None:
        async with self.running:
            queue = self._queues[name]
            while queue:
                chunk = [queue.popleft() for _ in range(min(len(queue), self.chunk))]
                try:
                    await self.apply(chunk)
                except Exception:  # e.g. the database went away: the leases run out, they come back
                    log.exception("inbox lane failed origin=%s activities=%d", name, len(chunk))
                self._finished(chunk)  # (not when cancelled: a stopping worker hands the chunk back)
            # No await since the queue was found empty: nothing was added to it meanwhile.
            del self._tasks[name], self._queues[name]

    def _finished(self, chunk: list[ClaimedActivity]) -> None:
        for row in chunk:
            self._claimed.pop(row.id, None)
        self.finished += len(chunk)
        self.progress.set()

    async def cancel(self) -> list[int]:
        """Stop every lane; the ids of the activities taken and not finished."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        unfinished = list(self._claimed)
        self._tasks.clear()
        self._queues.clear()
        self._claimed.clear()
        return unfinished
