"""An actor that deleted itself (a signed Delete of its own actor) stays gone: whatever it
signs afterwards is refused in the request (410), or dropped by the worker when it was
accepted before the Delete was applied; its document, still served or served again, does not
bring it back. (Here its server keeps serving the actor document, as a server that re-creates
the account, or whoever holds its key, would.)"""

from __future__ import annotations


import pytest

from tests.support import store
from tests.support.inbox import assert_done, assert_dropped
from tests.support.instance import Instance
from tests.support.peer import PUBLIC

GONE = "actor {uri} is gone: it deleted itself"


@pytest.fixture
def inbox(instance):
    return f"{instance.base}/inbox"


async def send(peer, inbox, actor, activity, **signing) -> dict:
    status, payload = await peer.post(inbox, activity, actor, **signing)
    assert status == 202, payload
    return activity


async def delete_itself(instance, peer, inbox, actor) -> None:
    await assert_done(instance, await send(peer, inbox, actor, peer.activity("Delete", actor, actor.uri)))
    assert (await store.actor(instance, actor.uri)).deleted_at is not None


def afterwards(peer, actor, gemeente, kind: str) -> dict:
    if kind == "Create":
        return peer.create(actor, peer.note(actor, "<p>Terug!</p>", to=[PUBLIC, gemeente.uri]))
    return peer.activity(kind, actor, gemeente.uri if kind == "Follow" else actor.uri)


async def assert_nothing_from(instance, peer, actor) -> None:
    await instance.settle()
    assert await store.count(instance, store.Follow) == 0
    assert await store.count(instance, store.Object, store.Object.local.is_(False),
                             store.Object.deleted_at.is_(None)) == 0
    assert peer.received_of_type("Accept") == []  # nothing answered
    assert (await store.actor(instance, actor.uri)).deleted_at is not None  # still gone


@pytest.mark.parametrize("kind", ["Follow", "Create", "Delete"])
async def test_an_actor_that_deleted_itself_is_refused_afterwards(instance, peer, alice, gemeente, inbox, kind):
    await assert_done(instance, await send(peer, inbox, alice, peer.activity("Follow", alice, gemeente.uri)))
    await delete_itself(instance, peer, inbox, alice)
    assert await store.count(instance, store.Follow) == 0
    peer.received.clear()

    status, payload = await peer.post(inbox, afterwards(peer, alice, gemeente, kind), alice)
    assert (status, payload) == (410, {"error": GONE.format(uri=alice.uri)})
    await assert_nothing_from(instance, peer, alice)


async def test_nor_once_its_stored_document_is_stale_and_would_be_fetched_again(instance, peer, alice, gemeente,
                                                                                 inbox, clock):
    await delete_itself(instance, peer, inbox, alice)
    clock.advance(3 * 24 * 3600)  # well past the day after which an actor document is fetched again
    peer.fetches.clear()
    follow = peer.activity("Follow", alice, gemeente.uri)
    status, payload = await peer.post(inbox, follow, alice, date=clock.now())
    assert (status, payload) == (410, {"error": GONE.format(uri=alice.uri)})
    assert peer.fetches == []  # not even asked for
    await assert_nothing_from(instance, peer, alice)


async def test_what_was_accepted_before_the_delete_was_applied_is_dropped(instance, peer, alice, gemeente, inbox):
    """The worker applies the Delete first, then finds the later Follow's actor gone (as a
    worker does when another process accepted the Follow with the key still in its memory)."""
    await send(peer, inbox, alice, peer.activity("Delete", alice, alice.uri))
    follow = await send(peer, inbox, alice, peer.activity("Follow", alice, gemeente.uri))
    await assert_dropped(instance, follow, GONE.format(uri=alice.uri))
    await assert_nothing_from(instance, peer, alice)


async def test_another_actor_of_the_same_server_is_not_affected(instance, peer, alice, mallory, gemeente, inbox):
    await delete_itself(instance, peer, inbox, alice)
    await assert_done(instance, await send(peer, inbox, mallory, peer.activity("Follow", mallory, gemeente.uri)))
    assert [(f.state, f.follower_uri) for f in await store.follows(instance)] == [("accepted", mallory.uri)]


async def test_a_process_that_still_remembers_the_actor_does_not_let_it_follow_again(instance, database_url, peer,
                                                                                    alice, gemeente, inbox):
    """Two processes on one database (as `pubhub serve --no-workers` processes and workers run):
    `other` learnt alice's key and document before the Delete, which `instance` applied; a
    Follow that `other` accepts from memory is still refused when it is applied."""
    other = await Instance(database_url).start()
    try:
        first = await send(peer, f"{other.base}/inbox", alice, peer.activity("Like", alice, gemeente.uri))
        await assert_done(other, first)  # `other` now remembers alice and her key
        await delete_itself(instance, peer, inbox, alice)
        peer.received.clear()
        follow = await send(peer, f"{other.base}/inbox", alice, peer.activity("Follow", alice, gemeente.uri))
        await assert_dropped(other, follow, "Follow from an actor that deleted itself")
        await assert_nothing_from(other, peer, alice)
    finally:
        await other.stop()


async def test_a_process_that_still_remembers_the_actor_does_not_bring_it_back_on_an_update(
        instance, database_url, peer, alice, gemeente, inbox):
    """An Update of itself makes a process fetch the actor document again: storing it must not
    undo the Delete."""
    other = await Instance(database_url).start()
    try:
        await assert_done(other, await send(peer, f"{other.base}/inbox", alice, peer.activity("Like", alice, gemeente.uri)))
        await delete_itself(instance, peer, inbox, alice)
        update = await send(peer, f"{other.base}/inbox", alice, peer.activity("Update", alice, alice.document()))
        await assert_dropped(other, update, GONE.format(uri=alice.uri))
        assert (await store.actor(instance, alice.uri)).deleted_at is not None
    finally:
        await other.stop()
