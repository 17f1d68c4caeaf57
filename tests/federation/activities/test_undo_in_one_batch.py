"""Undos applied in the same batch as what they take back: the inbox worker applies a server's
activities together (one transaction, lookups read for the whole batch), and each Undo must
still see exactly what came before it in arrival order."""

from __future__ import annotations

import pytest

from tests.support import store


@pytest.fixture
async def gemeente(instance):
    return await instance.create_account("gemeente")


async def _send_all(instance, peer, *pairs) -> None:
    """POST each (activity, signer) without applying in between, then apply them together."""
    for activity, signer in pairs:
        assert (await peer.post(f"{instance.base}/inbox", activity, signer))[0] == 202
    await instance.settle()


async def _followers(instance) -> list[tuple[str, str]]:
    """(follower URI, the Follow's id) of every follow stored."""
    rows = []
    for follow in await store.all_of(instance, store.Follow):
        follower = await store.one(instance, store.Actor, store.Actor.id == follow.follower_id)
        rows.append((follower.uri, follow.activity_uri))
    return rows


async def test_follow_undo_follow_leaves_the_second_follow(instance, peer, gemeente):
    alice = peer.add_actor("alice")
    account = f"{instance.base}/users/gemeente"
    first, second = peer.activity("Follow", alice, account), peer.activity("Follow", alice, account)
    await _send_all(instance, peer, (first, alice), (peer.activity("Undo", alice, first), alice), (second, alice))
    assert await _followers(instance) == [(alice.uri, second["id"])]
    answered = sorted(accept.activity["object"]["id"] for accept in peer.received_of_type("Accept"))
    assert answered == sorted([first["id"], second["id"]])  # each Follow answered (delivered in any order)


async def test_follow_then_undo_leaves_nobody(instance, peer, gemeente):
    alice = peer.add_actor("alice")
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    await _send_all(instance, peer, (follow, alice), (peer.activity("Undo", alice, follow["id"]), alice))
    assert await _followers(instance) == []


async def test_undo_and_follow_again_of_a_stored_follow(instance, peer, gemeente):
    alice = peer.add_actor("alice")
    account = f"{instance.base}/users/gemeente"
    first = peer.activity("Follow", alice, account)
    await _send_all(instance, peer, (first, alice))
    again = peer.activity("Follow", alice, account)
    await _send_all(instance, peer, (peer.activity("Undo", alice, first), alice), (again, alice))
    assert await _followers(instance) == [(alice.uri, again["id"])]


async def test_undo_of_a_follow_resent_under_a_new_id_in_the_batch(instance, peer, gemeente):
    """A server that re-sends its Follow under a new id undoes that id: the stored follow has it."""
    alice = peer.add_actor("alice")
    account = f"{instance.base}/users/gemeente"
    first = peer.activity("Follow", alice, account)
    await _send_all(instance, peer, (first, alice))
    resent = peer.activity("Follow", alice, account)
    await _send_all(instance, peer, (resent, alice), (peer.activity("Undo", alice, resent["id"]), alice))
    assert await _followers(instance) == []


async def test_someone_elses_undo_in_the_same_batch_changes_nothing(instance, peer, gemeente):
    alice, mallory = peer.add_actor("alice"), peer.add_actor("mallory")
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    await _send_all(instance, peer, (follow, alice), (peer.activity("Undo", mallory, follow["id"]), mallory))
    assert await _followers(instance) == [(alice.uri, follow["id"])]
    [dropped] = [row for row in await store.inbox_activities(instance) if row.type == "Undo"]
    assert (dropped.state, dropped.error) == ("dropped", "Undo of someone else's Follow")


@pytest.mark.parametrize("kind", ["Like", "Announce"])
async def test_a_reaction_undone_and_made_again_in_one_batch_counts_once(instance, peer, gemeente, kind):
    token = await instance.token_for(gemeente)
    status, note = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Nieuw beleid"})
    assert status == 200
    alice, mallory = peer.add_actor("alice"), peer.add_actor("mallory")
    first, second = peer.activity(kind, alice, note["uri"]), peer.activity(kind, alice, note["uri"])
    undo_first = peer.activity("Undo", alice, first)
    await _send_all(instance, peer, (first, alice), (peer.activity("Undo", mallory, first["id"]), mallory),
                    (undo_first, alice), (second, alice))
    reactions = await store.count(instance, store.Interaction)
    kept = await store.one(instance, store.Interaction)
    assert (reactions, kept.activity_uri) == (1, second["id"])

    await _send_all(instance, peer, (peer.activity("Undo", alice, second["id"]), alice))
    assert await store.count(instance, store.Interaction) == 0


async def test_a_follow_undone_twice_in_one_batch_is_removed_once(instance, peer, gemeente):
    """Two Undos (two ids) of one stored Follow: the second finds nothing left to take back."""
    alice = peer.add_actor("alice")
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    await _send_all(instance, peer, (follow, alice))
    undos = [peer.activity("Undo", alice, follow["id"]) for _ in range(2)]
    await _send_all(instance, peer, *[(undo, alice) for undo in undos])
    assert await _followers(instance) == []
    states = [(row.state, row.error) for row in await store.inbox_activities(instance) if row.type == "Undo"]
    assert states == [("done", None), ("done", None)]
