"""Activities act only on what their actor owns (FEP-fe34 origins, attribution, authorship).
Each bad activity is correctly signed by its own actor, accepted (202), then dropped by the
worker with a reason, and nothing it aimed at changes. Each rule has a control showing that
the rightful actor can do the same thing."""

from __future__ import annotations

import pytest

from tests.support import store
from tests.support.inbox import assert_done, assert_dropped
from tests.support.peer import PUBLIC, RemotePeer


@pytest.fixture
def inbox(instance, gemeente):
    return f"{instance.base}/inbox"


@pytest.fixture
async def alices_note(instance, peer, alice, gemeente, inbox):
    """A note of alice's that we keep (it addresses our account), and alice's stored profile."""
    note = peer.note(alice, "<p>Origineel</p>", to=[PUBLIC, gemeente.uri])
    create = peer.create(alice, note)
    assert (await peer.post(inbox, create, alice))[0] == 202
    await assert_done(instance, create)
    assert await store.note(instance, note["id"]) is not None
    return note


async def send(peer, inbox, actor, activity) -> dict:
    status, payload = await peer.post(inbox, activity, actor)
    assert status == 202, payload
    return activity


# ---- Create ---------------------------------------------------------------------------------

async def test_a_create_of_a_note_on_another_origin_is_dropped(instance, peer, alice, gemeente, inbox):
    other = await RemotePeer().start()
    try:
        bob = other.add_actor("bob", key_index=3)
        foreign = other.note(bob, "<p>not alice's to send</p>", to=[PUBLIC, gemeente.uri], attributedTo=alice.uri)
        create = await send(peer, inbox, alice, peer.create(alice, foreign))
        await assert_dropped(instance, create, f"created object {foreign['id']!r} is not on the actor's origin")
        assert other.fetches == []  # not even fetched from its origin
    finally:
        await other.stop()
    assert await store.note(instance, foreign["id"]) is None


@pytest.mark.parametrize("path_owner", ["mallory", "alice"])
async def test_a_create_of_a_note_attributed_to_someone_else_is_dropped(instance, peer, alice, mallory, gemeente,
                                                                        inbox, path_owner):
    note_id = f"{peer.base}/users/{path_owner}/statuses/forged"
    note = peer.note(mallory, "<p>alice said this (she did not)</p>", to=[PUBLIC, gemeente.uri],
                     note_id=note_id, attributedTo=alice.uri)
    create = await send(peer, inbox, mallory, peer.create(mallory, note))
    await assert_dropped(instance, create, "created object is attributed to someone else")
    assert await store.note(instance, note_id) is None


# ---- Update ---------------------------------------------------------------------------------

@pytest.mark.parametrize("claimed_author", ["mallory", "alice"])
async def test_an_update_of_someone_elses_note_changes_nothing(instance, peer, alice, mallory, alices_note, inbox,
                                                               claimed_author):
    changed = dict(alices_note, content="<p>Gehackt</p>", attributedTo=peer.actors[claimed_author].uri)
    update = await send(peer, inbox, mallory, peer.activity("Update", mallory, changed))
    await assert_dropped(instance, update, "Update of someone else's object")
    stored = await store.note(instance, alices_note["id"])
    assert (stored.content, stored.updated_at) == ("<p>Origineel</p>", None)


async def test_an_update_of_ones_own_note_is_applied(instance, peer, alice, alices_note, inbox):
    update = await send(peer, inbox, alice, peer.activity("Update", alice, dict(alices_note, content="<p>Bijgewerkt</p>")))
    await assert_done(instance, update)
    assert (await store.note(instance, alices_note["id"])).content == "<p>Bijgewerkt</p>"


@pytest.mark.parametrize("embedded", [True, False], ids=["embedded profile", "by id"])
async def test_an_update_of_another_actor_on_the_same_server_changes_nothing(instance, peer, alice, mallory,
                                                                            alices_note, inbox, embedded):
    before = await store.actor(instance, alice.uri)
    alice.extra["name"] = "Renamed at her origin"  # a wrongful re-fetch of alice would show this
    profile = dict(alice.document(), name="Mallory was here", summary="<p>hacked</p>")
    update = await send(peer, inbox, mallory, peer.activity("Update", mallory, profile if embedded else alice.uri))
    await assert_dropped(instance, update, "Update of someone else's actor")
    after = await store.actor(instance, alice.uri)
    assert (after.display_name, after.summary, after.public_key_pem) == (before.display_name, before.summary,
                                                                           before.public_key_pem)


async def test_an_update_of_oneself_refreshes_the_profile_from_its_origin(instance, peer, alice, alices_note, inbox):
    alice.extra["name"] = "Alice at her origin"
    embedded = dict(alice.document(), name="Whatever the activity says")
    update = await send(peer, inbox, alice, peer.activity("Update", alice, embedded))
    await assert_done(instance, update)
    assert (await store.actor(instance, alice.uri)).display_name == "Alice at her origin"


# ---- Delete ---------------------------------------------------------------------------------

async def test_a_delete_of_someone_elses_note_changes_nothing(instance, peer, mallory, alices_note, inbox):
    delete = await send(peer, inbox, mallory, peer.activity("Delete", mallory, alices_note["id"]))
    await assert_dropped(instance, delete, "Delete of someone else's object")
    stored = await store.note(instance, alices_note["id"])
    assert (stored.deleted_at, stored.content) == (None, "<p>Origineel</p>")


