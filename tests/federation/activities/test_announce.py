"""Inbound Like and Announce of our notes: counted once per actor, undone only by their actor."""

from __future__ import annotations

import pytest


@pytest.fixture
async def posted(instance):
    token = await instance.token_for(await instance.create_account("gemeente"))
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Nieuw beleid"})
    assert status == 200
    return token, body


async def _counts(instance, token, status_id) -> tuple[int, int]:
    status, body = await instance.request("GET", f"/api/v1/statuses/{status_id}", token=token)
    assert status == 200
    return body["reblogs_count"], body["favourites_count"]


@pytest.mark.parametrize("kind, position", [("Announce", 0), ("Like", 1)])
async def test_a_reaction_is_counted_once_and_undone_by_its_actor_only(instance, peer, posted, kind, position):
    token, note = posted
    alice, mallory = peer.add_actor("alice"), peer.add_actor("mallory")
    reaction = peer.activity(kind, alice, note["uri"])
    for activity in (reaction, peer.activity(kind, alice, note["uri"])):  # the second: a new id, same reaction
        assert (await peer.post(f"{instance.base}/inbox", activity, alice))[0] == 202
    await instance.settle()
    assert (await _counts(instance, token, note["id"]))[position] == 1
    assert (await _counts(instance, token, note["id"]))[1 - position] == 0

    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Undo", mallory, reaction["id"]), mallory))[0] == 202
    await instance.settle()
    assert (await _counts(instance, token, note["id"]))[position] == 1  # not hers to undo

    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Undo", alice, reaction), alice))[0] == 202
    await instance.settle()
    assert (await _counts(instance, token, note["id"]))[position] == 0


async def test_a_boost_of_a_note_we_do_not_know_is_ignored(instance, peer, posted):
    alice = peer.add_actor("alice")
    activity = peer.activity("Announce", alice, f"{peer.base}/users/bob/statuses/1")
    assert (await peer.post(f"{instance.base}/inbox", activity, alice))[0] == 202
    await instance.settle()
    assert peer.fetches.count("/users/bob/statuses/1") == 0
