"""One stalling server must not hold up anyone else's activities (head-of-line blocking), and
must not get more than one fetch at a time from our inbox worker for its trouble."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import pytest

from pubhub.clock import ManualClock

from tests.support import store
from tests.support.instance import Instance

STALLED_NOTES = 3


@pytest.fixture
async def running(database_url):
    """An instance whose inbox and delivery workers run, as under `pubhub serve`."""
    server = await Instance(database_url, workers=True).start()
    yield server
    await server.stop()


@pytest.fixture
def stalling(other_peer):
    return other_peer


async def send(instance, peer, actor, activity) -> None:
    status, payload = await peer.post(f"{instance.base}/inbox", activity, actor)
    assert status == 202, payload


async def follower_uris(instance) -> set[str]:
    return {follow.follower_uri for follow in await store.follows(instance)}


async def test_a_stalling_server_does_not_delay_another_servers_follow(running, stalling, peer):
    await running.create_account("gemeente")
    spammer, alice = stalling.add_actor("spammer"), peer.add_actor("alice")
    for number in range(STALLED_NOTES):  # each Create's object is a URL that never answers
        path = f"/users/spammer/statuses/{number}"
        stalling.stalled.add(path)
        await send(running, stalling, spammer, stalling.activity("Create", spammer, stalling.base + path))
    await stalling.wait_for(lambda: stalling.gets_in_flight == 1)  # the worker is stuck on the first

    sent = time.monotonic()
    await send(running, peer, alice, peer.activity("Follow", alice, f"{running.base}/users/gemeente"))
    while alice.uri not in await follower_uris(running):
        assert time.monotonic() - sent < 1.0, "the Follow waited behind another server's stalled fetches"
        await asyncio.sleep(0.02)
    await peer.wait_for(lambda: peer.received_of_type("Accept"), timeout=5)

    # The stalling server's own activities wait their turn: one fetch at a time, in order.
    await asyncio.sleep(0.3)
    assert stalling.most_gets_in_flight == 1
    assert [path for path in stalling.fetches if "statuses" in path] == ["/users/spammer/statuses/0"]


async def stall_with_creates(instance, stalling, count: int):
    spammer = stalling.add_actor("spammer")
    for number in range(count):
        path = f"/users/spammer/statuses/{number}"
        stalling.stalled.add(path)
        await send(instance, stalling, spammer, stalling.activity("Create", spammer, stalling.base + path))
    await stalling.wait_for(lambda: stalling.gets_in_flight == 1)


async def leased(instance) -> list:
    return [row for row in await store.inbox_activities(instance) if row.lease_until is not None]


async def test_a_flooding_server_fills_only_its_own_lane(running, stalling, peer):
    """Once an origin has `full` activities taken, the worker takes other origins' first."""
    running.workers_.inbox.lanes.full = 2
    await running.create_account("gemeente")
    await stall_with_creates(running, stalling, 6)
    alice = peer.add_actor("alice")
    await send(running, peer, alice, peer.activity("Follow", alice, f"{running.base}/users/gemeente"))
    await peer.wait_for(lambda: peer.received_of_type("Accept"), timeout=1)
    assert len([row for row in await leased(running) if row.type == "Create"]) <= 2 + 1  # one claim may overshoot


async def test_stopping_hands_back_what_the_lanes_held(database_url, stalling):
    instance = await Instance(database_url, workers=True).start()
    try:
        await instance.create_account("gemeente")
        await stall_with_creates(instance, stalling, 3)
        while len(await leased(instance)) < 3:
            await asyncio.sleep(0.02)
    finally:
        await instance.stop()
    restarted = await Instance(database_url).start()
    try:
        rows = await store.inbox_activities(restarted)
        assert [(row.state, row.lease_until) for row in rows] == [("pending", None)] * 3  # a restart takes them at once
    finally:
        await restarted.stop()


async def test_activities_waiting_in_a_lane_keep_their_lease(database_url, stalling):
    clock = ManualClock(datetime.now(timezone.utc))  # peers sign with the real time
    instance = await Instance(database_url, workers=True, clock=clock).start()
    try:
        instance.workers_.inbox.renew_every = 0.05
        await instance.create_account("gemeente")
        await stall_with_creates(instance, stalling, 2)
        clock.advance(3600)  # far past the first lease
        await asyncio.sleep(0.3)
        assert [row.lease_until > clock.now() for row in await leased(instance)] == [True, True]
    finally:
        await instance.stop()
