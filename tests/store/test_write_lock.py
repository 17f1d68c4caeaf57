"""SQLite's one writer is handed out by urgency: a transaction somebody waits for (a request)
goes before background work (the inbox worker, deliveries), in arrival order within each; a
waiter cancelled before or as it is handed the lock does not keep it."""

from __future__ import annotations

import asyncio

from pubhub.store.db import WriteLock


async def holder(lock: WriteLock, name: str, background: bool, order: list[str]) -> None:
    await lock.acquire(background)
    order.append(name)
    await asyncio.sleep(0)
    lock.release()


async def test_waiting_requests_go_before_waiting_background_work():
    lock, order = WriteLock(), []
    await lock.acquire(False)  # held by someone
    tasks = [asyncio.create_task(holder(lock, name, background, order))
             for name, background in [("worker-1", True), ("request-1", False), ("worker-2", True), ("request-2", False)]]
    await asyncio.sleep(0.01)
    lock.release()
    await asyncio.gather(*tasks)
    assert order == ["request-1", "request-2", "worker-1", "worker-2"]


async def test_a_cancelled_waiter_leaves_the_lock_to_the_next():
    lock, order = WriteLock(), []
    await lock.acquire(False)
    cancelled = asyncio.create_task(holder(lock, "cancelled", False, order))
    waiting = asyncio.create_task(holder(lock, "next", True, order))
    await asyncio.sleep(0.01)
    lock.release()  # handed to `cancelled`...
    cancelled.cancel()  # ...which is cancelled before it runs: it must pass the lock on
    await asyncio.gather(cancelled, waiting, return_exceptions=True)
    assert order == ["next"]
    await asyncio.wait_for(lock.acquire(False), 1)  # and the lock is free again afterwards
