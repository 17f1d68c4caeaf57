"""Accept and Reject count only for a Follow we sent, and only from its target. Our follow is
made through the API (lookup over WebFinger, then follow), as a user would."""

from __future__ import annotations

import pytest

from tests.support import store
from tests.support.inbox import assert_done, assert_dropped


@pytest.fixture
async def bob(instance):
    return await instance.create_account("bob")


@pytest.fixture
async def our_follow(instance, peer, alice, bob) -> dict:
    """bob follows alice@peer through the API; the Follow we delivered to alice's inbox."""
    token = await instance.token_for(bob)
    status, account = await instance.request("GET", f"/api/v1/accounts/lookup?acct=alice@{peer.domain}", token=token)
    assert status == 200, account
    status, relationship = await instance.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=token)
    assert status == 200 and relationship["requested"], relationship
    await instance.settle()
    sent = peer.received_of_type("Follow")
    assert len(sent) == 1 and sent[0].verified, sent
    return sent[0].activity


async def follow_state(instance) -> str | None:
    follow = await store.one(instance, store.Follow)
    return follow.state if follow is not None else None


async def send(instance, peer, actor, activity) -> dict:
    status, payload = await peer.post(f"{instance.base}/inbox", activity, actor)
    assert status == 202, payload
    return activity


# ---- the rightful answers -------------------------------------------------------------------

@pytest.mark.parametrize("by_id", [True, False], ids=["by id", "embedded"])
async def test_an_accept_from_the_target_accepts_our_follow(instance, peer, alice, our_follow, by_id):
    accept = await send(instance, peer, alice, peer.activity("Accept", alice, our_follow["id"] if by_id else our_follow))
    await assert_done(instance, accept)
    assert await follow_state(instance) == "accepted"


async def test_an_accept_embedding_our_follow_under_another_id_still_counts(instance, peer, alice, our_follow):
    # Interop: some servers re-mint the Follow's id; (our follower, the answerer) identifies it.
    renamed = dict(our_follow, id=f"{alice.uri}#answered-follow")
    accept = await send(instance, peer, alice, peer.activity("Accept", alice, renamed))
    await assert_done(instance, accept)
    assert await follow_state(instance) == "accepted"


async def test_a_reject_from_the_target_removes_our_follow(instance, peer, alice, our_follow):
    reject = await send(instance, peer, alice, peer.activity("Reject", alice, our_follow))
    await assert_done(instance, reject)
    assert await follow_state(instance) is None


# ---- Accept ---------------------------------------------------------------------------------

async def test_an_accept_of_a_follow_id_we_never_sent_changes_nothing(instance, peer, alice, bob, our_follow):
    accept = await send(instance, peer, alice, peer.activity("Accept", alice, f"{bob.uri}#follows/never-sent"))
    await assert_dropped(instance, accept, "Accept of a Follow we never sent")
    assert await follow_state(instance) == "pending"


async def test_an_accept_of_an_embedded_follow_of_someone_else_changes_nothing(instance, peer, alice, mallory, bob,
                                                                                our_follow):
    # bob -> mallory was never sent; alice may not answer it to get bob -> alice accepted.
    forged = {"id": f"{bob.uri}#follows/never-sent", "type": "Follow", "actor": bob.uri, "object": mallory.uri}
    accept = await send(instance, peer, alice, peer.activity("Accept", alice, forged))
    await assert_dropped(instance, accept, "Accept of a Follow we never sent")
    assert await follow_state(instance) == "pending"


async def test_an_accept_of_a_follow_by_someone_we_do_not_host_changes_nothing(instance, peer, alice, mallory,
                                                                                 our_follow):
    theirs = {"id": f"{peer.base}/users/mallory#follows/1", "type": "Follow", "actor": mallory.uri, "object": alice.uri}
    accept = await send(instance, peer, alice, peer.activity("Accept", alice, theirs))
    await assert_dropped(instance, accept, "Accept of a Follow we never sent")
    assert await follow_state(instance) == "pending"


@pytest.mark.parametrize("form", ["by id", "embedded", "embedded without id"])
async def test_an_accept_from_someone_other_than_the_target_changes_nothing(instance, peer, mallory, our_follow, form):
    inner = {"by id": our_follow["id"], "embedded": our_follow,
             "embedded without id": {k: v for k, v in our_follow.items() if k != "id"}}[form]
    accept = await send(instance, peer, mallory, peer.activity("Accept", mallory, inner))
    reason = "Accept of a Follow we never sent" if form == "embedded without id" \
        else "Accept of a Follow from someone other than its target"
    await assert_dropped(instance, accept, reason)
    assert await follow_state(instance) == "pending"


async def test_an_accept_without_any_follow_of_ours_changes_nothing(instance, peer, alice, bob):
    accept = await send(instance, peer, alice, peer.activity("Accept", alice, {"type": "Follow", "actor": bob.uri,
                                                                               "object": alice.uri}))
    await assert_dropped(instance, accept, "Accept of a Follow we never sent")
    assert await follow_state(instance) is None


# ---- Reject ---------------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["by id", "embedded"])
async def test_a_reject_from_someone_other_than_the_target_changes_nothing(instance, peer, mallory, our_follow, form):
    inner = our_follow["id"] if form == "by id" else our_follow
    reject = await send(instance, peer, mallory, peer.activity("Reject", mallory, inner))
    await assert_dropped(instance, reject, "Reject of a Follow from someone other than its target")
    assert await follow_state(instance) == "pending"



async def test_a_post_right_behind_the_accept_in_the_same_batch_is_kept(instance, peer, alice, our_follow):
    """The inbox worker prefetches who our accounts follow for a whole batch; an Accept inside
    the batch must not leave a stale answer for the post that follows it."""
    await send(instance, peer, alice, peer.activity("Accept", alice, our_follow))
    note = peer.note(alice, "<p>Welkom, bob!</p>")
    await send(instance, peer, alice, peer.create(alice, note))
    await instance.settle()  # both are claimed and handled in one batch
    assert await follow_state(instance) == "accepted"
    assert await store.one(instance, store.Object, store.Object.uri == note["id"]) is not None


async def test_a_post_from_someone_nobody_here_follows_is_not_kept(instance, peer, alice, mallory, our_follow):
    await send(instance, peer, alice, peer.activity("Accept", alice, our_follow))
    await instance.settle()
    stranger_note = peer.note(mallory, "<p>Reclame</p>")
    followed_note = peer.note(alice, "<p>Nieuws</p>")
    await send(instance, peer, mallory, peer.create(mallory, stranger_note))
    await send(instance, peer, alice, peer.create(alice, followed_note))
    await instance.settle()
    assert await store.one(instance, store.Object, store.Object.uri == stranger_note["id"]) is None
    assert await store.one(instance, store.Object, store.Object.uri == followed_note["id"]) is not None
