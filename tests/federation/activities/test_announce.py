"""Inbound Like and Announce of our notes: counted once per actor, undone only by their actor. A
boost of a note we do not have is fetched from the note's own server only when someone here
follows the booster, and kept only if public or unlisted."""

from __future__ import annotations

import pytest

from tests.api.test_timelines_boosts import follow_remote
from tests.support import store
from tests.support.peer import RemotePeer


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


async def test_a_followed_accounts_boost_of_a_note_we_do_not_have_fetches_it_from_its_server(instance, peer):
    alice, carol = peer.add_actor("alice"), peer.add_actor("carol")
    reader = await instance.create_account("anna")
    token = await instance.token_for(reader)
    await follow_remote(instance, peer, alice, token)
    note = peer.note(carol, "<p>Van carol</p>")
    peer.serve(note["id"].removeprefix(peer.base), note)
    announce = peer.activity("Announce", alice, note["id"])
    assert (await peer.post(f"{instance.base}/inbox", announce, alice))[0] == 202
    await instance.settle()

    status, home = await instance.request("GET", "/api/v1/timelines/home", token=token)
    assert status == 200 and [(s["uri"], s["reblog"]["uri"]) for s in home] == [(announce["id"], note["id"])]
    assert home[0]["reblog"]["account"]["acct"] == f"carol@{peer.domain}"
    assert home[0]["reblog"]["content"] == "<p>Van carol</p>" and home[0]["reblog"]["reblogs_count"] == 1


async def test_a_followed_accounts_boost_of_a_followers_only_note_keeps_nothing(instance, peer):
    alice, carol = peer.add_actor("alice"), peer.add_actor("carol")
    token = await instance.token_for(await instance.create_account("anna"))
    await follow_remote(instance, peer, alice, token)
    private = peer.note(carol, "<p>Voor volgers</p>", to=[carol.followers], cc=[])
    peer.serve(private["id"].removeprefix(peer.base), private)
    announce = peer.activity("Announce", alice, private["id"])
    assert (await peer.post(f"{instance.base}/inbox", announce, alice))[0] == 202
    await instance.settle()

    assert private["id"].removeprefix(peer.base) in peer.fetches  # fetched, by the instance actor
    assert await store.note(instance, private["id"]) is None  # and not kept: it stays with its audience
    assert (await instance.request("GET", "/api/v1/timelines/home", token=token))[1] == []


async def test_a_boost_of_a_note_on_a_blocked_server_fetches_nothing_from_it(instance, peer):
    blocked = await RemotePeer(host="127.0.0.2").start()
    try:
        alice, carol = peer.add_actor("alice"), blocked.add_actor("carol")
        token = await instance.token_for(await instance.create_account("anna"))
        admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:write")
        status, body = await instance.request("POST", "/api/v1/admin/domain_blocks", token=admin,
                                              json={"domain": blocked.host, "severity": "suspend"})
        assert status == 200, body
        await follow_remote(instance, peer, alice, token)
        note = blocked.note(carol, "<p>Van een geblokkeerde server</p>")
        blocked.serve(note["id"].removeprefix(blocked.base), note)
        assert (await peer.post(f"{instance.base}/inbox", peer.activity("Announce", alice, note["id"]), alice))[0] == 202
        await instance.settle()
        assert blocked.fetches == [] and await store.note(instance, note["id"]) is None
        assert (await instance.request("GET", "/api/v1/timelines/home", token=token))[1] == []
    finally:
        await blocked.stop()
