"""What only PostgreSQL does, tested where it runs (the PostgreSQL pass of `.ci/run`): workers in
other transactions skip rows one holds (FOR UPDATE SKIP LOCKED), and a commit in one process
wakes workers listening in another (LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from pubhub.runtime import Runtime
from pubhub.store import deliveries as delivery_store
from pubhub.store import notify
from tests.support import store
from tests.support.database import POSTGRES_URL
from tests.support.instance import Instance

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only: runs in the PostgreSQL pass of .ci/run")


async def _queue(instance, count: int) -> None:
    author = await instance.create_account("gemeente")
    activity = {"id": f"{author.uri}#claims", "type": "Create", "actor": author.uri, "object": f"{author.uri}/statuses/1"}
    async with instance.runtime.db.write() as session:
        await instance.runtime.deliveries.enqueue(session, activity, author,
                                                  [f"https://remote{n}.example/inbox" for n in range(count)])


async def test_a_claim_skips_the_rows_another_transaction_holds_instead_of_waiting(instance):
    await _queue(instance, 6)
    other = Runtime.create(instance.settings)  # another worker: its own connections
    now, lease = instance.runtime.clock.now(), timedelta(minutes=2)
    try:
        async with instance.runtime.db.write() as holding:
            first = await delivery_store.claim(holding, limit=3, lease=lease, now=now)
            # `holding` has not committed: its three rows are locked, not yet leased for others.
            async with other.db.write() as session:
                second = await asyncio.wait_for(delivery_store.claim(session, limit=3, lease=lease, now=now), timeout=5)
    finally:
        await other.close()
    assert len(first) == 3 and len(second) == 3
    assert {row.id for row in first}.isdisjoint(row.id for row in second)


@pytest.mark.parametrize("channel", [notify.DELIVERIES, notify.INBOX])
async def test_a_commit_wakes_a_listener_on_another_connection(instance, channel):
    woken, stop = asyncio.Event(), asyncio.Event()
    listener = asyncio.create_task(notify.listen(instance.settings.database_url, {channel: woken}, stop))
    try:
        await asyncio.wait_for(woken.wait(), timeout=10)  # set once when it starts listening
        woken.clear()
        local = asyncio.Event()
        async with instance.runtime.db.write() as session:
            await notify.on_commit(session, channel, local)
            await asyncio.sleep(0.2)
            assert not woken.is_set(), "woken before the commit"
        assert local.is_set()
        await asyncio.wait_for(woken.wait(), timeout=3)  # the poll interval is 5 s: this was NOTIFY
    finally:
        stop.set()
        await asyncio.wait_for(listener, timeout=10)


async def test_an_activity_accepted_by_one_process_is_applied_at_once_by_anothers_worker(instance, peer):
    """The web process answers 202 and NOTIFYs; a worker process hears it (its poll is 5 s)."""
    alice = peer.add_actor("alice", key_index=1)
    worker = await Instance(instance.settings.database_url, workers=True).start()  # a worker process, same database
    try:
        await asyncio.sleep(0.5)  # its listener is up
        like = peer.activity("Like", alice, f"{peer.base}/notes/1")
        assert (await peer.post(f"{instance.base}/inbox", like, alice))[0] == 202
        for _ in range(40):
            if (await store.inbox_activity(instance, like["id"])).state != "pending":
                break
            await asyncio.sleep(0.05)
        assert (await store.inbox_activity(instance, like["id"])).state == "done"
    finally:
        await worker.stop()
