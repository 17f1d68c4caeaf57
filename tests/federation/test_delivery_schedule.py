"""The delivery schedule, pinned through the injected clock and a seeded jitter: the first
retry 27-33 s after a failure, then 54-66 s, doubling up to 12 h apart, given up once the next
attempt would fall more than 2 days after the delivery was queued; refused addresses at once."""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import random
from datetime import timedelta

import pytest

from tests.support import store
from tests.support.instance import Instance


@pytest.fixture
async def instance(database_url, clock):
    server = await Instance(database_url, clock=clock).start()
    server.runtime.deliveries.jitter = random.Random(20261123)
    yield server
    await server.stop()


async def _queue_accept(instance, peer):
    """A remote follow of our account: its Accept is the delivery under test."""
    gemeente = await instance.create_account("gemeente")
    alice = peer.add_actor("alice")
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, gemeente.uri), alice))[0] == 202
    await instance.workers_.inbox.run_due()
    return await store.one(instance, store.Delivery)


async def _attempt(instance) -> store.Delivery:
    assert await instance.runtime.deliveries.run_due() == 1
    return await store.one(instance, store.Delivery)


async def test_retries_back_off_30_s_then_doubling_to_12_h_and_give_up_after_2_days(instance, peer, clock, caplog):
    peer.inbox_status = 503
    queued = await _queue_accept(instance, peer)
    delays = []
    row = await _attempt(instance)
    while row.state == "pending":
        delays.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.advance(delays[-1] - 1)
        assert await instance.runtime.deliveries.run_due() == 0  # never before it is due
        clock.advance(1)
        row = await _attempt(instance)

    assert 27 <= delays[0] <= 33
    assert 54 <= delays[1] <= 66
    for attempt, delay in enumerate(delays[:11]):
        base = 30 * 2 ** attempt
        assert 0.9 * base <= delay <= 1.1 * base, (attempt, delay)
    assert delays[11:] == [12 * 3600] * len(delays[11:])  # the cap
    assert len(delays) == 13
    elapsed = clock.now() - queued.created_at
    assert timedelta(days=1, hours=16) < elapsed <= timedelta(days=2)
    assert (row.state, row.attempts, row.last_error) == ("failed", 14, "HTTP 503")
    assert len(peer.received) == 14
    assert "delivery failed inbox=" in caplog.text and "error=HTTP 503" in caplog.text
    clock.advance(30 * 24 * 3600)
    assert await instance.runtime.deliveries.run_due() == 0  # given up for good


async def test_a_refused_answer_is_given_up_at_once(instance, peer, clock):
    peer.inbox_status = 403
    await _queue_accept(instance, peer)
    row = await _attempt(instance)
    assert (row.state, row.attempts, row.last_error) == ("failed", 1, "HTTP 403")
    clock.advance(3 * 24 * 3600)
    assert await instance.runtime.deliveries.run_due() == 0


@pytest.mark.parametrize("status", [408, 429, 500, 502])
async def test_temporary_answers_are_retried(instance, peer, status, caplog):
    peer.inbox_status = status
    await _queue_accept(instance, peer)
    row = await _attempt(instance)
    assert (row.state, row.attempts, row.last_error) == ("pending", 1, f"HTTP {status}")
    assert f"delivery will retry inbox={peer.base}/users/alice/inbox" in caplog.text


async def test_an_address_the_guard_refuses_fails_at_once_without_a_request(database_url, peer, clock, caplog):
    caplog.set_level(logging.INFO, logger="pubhub")
    server = Instance(database_url, clock=clock)
    # Only 127.0.0.1 may be reached; the follower's inbox lives on 127.0.0.2.
    server.settings = dataclasses.replace(server.settings, allow_private_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    await server.start()
    try:
        gemeente = await server.create_account("gemeente")
        alice = peer.add_actor("alice")
        outside = f"http://127.0.0.2:{peer.port}/users/alice/inbox"
        async with server.runtime.db.write() as session:
            await server.runtime.deliveries.enqueue(session, {"id": f"{gemeente.uri}#accepts/1", "type": "Accept",
                                                              "actor": gemeente.uri, "object": alice.uri}, gemeente, [outside])
        assert await server.runtime.deliveries.run_due() == 1
        row = await store.one(server, store.Delivery)
        assert (row.state, row.attempts) == ("failed", 1)
        assert "127.0.0.2" in row.last_error
        clock.advance(3 * 24 * 3600)
        assert await server.runtime.deliveries.run_due() == 0
        assert peer.received == []
    finally:
        await server.stop()
