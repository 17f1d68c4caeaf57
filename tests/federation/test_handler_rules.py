"""What each inbound handler checks before it changes anything, with the exact reason an
operator reads in the log and on the dropped row; and the forms real servers send that must
still work (objects by reference, lists where one value is usual, Follows re-sent under new ids)."""

from __future__ import annotations

import logging

import pytest

from tests.support import store
from tests.support.inbox import assert_done, assert_dropped
from tests.support.peer import PUBLIC


@pytest.fixture
def inbox(instance, gemeente):
    return f"{instance.base}/inbox"


async def send(peer, inbox, actor, activity) -> dict:
    status, payload = await peer.post(inbox, activity, actor)
    assert status == 202, payload
    return activity


# ---- activities without an object ---------------------------------------------------------------

@pytest.mark.parametrize("kind, reason", [
    ("Update", "Update without an object"),
    ("Delete", "Delete without an object"),
    ("Undo", "Undo without an object"),
    ("Like", "Like without an object"),
    ("Announce", "Announce without an object"),
    ("Create", "created object None is not on the actor's origin"),
    ("Follow", "Follow of an account that is not ours"),
])
async def test_an_activity_without_an_object_is_dropped_with_its_reason(instance, peer, alice, inbox, kind, reason, caplog):
    caplog.set_level(logging.INFO, logger="pubhub.federation")
    activity = peer.activity(kind, alice, None)
    del activity["object"]
    await send(peer, inbox, alice, activity)
    await assert_dropped(instance, activity, reason)
    assert peer.received == []
    # The README promises the operator this line: what was dropped, by whom, and why.
    assert f"inbox activity dropped id={activity['id']} type={kind} actor={alice.uri} reason={reason}" in \
        [record.getMessage() for record in caplog.records]


# ---- Create -------------------------------------------------------------------------------------

async def test_a_note_sent_by_reference_is_fetched_from_its_origin_with_a_signed_get(instance, peer, alice, gemeente, inbox):
    note = peer.note(alice, "<p>Per verwijzing</p>", to=[PUBLIC, gemeente.uri])
    path = note["id"].removeprefix(peer.base)
    peer.serve(path, note)
    create = await send(peer, inbox, alice, peer.activity("Create", alice, note["id"], to=note["to"], cc=note["cc"]))
    await assert_done(instance, create)
    assert (await store.note(instance, note["id"])).content == "<p>Per verwijzing</p>"
    signature = peer.fetch_headers[path].get("Signature", "")
    assert f'keyId="{instance.base}/actor#main-key"' in signature  # authorized fetch, as our instance actor


async def test_a_note_by_reference_whose_document_has_another_id_is_dropped(instance, peer, alice, gemeente, inbox):
    note = peer.note(alice, "<p>Verwisseld</p>", to=[PUBLIC, gemeente.uri])
    url = peer.serve("/users/alice/statuses/elsewhere", note)  # served at one URL, claims another id
    create = await send(peer, inbox, alice, peer.activity("Create", alice, url, to=note["to"], cc=note["cc"]))
    await assert_dropped(instance, create, f"document id {note['id']!r} is not the URL it was fetched from ({url})")
    assert await store.count(instance, store.Object, store.Object.local.is_(False)) == 0


async def test_a_created_object_that_is_not_a_note_is_not_kept(instance, peer, alice, gemeente, inbox):
    event = dict(peer.note(alice, "<p>Buurtfeest</p>", to=[PUBLIC, gemeente.uri]), type="Event")
    create = await send(peer, inbox, alice, peer.create(alice, event))
    await assert_done(instance, create)
    assert await store.count(instance, store.Object, store.Object.local.is_(False)) == 0


@pytest.mark.parametrize("authors, kept", [(["alice", "mallory"], True), (["mallory", "alice"], False), ([], False)])
async def test_attributed_to_as_a_list_counts_its_first_author(instance, peer, alice, gemeente, inbox, authors, kept):
    note = peer.note(alice, "<p>Samen geschreven</p>", to=[PUBLIC, gemeente.uri],
                     attributedTo=[f"{peer.base}/users/{name}" for name in authors])
    create = await send(peer, inbox, alice, peer.create(alice, note))
    if kept:
        await assert_done(instance, create)
        assert await store.note(instance, note["id"]) is not None
    else:
        await assert_dropped(instance, create, "created object is attributed to someone else")
        assert await store.note(instance, note["id"]) is None


async def test_addressing_given_as_a_single_string_is_understood(instance, peer, alice, gemeente, inbox):
    note = peer.note(alice, "<p>Alleen aan de gemeente</p>", to=gemeente.uri, cc=PUBLIC)
    create = await send(peer, inbox, alice, peer.create(alice, note))
    await assert_done(instance, create)
    stored = await store.note(instance, note["id"])
    assert (stored.to, stored.cc, stored.visibility) == ([gemeente.uri], [PUBLIC], "unlisted")


# ---- Update -------------------------------------------------------------------------------------

@pytest.fixture
async def alices_note(instance, peer, alice, gemeente, inbox):
    note = peer.note(alice, "<p>Origineel</p>", to=[PUBLIC, gemeente.uri])
    await assert_done(instance, await send(peer, inbox, alice, peer.create(alice, note)))
    return note


async def test_an_update_of_a_note_by_reference_only_is_dropped(instance, peer, alice, alices_note, inbox):
    update = await send(peer, inbox, alice, peer.activity("Update", alice, alices_note["id"]))
    await assert_dropped(instance, update, "Update of a note without the note")
    assert (await store.note(instance, alices_note["id"])).content == "<p>Origineel</p>"


async def test_an_update_that_reattributes_a_note_is_dropped(instance, peer, alice, mallory, alices_note, inbox):
    changed = dict(alices_note, content="<p>Van mallory</p>", attributedTo=mallory.uri)
    update = await send(peer, inbox, alice, peer.activity("Update", alice, changed))
    await assert_dropped(instance, update, "updated object is attributed to someone else")
    assert (await store.note(instance, alices_note["id"])).content == "<p>Origineel</p>"


async def test_an_update_embedding_an_actor_profile_that_is_not_the_senders_is_dropped(instance, peer, alice, mallory, inbox):
    # An actor document under an id of mallory's own origin, but not mallory herself.
    profile = dict(alice.document(), id=f"{mallory.uri}/other-profile")
    update = await send(peer, inbox, mallory, peer.activity("Update", mallory, profile))
    await assert_dropped(instance, update, "Update of someone else's actor")


# ---- Undo of a Follow re-sent under another id --------------------------------------------------

async def test_an_undo_of_a_follow_resent_under_a_new_id_removes_the_follow(instance, peer, alice, gemeente, inbox):
    await assert_done(instance, await send(peer, inbox, alice, peer.activity("Follow", alice, gemeente.uri)))
    resent = peer.activity("Follow", alice, gemeente.uri)  # the id we never stored
    undo = await send(peer, inbox, alice, peer.activity("Undo", alice, resent))
    await assert_done(instance, undo)
    assert await store.count(instance, store.Follow) == 0


async def test_an_undo_by_id_of_a_follow_we_do_not_know_changes_nothing(instance, peer, alice, gemeente, inbox):
    await assert_done(instance, await send(peer, inbox, alice, peer.activity("Follow", alice, gemeente.uri)))
    undo = await send(peer, inbox, alice, peer.activity("Undo", alice, f"{alice.uri}#follows/unknown"))
    await assert_done(instance, undo)
    assert await store.count(instance, store.Follow) == 1
