"""Inbound Create(Note) answering one of our posts: a reply is kept and counted, whatever the
post (a poll too); only a Note with a `name` and no content, answering our poll, is a vote,
counted on the poll and never kept as a note."""

from __future__ import annotations

import pytest

from tests.support import store
from tests.support.peer import PUBLIC


@pytest.fixture
async def posted(instance):
    token = await instance.token_for(await instance.create_account("gemeente"))
    status, post = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Nieuw beleid"})
    assert status == 200
    status, poll = await instance.request("POST", "/api/v1/statuses", token=token, json={
        "status": "Welke dag?", "poll": {"options": ["dinsdag", "vrijdag"], "expires_in": 3600}})
    assert status == 200
    return token, post, poll


async def _deliver(instance, peer, actor, note) -> None:
    assert (await peer.post(f"{instance.base}/inbox", peer.create(actor, note), actor))[0] == 202
    await instance.settle()


async def _status(instance, token, status_id) -> dict:
    status, body = await instance.request("GET", f"/api/v1/statuses/{status_id}", token=token)
    assert status == 200
    return body


@pytest.mark.parametrize("answered", [1, 2], ids=["a post", "a poll"])
async def test_a_reply_to_one_of_our_posts_is_kept_and_counted(instance, peer, posted, answered):
    token, *ours = posted
    target = ours[answered - 1]
    alice = peer.add_actor("alice")
    reply = peer.note(alice, "<p>Goed plan</p>", to=[PUBLIC], cc=[alice.followers], inReplyTo=target["uri"])
    await _deliver(instance, peer, alice, reply)
    stored = await store.note(instance, reply["id"])
    assert stored is not None and stored.in_reply_to_uri == target["uri"]
    assert (await _status(instance, token, target["id"]))["replies_count"] == 1


async def test_a_vote_on_our_poll_is_counted_and_not_kept_as_a_note(instance, peer, posted):
    token, _, poll = posted
    alice = peer.add_actor("alice")
    vote = peer.note(alice, "", to=[poll["account"]["url"]], cc=[], inReplyTo=poll["uri"], name="vrijdag")
    vote.pop("content", None)
    await _deliver(instance, peer, alice, vote)
    assert await store.note(instance, vote["id"]) is None
    shown = await _status(instance, token, poll["id"])
    assert [o["votes_count"] for o in shown["poll"]["options"]] == [0, 1] and shown["replies_count"] == 0
