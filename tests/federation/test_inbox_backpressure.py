"""Back-pressure: once `Settings.inbox_backlog` activities wait for the inbox worker, the inbox
answers 503 with Retry-After (senders retry later) before reading the body, stores nothing
for it, and takes activities again as soon as the worker has got through the backlog. What
was answered 202 is all applied."""

from __future__ import annotations

import pytest

from pubhub.federation import backlog
from tests.support import store
from tests.support.instance import Instance

LIMIT = 3


@pytest.fixture
async def instance(database_url):
    server = await Instance(database_url, inbox_backlog=LIMIT).start()
    yield server
    await server.stop()


def follow(peer, actor, target) -> dict:
    return peer.activity("Follow", actor, target.uri)


async def test_a_full_backlog_is_answered_503_with_retry_after_and_nothing_is_lost(instance, peer, gemeente):
    actors = [peer.add_actor(f"a{n}") for n in range(LIMIT + 1)]
    inbox = f"{instance.base}/inbox"
    accepted = [follow(peer, actor, gemeente) for actor in actors[:LIMIT]]
    for activity, actor in zip(accepted, actors):
        assert (await peer.post(inbox, activity, actor))[0] == 202

    late = follow(peer, actors[LIMIT], gemeente)
    async with instance.http.post(inbox, data=b"{}", headers={"Content-Type": "application/activity+json"}) as response:
        # Refused before the body is read or its signature checked: the cheapest answer there is.
        assert response.status == 503
        assert response.headers["Retry-After"] == str(backlog.RETRY_AFTER)
        assert await response.json() == {"error": "too many activities waiting; retry later"}
    status, payload = await peer.post(inbox, late, actors[LIMIT])
    assert status == 503, payload
    assert await store.inbox_activity(instance, late["id"]) is None

    await instance.settle()  # the worker gets through the backlog
    assert sorted(f.follower_uri for f in await store.follows(instance)) == sorted(a.uri for a in actors[:LIMIT])
    backlog_of(instance).expire()  # the next request counts again (at most a second later, else)
    assert (await peer.post(inbox, late, actors[LIMIT]))[0] == 202
    await instance.settle()
    assert len(await store.follows(instance)) == LIMIT + 1


async def test_what_another_process_queued_counts_too(instance, database_url, peer, gemeente):
    """Web processes share one queue: the count comes from the database, not from memory."""
    other = await Instance(database_url, inbox_backlog=LIMIT).start()
    try:
        actors = [peer.add_actor(f"b{n}") for n in range(LIMIT + 1)]
        for actor in actors[:LIMIT]:
            assert (await peer.post(f"{other.base}/inbox", follow(peer, actor, gemeente), actor))[0] == 202
        status, _ = await peer.post(f"{instance.base}/inbox", follow(peer, actors[LIMIT], gemeente), actors[LIMIT])
        assert status == 503
    finally:
        await other.stop()


def backlog_of(instance):
    from pubhub.federation.routes import BACKLOG

    return instance.runner.app[BACKLOG]
