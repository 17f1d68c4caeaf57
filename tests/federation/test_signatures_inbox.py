"""HTTP signatures at the inbox, over real HTTP: every refusal answers 401 and leaves nothing
behind (no inbound activity, no follow, no delivery); the accepted forms answer 202.

From Mastodon's spec/requests/signature_verification_spec.rb: request not signed, a signature
for another path, a mismatching query string, an unparsable Date, a Date older than the
window, the Digest of a POST not signed, a tampered body, an inaccessible key (404). From
Fedify's packages/fedify/src/sig/http.test.ts: a malformed `Signature: asdf`, an invalid
Digest, an attacker-supplied algorithm, a key that answers 410 (here: a Delete from an actor
that is gone is accepted and ignored, as Mastodon does)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from prometheus_client import REGISTRY

from tests.support import httpsig, store
from tests.support.inbox import assert_refused
from tests.support.keys import key_pair
from tests.support.peer import RemotePeer


@pytest.fixture
def inbox(instance, gemeente):
    return f"{instance.base}/users/gemeente/inbox"


def follow_of(peer, actor, instance) -> dict:
    return peer.activity("Follow", actor, f"{instance.base}/users/gemeente")


async def send(peer, url: str, body: bytes, headers: dict) -> tuple[int, dict]:
    """POST exactly these headers and this body (for requests peer.post can't bend)."""
    headers = {"Content-Type": "application/activity+json", **headers}
    async with peer.session.post(url, data=body, headers=headers) as response:
        return response.status, await response.json(content_type=None)


# ---- the accepted forms ---------------------------------------------------------------------

async def test_a_correctly_signed_follow_is_accepted_and_handled(instance, peer, alice, inbox):
    follow = follow_of(peer, alice, instance)
    status, _ = await peer.post(inbox, follow, alice)
    assert status == 202
    await instance.settle()
    assert (await store.inbox_activity(instance, follow["id"])).state == "done"
    assert await store.count(instance, store.Follow) == 1
    assert len(peer.received_of_type("Accept")) == 1


@pytest.mark.parametrize("algorithm", ["rsa-sha256", "hs2019", None], ids=["rsa-sha256", "hs2019", "no algorithm"])
async def test_rsa_sha256_hs2019_and_a_missing_algorithm_are_accepted(instance, peer, alice, inbox, algorithm):
    status, _ = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm=algorithm)
    assert status == 202
    assert await store.count(instance, store.InboxActivity) == 1


async def test_the_authorization_signature_header_form_is_accepted(instance, peer, alice, inbox):
    body = json.dumps(follow_of(peer, alice, instance)).encode()
    headers = httpsig.sign("POST", inbox, body, key=alice.key, key_id=alice.key_id)
    headers["Authorization"] = "Signature " + headers.pop("Signature")
    status, _ = await send(peer, inbox, body, headers)
    assert status == 202
    assert await store.count(instance, store.InboxActivity) == 1


async def test_a_signed_query_string_is_accepted(instance, peer, alice, inbox):
    status, _ = await peer.post(inbox + "?from=alice", follow_of(peer, alice, instance), alice)
    assert status == 202


# ---- unsigned, malformed, or not verifying --------------------------------------------------

async def test_an_unsigned_activity_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, unsigned=True)
    await assert_refused(instance, peer, result, "not signed")


async def test_a_malformed_signature_header_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, headers={"Signature": "asdf"})
    await assert_refused(instance, peer, result, "malformed")


async def test_a_signature_made_with_the_wrong_key_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, key=key_pair(2)[0])
    await assert_refused(instance, peer, result, "does not verify")
    assert result[1] == {"error": "signature does not verify with the signer's key"}  # what the sender's admin reads


async def test_a_header_sent_twice_is_verified_as_its_values_joined(instance, peer, alice, inbox):
    """draft-cavage 2.3: a header with several values is signed as them joined by ", "."""
    body = json.dumps(follow_of(peer, alice, instance)).encode()
    signed = httpsig.sign("POST", inbox, body, key=alice.key, key_id=alice.key_id, extra={"X-Tag": "a, b"},
                          covered=(*httpsig.DEFAULT_COVERED, "x-tag"))
    headers = [(name, value) for name, value in signed.items() if name != "X-Tag"] + [("X-Tag", "a"), ("X-Tag", "b")]
    async with peer.session.post(inbox, data=body, headers=[("Content-Type", "application/activity+json"), *headers]) as response:
        assert response.status == 202, await response.text()


