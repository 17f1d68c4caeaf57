"""How long a key is trusted, and how often an unknown one is fetched.

A key counts only while the latest document we fetched of its owner lists it: after an actor
rotates to a new key id, the old key stops verifying as soon as we have re-fetched the actor
(a request under the new key id, a failed verification, or an `Update` of the actor), and in
other processes sharing the database once their copy is KEY_TTL old. An unknown key id is
fetched once per FAILURE_TTL, not on every request, and an origin whose keys keep failing is
left alone for a minute (keys we already know keep verifying).

The attacks from the review: a request signed with the retired key under the old keyId was
accepted for up to an hour (an Undo of a Follow took effect); ten requests under an unknown
keyId made ten fetches."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pubhub.activitypub.key_cache import FAILURE_TTL, KEY_FAILURES_PER_MINUTE, KEY_TTL, KeyCache
from pubhub.clock import ManualClock
from tests.support import store
from tests.support.instance import Instance
from tests.support.keys import key_pair


@pytest.fixture
def inbox(instance, gemeente):
    return f"{instance.base}/users/gemeente/inbox"


def follow_of(peer, actor, instance) -> dict:
    return peer.activity("Follow", actor, f"{instance.base}/users/gemeente")


def like(peer, actor, n: int = 1) -> dict:
    return peer.activity("Like", actor, f"{peer.base}/notes/{n}")


def rotate(actor) -> tuple[object, str]:
    """The actor's server replaces its key by another under a new key id; the retired
    (private key, key id), which an attacker may still hold."""
    retired = actor.key, actor.key_id
    actor.key, actor.public_pem = key_pair(3)
    actor.key_id = actor.uri + "#key-2"
    return retired


async def followed(instance, peer, alice, inbox) -> dict:
    follow = follow_of(peer, alice, instance)
    assert (await peer.post(inbox, follow, alice))[0] == 202
    await instance.settle()
    assert await store.count(instance, store.Follow) == 1
    return follow


async def assert_undo_refused(instance, peer, alice, inbox, follow, retired) -> None:
    """An Undo of the Follow signed with the retired key is refused and changes nothing."""
    old_key, old_key_id = retired
    status, payload = await peer.post(inbox, peer.activity("Undo", alice, follow), alice, key=old_key, key_id=old_key_id)
    assert status == 401, payload
    assert f"does not list key {old_key_id}" in payload["error"]
    await instance.settle()
    assert await store.count(instance, store.Follow) == 1


def alice_fetches(peer) -> int:
    return peer.fetches.count("/users/alice")


# ---- retired keys ---------------------------------------------------------------------------

async def test_a_retired_key_stops_verifying_once_the_new_key_id_made_us_refetch_the_actor(instance, peer, alice, inbox):
    follow = await followed(instance, peer, alice, inbox)
    retired = rotate(alice)
    assert (await peer.post(inbox, like(peer, alice), alice))[0] == 202  # under #key-2: alice fetched again
    assert alice_fetches(peer) == 2
    await assert_undo_refused(instance, peer, alice, inbox, follow, retired)


async def test_an_update_of_the_actor_retires_the_keys_its_document_no_longer_lists(instance, peer, alice, inbox):
    follow = await followed(instance, peer, alice, inbox)
    old_key, old_key_id = retired = rotate(alice)
    # Sent before the rotation reached us, so signed with the key we still know; applying it
    # fetches alice's document from her server.
    update = peer.activity("Update", alice, alice.document())
    assert (await peer.post(inbox, update, alice, key=old_key, key_id=old_key_id))[0] == 202
    await instance.settle()
    assert (await store.actor(instance, alice.uri)).public_key_id == alice.key_id
    await assert_undo_refused(instance, peer, alice, inbox, follow, retired)


async def test_a_refetch_after_a_failed_verification_retires_a_key_the_actor_no_longer_lists(instance, peer, alice, inbox):
    follow = await followed(instance, peer, alice, inbox)
    old_key, old_key_id = retired = rotate(alice)  # alice sends nothing under her new key yet
    status, payload = await peer.post(inbox, like(peer, alice), alice, key=key_pair(2)[0], key_id=old_key_id)
    assert (status, alice_fetches(peer)) == (401, 2), payload  # the cached key failed: alice fetched again
    await assert_undo_refused(instance, peer, alice, inbox, follow, retired)


async def test_a_key_retired_by_another_process_stops_verifying_here_within_the_key_ttl(instance, peer, alice, inbox,
                                                                                          database_url, clock):
    other = await Instance(database_url, clock=clock).start()  # a second web process, same database
    try:
        follow = await followed(instance, peer, alice, inbox)
        retired = rotate(alice)
        assert (await peer.post(f"{other.base}/inbox", like(peer, alice), alice))[0] == 202  # re-fetched there
        clock.advance(KEY_TTL + 1)
        await assert_undo_refused(instance, peer, alice, inbox, follow, retired)
    finally:
        await other.stop()


async def test_keys_an_actor_lists_side_by_side_keep_verifying_without_refetches(instance, peer, alice, inbox):
    second_key, second_pem = key_pair(4)
    alice.extra["publicKey"] = [
        {"id": alice.key_id, "owner": alice.uri, "publicKeyPem": alice.public_pem},
        {"id": alice.uri + "#key-2", "owner": alice.uri, "publicKeyPem": second_pem},
    ]
    signers = [(alice.key, alice.key_id), (second_key, alice.uri + "#key-2")]
    fetched = None
    for n, (key, key_id) in enumerate(signers * 4):
        status, payload = await peer.post(inbox, like(peer, alice, n), alice, key=key, key_id=key_id)
        assert status == 202, payload
        if n == len(signers) - 1:
            fetched = alice_fetches(peer)  # both keys seen once
    assert alice_fetches(peer) == fetched  # using one does not retire the other


# ---- unknown keys ---------------------------------------------------------------------------

async def test_an_unknown_key_id_is_fetched_once_a_minute_not_on_every_request(instance, peer, alice, inbox, clock):
    unknown = alice.uri + "#no-such-key"
    for n in range(10):
        status, payload = await peer.post(inbox, like(peer, alice, n), alice, key_id=unknown)
        assert status == 401 and f"does not list key {unknown}" in payload["error"], payload
    print(f"\n10 requests under an unknown key id: {alice_fetches(peer)} fetch(es) of the actor")
    assert alice_fetches(peer) == 1

    clock.advance(FAILURE_TTL + 1)
    assert (await peer.post(inbox, like(peer, alice), alice, key_id=unknown))[0] == 401
    assert alice_fetches(peer) == 2


async def test_an_origin_whose_keys_keep_failing_is_not_asked_for_unknown_keys_for_a_minute(instance, peer, alice,
                                                                                          mallory, inbox, clock):
    assert (await peer.post(inbox, like(peer, alice), alice))[0] == 202  # alice is known before the flood
    for n in range(KEY_FAILURES_PER_MINUTE + 5):  # a new key id each time, none of them exists
        status, payload = await peer.post(inbox, like(peer, mallory, n), mallory, key_id=f"{peer.base}/keys/{n}")
        assert status == 401, payload
    assert len([path for path in peer.fetches if path.startswith("/keys/")]) == KEY_FAILURES_PER_MINUTE
    assert "not asked again yet" in payload["error"]

    assert (await peer.post(inbox, like(peer, alice, 99), alice))[0] == 202  # a known key still verifies
    carol = peer.add_actor("carol")
    status, payload = await peer.post(inbox, like(peer, carol), carol)
    assert status == 401 and "not asked again yet" in payload["error"], payload
    clock.advance(61)
    assert (await peer.post(inbox, like(peer, carol, 2), carol))[0] == 202


async def test_a_delete_from_a_gone_actor_is_accepted_again_without_a_second_fetch(instance, peer, inbox):
    ghost = peer.add_actor("ghost", key_index=3)
    peer.serve("/users/ghost", {"type": "Tombstone"}, status=410)
    for _ in range(2):
        status, _ = await peer.post(inbox, peer.activity("Delete", ghost, ghost.uri), ghost)
        assert status == 202
    assert peer.fetches.count("/users/ghost") == 1
    await instance.settle()
    assert await store.nothing_stored(instance)


# ---- the cache on its own -------------------------------------------------------------------

def test_a_database_row_read_before_a_newer_document_does_not_bring_a_retired_key_back():
    clock = ManualClock(datetime(2026, 11, 24, tzinfo=timezone.utc))
    keys = KeyCache(clock)
    earlier, now, later = clock.now() - timedelta(seconds=1), clock.now(), clock.now() + timedelta(seconds=1)
    keys.remember_document("https://a.example/alice", {"https://a.example/alice#key-2": "PEM2"}, now)
    keys.remember_stored("https://a.example/alice", "https://a.example/alice#main-key", "PEM1", earlier)
    keys.remember_stored("https://a.example/alice", "https://a.example/alice#main-key", "PEM1", now)
    assert keys.get("https://a.example/alice#main-key") is None
    assert keys.get("https://a.example/alice#key-2").public_key_pem == "PEM2"
    # A row stored after our document (another process fetched alice since) wins.
    keys.remember_stored("https://a.example/alice", "https://a.example/alice#main-key", "PEM1", later)
    assert keys.get("https://a.example/alice#main-key").public_key_pem == "PEM1"
    assert keys.get("https://a.example/alice#key-2") is None
