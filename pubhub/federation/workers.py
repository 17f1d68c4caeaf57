"""The background workers of one process: the inbox worker and the delivery workers, woken at
commit time (and, on PostgreSQL, by NOTIFY from other processes)."""

from __future__ import annotations

import asyncio

from ..runtime import Runtime
from ..store import notify
from .processor import InboxProcessor


class Workers:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self.inbox = InboxProcessor(rt)
        self._tasks: list[asyncio.Task] = []
        self._stop = asyncio.Event()

    async def run_pending(self) -> None:
        """Drain the inbox and delivery queues once (tests step this instead of sleeping)."""
        while await self.inbox.run_due() + await self.rt.deliveries.run_due():
            pass

    def start(self) -> None:
        self._stop.clear()
        self._tasks = [
            asyncio.create_task(self.inbox.run_forever(self._stop), name="inbox-worker"),
            asyncio.create_task(self.rt.deliveries.run_forever(self._stop), name="delivery-worker"),
        ]
        if not self.rt.db.is_sqlite:  # other processes queue work too: hear about it at once
            wakes = {notify.DELIVERIES: self.rt.deliveries.wake, notify.INBOX: self.rt.inbox_wake}
            self._tasks.append(asyncio.create_task(notify.listen(self.rt.settings.database_url, wakes, self._stop), name="listener"))

    async def stop(self) -> None:
        self._stop.set()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