async def test_a_delete_of_ones_own_note_tombstones_it(instance, peer, alice, alices_note, inbox):
    tombstone = {"id": alices_note["id"], "type": "Tombstone"}
    delete = await send(peer, inbox, alice, peer.activity("Delete", alice, tombstone))
    await assert_done(instance, delete)
    assert (await store.note(instance, alices_note["id"])).deleted_at is not None


@pytest.mark.parametrize("embedded", [True, False], ids=["embedded actor", "by id"])
async def test_a_delete_of_another_actor_on_the_same_server_changes_nothing(instance, peer, alice, mallory, gemeente,
                                                                           alices_note, inbox, embedded):
    follow = await send(peer, inbox, alice, peer.activity("Follow", alice, gemeente.uri))
    await assert_done(instance, follow)
    target = {"id": alice.uri, "type": "Tombstone"} if embedded else alice.uri
    delete = await send(peer, inbox, mallory, peer.activity("Delete", mallory, target))
    await assert_dropped(instance, delete, "Delete of someone else's actor")
    assert (await store.actor(instance, alice.uri)).deleted_at is None
    assert (await store.note(instance, alices_note["id"])).deleted_at is None
    assert await store.count(instance, store.Follow) == 1


async def test_a_delete_of_oneself_removes_the_actor_and_their_content(instance, peer, alice, gemeente, alices_note,
                                                                       inbox):
    follow = await send(peer, inbox, alice, peer.activity("Follow", alice, gemeente.uri))
    await assert_done(instance, follow)
    peer.serve("/users/alice", {"type": "Tombstone"}, status=410)
    delete = await send(peer, inbox, alice, peer.activity("Delete", alice, alice.uri))
    await assert_done(instance, delete)
    assert (await store.actor(instance, alice.uri)).deleted_at is not None
    assert (await store.note(instance, alices_note["id"])).deleted_at is not None
    assert await store.count(instance, store.Follow) == 0


@pytest.mark.parametrize("kind", ["Update", "Delete"])
async def test_an_update_or_delete_from_another_origin_changes_nothing(instance, peer, alices_note, inbox, kind):
    other = await RemotePeer().start()
    try:
        eve = other.add_actor("eve", key_index=3)
        target = dict(alices_note, content="<p>Gehackt</p>") if kind == "Update" else alices_note["id"]
        activity = await send(other, inbox, eve, other.activity(kind, eve, target))
        what = {"Update": "updated object", "Delete": "deleted object"}[kind]
        await assert_dropped(instance, activity, f"{what} {alices_note['id']!r} is not on the actor's origin")
    finally:
        await other.stop()
    stored = await store.note(instance, alices_note["id"])
    assert (stored.content, stored.deleted_at) == ("<p>Origineel</p>", None)


# ---- Undo -----------------------------------------------------------------------------------

@pytest.fixture
async def alices_like(instance, peer, alice, gemeente, inbox):
    """Alice likes a post of ours."""
    status, posted = await instance.request("POST", "/api/v1/statuses", token=await instance.token_for(gemeente),
                                            json={"status": "Een bericht van de gemeente"})
    assert status == 200, posted
    like = await send(peer, inbox, alice, peer.activity("Like", alice, posted["uri"]))
    await assert_done(instance, like)
    assert await store.count(instance, store.Interaction) == 1
    return like


@pytest.mark.parametrize("form, reason", [
    ("by id", "Undo of someone else's activity"),
    ("embedded as alice's", "Undo of someone else's activity"),
    ("embedded as mallory's", "Undo of someone else's activity"),
])
async def test_an_undo_of_someone_elses_like_changes_nothing(instance, peer, alice, mallory, alices_like, inbox,
                                                             form, reason):
    inner = {"by id": alices_like["id"], "embedded as alice's": alices_like,
             "embedded as mallory's": dict(alices_like, actor=mallory.uri)}[form]
    undo = await send(peer, inbox, mallory, peer.activity("Undo", mallory, inner))
    await assert_dropped(instance, undo, reason)
    assert await store.count(instance, store.Interaction) == 1


async def test_an_undo_of_ones_own_like_removes_it(instance, peer, alice, alices_like, inbox):
    undo = await send(peer, inbox, alice, peer.activity("Undo", alice, alices_like))
    await assert_done(instance, undo)
    assert await store.count(instance, store.Interaction) == 0


@pytest.mark.parametrize("form, reason", [
    ("embedded as alice's", "Undo of someone else's activity"),
    ("embedded as mallory's", "Undo of someone else's Follow"),
])
async def test_an_undo_of_someone_elses_follow_changes_nothing(instance, peer, alice, mallory, gemeente, inbox,
                                                               form, reason):
    # (The by-id form is in activities/test_follow.py.)
    follow = await send(peer, inbox, alice, peer.activity("Follow", alice, gemeente.uri))
    await assert_done(instance, follow)
    inner = follow if form == "embedded as alice's" else dict(follow, actor=mallory.uri)
    undo = await send(peer, inbox, mallory, peer.activity("Undo", mallory, inner))
    await assert_dropped(instance, undo, reason)
    assert await store.count(instance, store.Follow, store.Follow.state == "accepted") == 1


async def test_an_undo_of_an_activity_on_another_origin_changes_nothing(instance, peer, alice, alices_like, inbox):
    other = await RemotePeer().start()
    try:
        eve = other.add_actor("eve", key_index=3)
        undo = await send(other, inbox, eve, other.activity("Undo", eve, alices_like["id"]))
        await assert_dropped(instance, undo, f"undone activity {alices_like['id']!r} is not on the actor's origin")
    finally:
        await other.stop()
    assert await store.count(instance, store.Interaction) == 1
