"""Back-pressure for the inbox: when more arrives than the inbox worker gets through, the
inbox answers 503 with Retry-After (Mastodon, Fedify and others retry such deliveries later)
rather than accept work without end. What is answered 202 is stored first, so never lost.

The number waiting is counted in the database at most once a second (every process, web or
worker, sees the same queue); what this process accepted since is added to it."""

from __future__ import annotations

import time

from ..runtime import Runtime
from ..store import activities as activity_store

RECOUNT_EVERY = 1.0  # seconds
RETRY_AFTER = 30  # seconds a refused sender is asked to wait


class Backlog:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self.limit = rt.settings.inbox_backlog
        self._waiting = 0
        self._counted_at = float("-inf")
        self._counting = False

    async def full(self) -> bool:
        if time.monotonic() - self._counted_at >= RECOUNT_EVERY and not self._counting:
            await self._recount()  # one request counts; the others meanwhile use the last count
        return self._waiting >= self.limit

    def accepted(self) -> None:
        self._waiting += 1

    def expire(self) -> None:
        """Count again at the next request (e.g. once the worker is known to have caught up)."""
        self._counted_at = float("-inf")

    async def _recount(self) -> None:
        self._counting = True
        try:
            async with self.rt.db.read() as session:
                self._waiting = await activity_store.pending_count(session)
            self._counted_at = time.monotonic()
        finally:
            self._counting = False
