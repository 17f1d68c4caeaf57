"""Group commit: many callers' writes in one transaction, each caller answered only after
that transaction committed.

SQLite commits one transaction at a time, and a commit (even with synchronous=NORMAL) costs
far more than the insert inside it. So the inbox does not commit per request: requests queue
their rows, one flusher takes everything queued while the previous commit ran, writes it in
one transaction, and then resolves every waiting request with its own result.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Generic, Sequence, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from .db import Database

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)

FlushFn = Callable[[AsyncSession, Sequence[T]], Awaitable[Sequence[R]]]


class GroupCommit(Generic[T, R]):
    def __init__(self, db: Database, flush: FlushFn, *, max_batch: int = 500):
        self.db = db
        self._flush = flush
        self.max_batch = max_batch
        self._queue: list[tuple[T, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None

    async def submit(self, item: T) -> R:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                async with self.db.write() as session:
                    results = await self._flush(session, [item for item, _ in batch])
            except Exception as exc:  # every waiter learns the batch failed; nothing half-written
                log.exception("group commit of %d items failed", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results):
                if not future.done():
                    future.set_result(result)

    async def drain(self) -> None:
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
