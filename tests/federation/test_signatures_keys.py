"""Whose key signed: a key counts only when the actor's own document lists it (a key document
that merely names an owner proves nothing), and a rotated key is picked up with exactly one
re-fetch, at a bounded rate per origin.

From Fedify's packages/fedify/src/sig/owner.test.ts (a key at its own URL with an `owner`, a
key without one, a keyId that is not a key) and http.test.ts (a wrong key in the cache is
re-fetched once and the request then verifies)."""

from __future__ import annotations

import asyncio

import pytest

from pubhub.activitypub.actors import KEY_REFRESHES_PER_MINUTE
from tests.support import store
from tests.support.inbox import assert_refused
from tests.support.keys import key_pair

SECURITY = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]


@pytest.fixture
async def inbox(instance):
    await instance.create_account("gemeente")
    return f"{instance.base}/users/gemeente/inbox"


def follow_of(peer, actor, instance) -> dict:
    return peer.activity("Follow", actor, f"{instance.base}/users/gemeente")


def key_document(key_id: str, owner: str | None, pem: str, kind: str = "Key") -> dict:
    document = {"@context": SECURITY, "id": key_id, "type": kind, "publicKeyPem": pem}
    if owner is not None:
        document["owner"] = owner
    return document


def alice_fetches(peer) -> int:
    return peer.fetches.count("/users/alice")


# ---- key documents --------------------------------------------------------------------------

async def test_a_key_at_its_own_url_that_the_owner_lists_is_accepted(instance, peer, alice, inbox):
    key_id = f"{peer.base}/keys/alice"
    peer.serve("/keys/alice", key_document(key_id, alice.uri, alice.public_pem))
    alice.extra["publicKey"] = {"id": key_id, "owner": alice.uri, "publicKeyPem": alice.public_pem}
    status, payload = await peer.post(inbox, follow_of(peer, alice, instance), alice, key_id=key_id)
    assert status == 202, payload
    await instance.settle()
    assert await store.count(instance, store.Follow) == 1


async def test_a_key_document_claiming_an_owner_who_does_not_list_it_is_refused(instance, peer, alice, inbox):
    # Mallory can put a file on alice's server that names alice as its owner; alice's own
    # document still lists only her main key, so the claim proves nothing.
    mallory_key, mallory_pem = key_pair(2)
    peer.serve("/files/key.json", key_document(f"{peer.base}/files/key.json", alice.uri, mallory_pem))
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice,
                             key=mallory_key, key_id=f"{peer.base}/files/key.json")
    await assert_refused(instance, peer, result, "does not list key")


async def test_the_pem_of_a_key_document_is_never_trusted_over_the_owners_listing(instance, peer, alice, inbox):
    # Alice lists /keys/alice with her PEM; the key document itself carries mallory's PEM.
    key_id = f"{peer.base}/keys/alice"
    mallory_key, mallory_pem = key_pair(2)
    peer.serve("/keys/alice", key_document(key_id, alice.uri, mallory_pem))
    alice.extra["publicKey"] = {"id": key_id, "owner": alice.uri, "publicKeyPem": alice.public_pem}
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, key=mallory_key, key_id=key_id)
    await assert_refused(instance, peer, result, "does not verify")


@pytest.mark.parametrize("owner, kind", [(None, "Key"), (None, "Note"), ("https://elsewhere.example/users/alice", "Key")],
                         ids=["no owner", "not a key", "owner on another origin"])
async def test_a_key_document_without_an_owner_on_its_origin_is_refused(instance, peer, alice, inbox, owner, kind):
    key_id = f"{peer.base}/keys/alice"
    peer.serve("/keys/alice", key_document(key_id, owner, alice.public_pem, kind))
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, key_id=key_id)
    await assert_refused(instance, peer, result, "has no owner on its own origin")


async def test_a_key_id_that_the_actor_document_does_not_list_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, key_id=alice.uri + "#other-key")
    await assert_refused(instance, peer, result, "does not list key")


async def test_an_actor_document_served_under_another_url_does_not_vouch_for_a_key_there(instance, peer, alice, inbox):
    peer.serve("/aliases/alice", alice.document())
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, key_id=f"{peer.base}/aliases/alice#main-key")
    await assert_refused(instance, peer, result, "does not list key")


# ---- rotation -------------------------------------------------------------------------------