async def test_a_body_tampered_after_signing_is_refused(instance, peer, alice, inbox):
    signed = json.dumps(follow_of(peer, alice, instance)).encode()
    headers = httpsig.sign("POST", inbox, signed, key=alice.key, key_id=alice.key_id)
    tampered = signed.replace(b'"Follow"', b'"Block"')
    await assert_refused(instance, peer, await send(peer, inbox, tampered, headers), "Digest does not match")


async def test_a_tampered_body_with_a_recomputed_digest_is_refused(instance, peer, alice, inbox):
    signed = json.dumps(follow_of(peer, alice, instance)).encode()
    headers = httpsig.sign("POST", inbox, signed, key=alice.key, key_id=alice.key_id)
    tampered = signed.replace(b'"Follow"', b'"Block"')
    headers["Digest"] = httpsig.sign("POST", inbox, tampered, key=alice.key, key_id=alice.key_id)["Digest"]
    await assert_refused(instance, peer, await send(peer, inbox, tampered, headers), "does not verify")


async def test_a_signed_header_changed_after_signing_is_refused(instance, peer, alice, inbox):
    sent = datetime.now(timezone.utc).replace(microsecond=0)
    later = (sent + timedelta(seconds=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, date=sent, headers={"Date": later})
    await assert_refused(instance, peer, result, "does not verify")


async def test_a_signature_for_another_path_is_refused(instance, peer, alice, inbox):
    body = json.dumps(follow_of(peer, alice, instance)).encode()
    headers = httpsig.sign("POST", f"{instance.base}/inbox", body, key=alice.key, key_id=alice.key_id)
    await assert_refused(instance, peer, await send(peer, inbox, body, headers), "does not verify")


async def test_a_signature_for_another_query_string_is_refused(instance, peer, alice, inbox):
    body = json.dumps(follow_of(peer, alice, instance)).encode()
    headers = httpsig.sign("POST", inbox + "?page=1", body, key=alice.key, key_id=alice.key_id)
    await assert_refused(instance, peer, await send(peer, inbox + "?page=2", body, headers), "does not verify")


# ---- algorithms and what the signature must cover ---------------------------------------------

@pytest.mark.parametrize("algorithm", ["hmac-sha256", "rsa-sha1", "x-attacker-supplied"])
async def test_hmac_sha1_and_unknown_algorithms_are_refused(instance, peer, alice, inbox, algorithm):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm=algorithm)
    await assert_refused(instance, peer, result, f"'{algorithm}' is not accepted")


@pytest.mark.parametrize("left_out", ["(request-target)", "host", "date", "digest"])
async def test_a_signature_that_leaves_out_a_required_header_is_refused(instance, peer, alice, inbox, left_out):
    covered = tuple(h for h in httpsig.DEFAULT_COVERED if h != left_out)
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, covered=covered)
    await assert_refused(instance, peer, result, "is not signed")


async def test_a_signed_header_missing_from_the_request_is_refused(instance, peer, alice, inbox):
    covered = (*httpsig.DEFAULT_COVERED, "x-forwarded-for")
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, covered=covered)
    await assert_refused(instance, peer, result, "'x-forwarded-for' is not in the request")


# ---- Digest, Date, Host ---------------------------------------------------------------------

async def test_a_digest_of_another_body_is_refused(instance, peer, alice, inbox):
    other = httpsig.sign("POST", inbox, b"{}", key=alice.key, key_id=alice.key_id)["Digest"]
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, digest=other)
    await assert_refused(instance, peer, result, "Digest does not match")


