"""Time comes from the injected clock: freshness and retry schedules are tested by moving it,
never by sleeping or patching."""

from __future__ import annotations

import pytest

from tests.support import store
from tests.support.instance import Instance


@pytest.fixture
async def instance(database_url, clock):
    server = await Instance(database_url, clock=clock).start()
    yield server
    await server.stop()


async def test_a_signature_dated_more_than_an_hour_before_our_clock_is_refused(instance, peer, clock):
    gemeente = await instance.create_account("gemeente")
    alice = peer.add_actor("alice")
    clock.advance(3600 + 120)  # the peer signs with the real time: two minutes too old for us now
    status, body = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, gemeente.uri), alice)
    assert status == 401
    assert "Date" in body["error"] or "date" in body["error"]
    assert await store.nothing_stored(instance)


async def test_a_failed_delivery_is_retried_only_once_the_clock_reaches_its_time(instance, peer, clock):
    gemeente = await instance.create_account("gemeente")
    alice = peer.add_actor("alice")
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, gemeente.uri), alice))[0] == 202
    peer.inbox_status = 503
    await instance.settle()  # the Accept fails once and is rescheduled about 30 s later
    [row] = await store.inbox_activities(instance)
    assert row.state == "done"
    deliveries = instance.runtime.deliveries

    clock.advance(26)
    assert await deliveries.run_due() == 0
    clock.advance(8)  # 34 s: past the 27-33 s the first retry may be scheduled at
    peer.inbox_status = 202
    assert await deliveries.run_due() == 1
    assert len(peer.received) == 2
    delivery = await store.one(instance, store.Delivery, store.Delivery.state == "done")
    assert delivery.attempts == 2
    assert delivery.finished_at == clock.now()


async def test_a_remote_actor_is_fetched_again_only_after_a_day_by_our_clock(instance, peer, clock):
    token = await instance.token_for(await instance.create_account("gemeente"))
    peer.add_actor("alice")
    lookup = f"/api/v1/accounts/lookup?acct=alice@{peer.domain}"
    assert (await instance.request("GET", lookup, token=token))[0] == 200
    fetched = peer.fetches.count("/users/alice")
    instance.runtime.actors.forget(f"{peer.base}/users/alice")
    clock.advance(23 * 3600)
    assert (await instance.request("GET", lookup, token=token))[0] == 200
    assert peer.fetches.count("/users/alice") == fetched  # still fresh: from the database
    instance.runtime.actors.forget(f"{peer.base}/users/alice")
    clock.advance(2 * 3600)
    assert (await instance.request("GET", lookup, token=token))[0] == 200
    assert peer.fetches.count("/users/alice") == fetched + 1
