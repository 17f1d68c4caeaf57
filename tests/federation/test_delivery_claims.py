"""Several delivery workers (separate processes in production: here separate engines and
connections on one database) race for the same queue: each inbox gets exactly one POST.
A row claimed by a worker that died is retried once its lease expires."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from pubhub.runtime import Runtime
from pubhub.store.models import Delivery, utcnow


async def _queue(instance, peer, count: int) -> list[str]:
    author = await instance.create_account("gemeente")
    inboxes = [f"{peer.base}/users/u{n}/inbox" for n in range(count)]
    activity = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{author.uri}#race", "type": "Create",
                "actor": author.uri, "object": {"id": f"{author.uri}/statuses/1", "type": "Note"}}
    async with instance.runtime.db.write() as session:
        await instance.runtime.deliveries.enqueue(session, activity, author, inboxes)
    return inboxes


async def test_racing_workers_deliver_each_row_exactly_once(instance, peer):
    inboxes = await _queue(instance, peer, 120)
    workers = [Runtime.create(instance.settings) for _ in range(4)]
    try:
        await asyncio.gather(*(worker.deliveries.run_due() for worker in workers))
    finally:
        for worker in workers:
            await worker.close()

    hits = Counter(received.path for received in peer.received)
    assert sorted(hits) == sorted(inbox.removeprefix(peer.base) for inbox in inboxes)
    assert set(hits.values()) == {1}
    assert all(received.verified for received in peer.received)
    async with instance.runtime.db.read() as session:
        states = Counter((await session.execute(select(Delivery.state))).scalars())
    assert states == {"done": 120}


async def test_a_row_claimed_by_a_dead_worker_is_retried_after_its_lease(instance, peer):
    await _queue(instance, peer, 3)
    dead = Runtime.create(instance.settings)
    try:
        claimed = await dead.deliveries._claim(10)  # claims, then "dies" before posting
    finally:
        await dead.close()
    assert len(claimed) == 3

    assert await instance.runtime.deliveries.run_due() == 0  # leased: nobody else may take them
    later = utcnow() + timedelta(seconds=instance.settings.delivery_lease_seconds + 1)
    assert await instance.runtime.deliveries.run_due(now=later) == 3
    assert len(peer.received) == 3