@pytest.mark.parametrize("algorithm", ["SHA-512", "MD5", "invalid"])
async def test_a_digest_without_sha256_is_refused_even_if_it_matches(instance, peer, alice, inbox, algorithm):
    body = json.dumps(follow_of(peer, alice, instance)).encode()
    digest = "invalid"
    if algorithm != "invalid":
        digest = f"{algorithm}=" + base64.b64encode(hashlib.new(algorithm.replace("-", ""), body).digest()).decode()
    result = await peer.post(inbox, body, alice, digest=digest)
    await assert_refused(instance, peer, result, "no SHA-256")


@pytest.mark.parametrize("offset, reason", [(timedelta(hours=-1, minutes=-1), "too old"),
                                            (timedelta(days=-2), "too old"),
                                            (timedelta(hours=1, minutes=1), "in the future")])
async def test_a_date_more_than_an_hour_off_is_refused(instance, peer, alice, inbox, offset, reason):
    date = datetime.now(timezone.utc) + offset
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, date=date)
    await assert_refused(instance, peer, result, reason)


async def test_a_date_within_the_hour_is_accepted(instance, peer, alice, inbox):
    date = datetime.now(timezone.utc) - timedelta(minutes=55)
    status, _ = await peer.post(inbox, follow_of(peer, alice, instance), alice, date=date)
    assert status == 202


async def test_an_unparsable_date_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, extra={"Date": "wrong date"})
    await assert_refused(instance, peer, result, "not an HTTP date")


async def test_a_signature_for_another_host_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, host="pubhub.example")
    await assert_refused(instance, peer, result, "Host is not this server")


# ---- who signed -----------------------------------------------------------------------------

async def test_a_key_on_another_origin_than_the_actor_is_refused_without_fetching_it(instance, peer, alice, inbox):
    other = await RemotePeer().start()
    try:
        mallory = other.add_actor("mallory", key_index=2)
        result = await other.post(inbox, follow_of(peer, alice, instance), mallory)
        await assert_refused(instance, peer, result, "signer is not the activity's actor", exact=True)
        assert other.fetches == [] and peer.fetches == []
    finally:
        await other.stop()


@pytest.mark.parametrize("key_id", ["http://[::1", "not a url"])
async def test_an_unparsable_key_id_is_refused_not_a_crash(instance, peer, alice, inbox, key_id):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, key_id=key_id)
    await assert_refused(instance, peer, result, "signer is not the activity's actor", exact=True)


async def test_an_activity_signed_by_another_actor_of_the_same_server_is_refused(instance, peer, alice, inbox):
    mallory = peer.add_actor("mallory", key_index=2)
    result = await peer.post(inbox, follow_of(peer, alice, instance), mallory)
    await assert_refused(instance, peer, result, "signer is not the activity's actor", exact=True)


async def test_a_signer_whose_key_cannot_be_fetched_is_refused(instance, peer, inbox):
    ghost = peer.add_actor("ghost", key_index=3)
    del peer.actors["ghost"]  # its documents now answer 404
    result = await peer.post(inbox, follow_of(peer, ghost, instance), ghost)
    await assert_refused(instance, peer, result, "could not get the signer's key")


@pytest.mark.parametrize("status", [410, 404])
async def test_a_delete_from_an_actor_that_is_gone_is_accepted_and_ignored(instance, peer, inbox, status):
    ghost = peer.add_actor("ghost", key_index=3)
    peer.serve("/users/ghost", {"type": "Tombstone"}, status=status)
    queued_before = _inbox_metric("accepted")
    status, _ = await peer.post(inbox, peer.activity("Delete", ghost, ghost.uri), ghost)
    assert status == 202
    await instance.settle()
    assert await store.nothing_stored(instance)
    assert await store.actor(instance, ghost.uri) is None
    assert _inbox_metric("accepted") == queued_before  # nothing was queued: not counted as accepted


def _inbox_metric(outcome: str) -> float:
    """This process's pubhub_inbox_activities_total for an outcome (pubhub/metrics.py)."""
    return REGISTRY.get_sample_value("pubhub_inbox_activities_total", {"outcome": outcome, "reason": ""}) or 0.0


