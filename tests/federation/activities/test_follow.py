"""Inbound Follow and Undo(Follow)."""

from __future__ import annotations

from tests.support import store


async def _followers_total(instance, username: str) -> int:
    status, body = await instance.get_ap(f"/users/{username}/followers")
    assert status == 200
    return body["totalItems"]


async def test_follow_is_accepted_and_answered_with_a_signed_accept(instance, peer):
    await instance.create_account("gemeente")
    alice = peer.add_actor("alice")
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")

    status, _ = await peer.post(f"{instance.base}/users/gemeente/inbox", follow, alice)
    assert status == 202
    await instance.settle()

    assert await _followers_total(instance, "gemeente") == 1
    accepts = peer.received_of_type("Accept")
    assert len(accepts) == 1
    assert accepts[0].verified, accepts[0].reason
    assert accepts[0].path == "/users/alice/inbox"
    assert accepts[0].activity["object"]["id"] == follow["id"]
    assert accepts[0].activity["actor"] == f"{instance.base}/users/gemeente"


async def test_follow_of_a_locked_account_waits_for_approval(instance, peer):
    await instance.create_account("wethouder", manually_approves=True)
    alice = peer.add_actor("alice")
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, f"{instance.base}/users/wethouder"), alice)
    assert status == 202
    await instance.settle()
    assert await _followers_total(instance, "wethouder") == 0
    assert peer.received_of_type("Accept") == []
    # Not dropped: the request waits for the account's approval.
    [request] = await store.follows(instance)
    assert (request.state, request.follower_uri, request.target_uri) == ("pending", alice.uri, f"{instance.base}/users/wethouder")


async def test_undo_follow_removes_the_follower(instance, peer):
    await instance.create_account("gemeente")
    alice = peer.add_actor("alice")
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    await peer.post(f"{instance.base}/inbox", follow, alice)
    await instance.settle()
    assert await _followers_total(instance, "gemeente") == 1

    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Undo", alice, follow), alice)
    assert status == 202
    await instance.settle()
    assert await _followers_total(instance, "gemeente") == 0


async def test_undo_of_someone_elses_follow_changes_nothing(instance, peer):
    await instance.create_account("gemeente")
    alice, mallory = peer.add_actor("alice"), peer.add_actor("mallory")
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    await peer.post(f"{instance.base}/inbox", follow, alice)
    await instance.settle()

    # Mallory (same server, her own valid signature) tries to undo Alice's follow by its id.
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Undo", mallory, follow["id"]), mallory)
    assert status == 202
    await instance.settle()
    assert await _followers_total(instance, "gemeente") == 1


async def test_replayed_follow_is_stored_once(instance, peer):
    await instance.create_account("gemeente")
    alice = peer.add_actor("alice")
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    for _ in range(3):
        status, _ = await peer.post(f"{instance.base}/inbox", follow, alice)
        assert status == 202
    await instance.settle()
    assert len(peer.received_of_type("Accept")) == 1
    assert await _followers_total(instance, "gemeente") == 1
