"""Inbound activities are kept only as long as deduplication needs them: once applied or
dropped, a row keeps the activity's id (and type, actor, outcome) but not its body; after the
retention window (`Settings.inbox_retention_seconds`) the row itself is pruned by the inbox
worker. A held activity keeps its body, for the moderator, and is never pruned.

The attack from the review: large signed Creates that concern nobody were answered 202 and
their bodies kept for good."""

from __future__ import annotations

import pytest

from pubhub.federation.retention import PRUNE_EVERY
from tests.support import store
from tests.support.instance import Instance
from tests.support.policies import HostRules

BIG = 900_000  # characters of note content: a body just under the 1 MB limit
RETENTION = 7 * 24 * 3600


@pytest.fixture
def rules():
    return HostRules()


@pytest.fixture
async def instance(database_url, clock, rules):
    server = await Instance(database_url, clock=clock, policy=rules).start()
    yield server
    await server.stop()


@pytest.fixture
def inbox(instance, gemeente):
    return f"{instance.base}/inbox"


def big_create(peer, author) -> dict:
    """A public Create of a huge note that concerns no one here."""
    return peer.create(author, peer.note(author, "<p>" + "x" * BIG + "</p>"))


async def stored_body_bytes(instance) -> int:
    return sum(len(row.payload or "") for row in await store.inbox_activities(instance))


async def send(peer, inbox: str, activity: dict, author, clock) -> int:
    """POST signed with our (manual) clock's time, so it counts as fresh whenever the test is."""
    status, payload = await peer.post(inbox, activity, author, date=clock.now())
    assert status == 202, payload
    return status


async def test_finished_activities_keep_their_ids_but_not_their_bodies(instance, peer, alice, inbox, clock):
    creates = [big_create(peer, alice) for _ in range(3)]
    for create in creates:
        await send(peer, inbox, create, alice, clock)
    before = await stored_body_bytes(instance)
    await instance.settle()

    rows = await store.inbox_activities(instance)
    assert [(row.uri, row.state, row.payload) for row in rows] == [(c["id"], "done", None) for c in creates]
    after = await stored_body_bytes(instance)
    print(f"\ninbound bodies stored for {len(creates)} Creates of {BIG // 1000} KB: "
          f"{before / 1e6:.2f} MB before the worker ran, {after} bytes after")
    assert before > len(creates) * BIG and after == 0


async def test_a_dropped_activity_keeps_its_reason_but_not_its_body(instance, peer, alice, inbox, clock):
    # Someone else's note in alice's Create: dropped by the ownership rule.
    create = peer.create(alice, peer.note(alice, "<p>" + "x" * BIG + "</p>", attributedTo=f"{peer.base}/users/bob"))
    await send(peer, inbox, create, alice, clock)
    await instance.settle()
    row = await store.inbox_activity(instance, create["id"])
    assert (row.state, row.payload) == ("dropped", None)
    assert row.error == "created object is attributed to someone else"


async def test_a_replay_within_the_window_is_answered_202_and_not_applied_again(instance, peer, alice, gemeente, inbox, clock):
    follow = peer.activity("Follow", alice, gemeente.uri)
    await send(peer, inbox, follow, alice, clock)
    await instance.settle()
    assert len(peer.received_of_type("Accept")) == 1  # a re-sent Follow would be answered again
    first = await store.inbox_activity(instance, follow["id"])
    assert first.payload is None

    clock.advance(RETENTION - 60)  # still inside the window, the row's body long gone
    await instance.settle()
    await send(peer, inbox, follow, alice, clock)
    await instance.settle()

    assert len(peer.received_of_type("Accept")) == 1
    again = await store.inbox_activity(instance, follow["id"])
    assert (again.id, again.state, again.processed_at) == (first.id, "done", first.processed_at)
    assert await store.count(instance, store.InboxActivity) == 1


async def test_finished_rows_are_pruned_by_the_worker_after_the_retention(instance, peer, alice, inbox, clock):
    for _ in range(3):
        await send(peer, inbox, big_create(peer, alice), alice, clock)
    await instance.settle()
    assert await store.count(instance, store.InboxActivity) == 3

    clock.advance(RETENTION - 60)
    await instance.settle()
    assert await store.count(instance, store.InboxActivity) == 3

    clock.advance(PRUNE_EVERY)  # the worker's next pruning round, past the window now
    await instance.settle()
    assert await store.count(instance, store.InboxActivity) == 0


async def test_a_held_activity_keeps_its_body_and_is_never_pruned(instance, peer, alice, inbox, clock, rules):
    rules.held["apply"].add(peer.domain)
    create = big_create(peer, alice)
    await send(peer, inbox, create, alice, clock)
    await instance.settle()
    row = await store.inbox_activity(instance, create["id"])
    assert row.state == "held" and len(row.payload) > BIG

    clock.advance(2 * RETENTION)
    await instance.settle()
    row = await store.inbox_activity(instance, create["id"])
    assert row.state == "held" and len(row.payload) > BIG