async def test_an_activity_claiming_one_of_our_own_actors_is_refused(instance, peer, gemeente, inbox):
    mallory = peer.add_actor("mallory", key_index=2)
    forged = {"id": f"{instance.base}/users/gemeente#follows/1", "type": "Follow", "actor": gemeente.uri,
              "object": gemeente.uri}
    result = await peer.post(inbox, forged, mallory, key_id=gemeente.public_key_id)
    await assert_refused(instance, peer, result, "activity claims to come from one of our own actors", exact=True)


# ---- (created) and (expires), as hs2019 senders (Fedify-based servers, some Mastodon forks) ---

CREATED_COVERED = ("(request-target)", "host", "(created)", "digest")


def unix_now(offset: timedelta = timedelta(0)) -> int:
    return int((datetime.now(timezone.utc) + offset).timestamp())


async def test_hs2019_with_a_signed_created_and_no_date_is_accepted_and_handled(instance, peer, alice, inbox):
    follow = follow_of(peer, alice, instance)
    status, _ = await peer.post(inbox, follow, alice, algorithm="hs2019", covered=(*CREATED_COVERED, "(expires)"),
                                created=unix_now(), expires=unix_now(timedelta(minutes=5)), send_date=False)
    assert status == 202
    await instance.settle()
    assert (await store.inbox_activity(instance, follow["id"])).state == "done"
    assert len(peer.received_of_type("Accept")) == 1


async def test_unquoted_created_and_expires_are_accepted(instance, peer, alice, inbox):
    status, _ = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm="hs2019",
                                covered=(*CREATED_COVERED, "(expires)"), created=unix_now(),
                                expires=unix_now(timedelta(minutes=5)), unquoted=True, send_date=False)
    assert status == 202
    assert await store.count(instance, store.InboxActivity) == 1


async def test_a_signed_created_with_rsa_sha256_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm="rsa-sha256",
                             covered=CREATED_COVERED, created=unix_now(), send_date=False)
    await assert_refused(instance, peer, result, "(created) is only valid with hs2019")


@pytest.mark.parametrize("offset, reason", [(timedelta(hours=1, minutes=1), "created time is in the future"),
                                            (timedelta(hours=-1, minutes=-1), "created time is too old"),
                                            (timedelta(days=-2), "created time is too old")])
async def test_a_created_more_than_an_hour_off_is_refused(instance, peer, alice, inbox, offset, reason):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm="hs2019",
                             covered=CREATED_COVERED, created=unix_now(offset), send_date=False)
    await assert_refused(instance, peer, result, reason)


async def test_an_expired_signature_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm="hs2019",
                             covered=(*CREATED_COVERED, "(expires)"), created=unix_now(timedelta(minutes=-10)),
                             expires=unix_now(timedelta(minutes=-5)), send_date=False)
    await assert_refused(instance, peer, result, "expired")


async def test_neither_date_nor_created_signed_is_refused(instance, peer, alice, inbox):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm="hs2019",
                             covered=("(request-target)", "host", "digest"), created=unix_now())
    await assert_refused(instance, peer, result, "date is not signed")


@pytest.mark.parametrize("created", ["abc", "", "99999999999999999999999999", "-1"])
async def test_a_created_that_is_not_unix_seconds_is_refused_not_a_crash(instance, peer, alice, inbox, created):
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice, algorithm="hs2019",
                             covered=CREATED_COVERED, created=created, send_date=False)
    await assert_refused(instance, peer, result, "created parameter is not a unix time")


async def test_signed_header_bytes_that_are_not_utf8_are_verified_not_a_crash(instance, peer, alice, inbox):
    # Raw bytes on the wire: aiohttp's client would not send them. The signer signs the bytes.
    body = json.dumps(follow_of(peer, alice, instance)).encode()
    covered = (*httpsig.DEFAULT_COVERED, "x-odd")
    headers = httpsig.sign("POST", inbox, body, key=alice.key, key_id=alice.key_id, covered=covered,
                           extra={"X-Odd": "caf\udce9"})
    headers.update({"Content-Type": "application/activity+json", "Content-Length": str(len(body)),
                    "Connection": "close"})
    path = inbox.split(instance.base, 1)[1]
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    host, port = instance.base.split("://", 1)[1].rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(head.encode("utf-8", "surrogateescape") + body)
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
    assert status_line.split()[1] == b"202", status_line