async def test_a_rotated_key_is_accepted_after_exactly_one_refetch(instance, peer, alice, inbox):
    follow = follow_of(peer, alice, instance)
    assert (await peer.post(inbox, follow, alice))[0] == 202
    await instance.settle()
    assert alice_fetches(peer) == 1  # our copy of alice's key 1 is now cached

    alice.key, alice.public_pem = key_pair(3)  # alice rotates her key at her server
    status, payload = await peer.post(inbox, peer.activity("Undo", alice, follow), alice)
    assert status == 202, payload
    assert alice_fetches(peer) == 2

    await instance.settle()
    assert await store.count(instance, store.Follow) == 0
    assert (await store.actor(instance, alice.uri)).public_key_pem == key_pair(3)[1]

    # The new key is cached now: the next activity needs no fetch at all.
    assert (await peer.post(inbox, follow_of(peer, alice, instance), alice))[0] == 202
    assert alice_fetches(peer) == 2


async def test_the_old_key_is_refused_after_rotation(instance, peer, alice, inbox):
    old_key = alice.key
    assert (await peer.post(inbox, follow_of(peer, alice, instance), alice))[0] == 202
    await instance.settle()
    alice.key, alice.public_pem = key_pair(3)
    assert (await peer.post(inbox, peer.activity("Like", alice, f"{peer.base}/notes/1"), alice))[0] == 202

    status, payload = await peer.post(inbox, peer.activity("Like", alice, f"{peer.base}/notes/2"), alice, key=old_key)
    assert status == 401
    assert "does not verify" in payload["error"]
    assert await store.count(instance, store.InboxActivity) == 2


async def test_forged_signatures_refetch_the_key_at_a_bounded_rate(instance, peer, alice, inbox):
    assert (await peer.post(inbox, follow_of(peer, alice, instance), alice))[0] == 202
    forger = key_pair(2)[0]
    for _ in range(KEY_REFRESHES_PER_MINUTE + 5):
        status, _ = await peer.post(inbox, peer.activity("Like", alice, f"{peer.base}/notes/1"), alice, key=forger)
        assert status == 401
    assert alice_fetches(peer) == 1 + KEY_REFRESHES_PER_MINUTE
    assert await store.count(instance, store.InboxActivity) == 1


async def test_one_origins_forgeries_do_not_use_up_another_origins_re_fetches(instance, peer, other_peer, alice, inbox):
    bob = other_peer.add_actor("bob", key_index=4)
    for sender, server in ((alice, peer), (bob, other_peer)):
        assert (await server.post(inbox, follow_of(server, sender, instance), sender))[0] == 202
    forger = key_pair(2)[0]
    for _ in range(KEY_REFRESHES_PER_MINUTE):  # alice's origin has used its re-fetches for this minute
        assert (await peer.post(inbox, peer.activity("Like", alice, f"{peer.base}/notes/1"), alice, key=forger))[0] == 401
    bob.key, bob.public_pem = key_pair(5)  # bob rotates his key: verifying it needs a re-fetch
    status, payload = await other_peer.post(inbox, other_peer.activity("Like", bob, f"{other_peer.base}/notes/1"), bob)
    assert status == 202, payload


# ---- in-flight fetches are shared -----------------------------------------------------------

async def test_concurrent_first_activities_from_a_new_actor_fetch_its_document_once(instance, peer, alice, inbox):
    peer.actor_delay = 0.1  # the first requests really overlap the fetch
    likes = [peer.activity("Like", alice, f"{peer.base}/notes/{n}") for n in range(5)]
    results = await asyncio.gather(*(peer.post(inbox, like, alice) for like in likes))
    assert [status for status, _ in results] == [202] * 5
    assert alice_fetches(peer) == 1


async def test_the_key_path_and_the_actor_path_share_one_fetch(instance, peer, alice):
    peer.actor_delay = 0.1
    actors = instance.runtime.actors
    key, actor = await asyncio.gather(actors.key(alice.key_id), actors.get(alice.uri))
    assert key[0].owner == actor.uri == alice.uri
    assert alice_fetches(peer) == 1


async def test_a_key_that_fails_and_cannot_be_re_fetched_is_refused_with_both_reasons(instance, peer, alice, inbox):
    assert (await peer.post(inbox, follow_of(peer, alice, instance), alice))[0] == 202
    del peer.actors["alice"]  # her server no longer answers for her
    status, payload = await peer.post(inbox, peer.activity("Like", alice, f"{peer.base}/notes/1"), alice,
                                      key=key_pair(2)[0])
    assert status == 401
    assert payload["error"].startswith("signature does not verify, and the key could not be re-fetched: "), payload
    assert "404" in payload["error"], payload
