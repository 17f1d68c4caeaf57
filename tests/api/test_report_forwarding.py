"""Forwarding a report about a remote account to its server: a Flag from the instance actor
(never naming the reporter) through the delivery queue, at the reporter's request or by a
moderator (POST /api/v1/pubhub/reports/:id/forward); refusals change and send nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pubhub.store.models import AuditEntry
from tests.support import store
from tests.support.inbox import received_note
from tests.support.peer import PUBLIC


@dataclass
class Scene:
    bob: object
    bob_token: str
    alice_id: str     # the remote account, as our API knows it
    alice_note: str   # a remote note of hers, our id
    note_uri: str
    moderator: str


@pytest.fixture
async def scene(instance, peer, alice) -> Scene:
    bob = await instance.create_account("bob")
    token = await instance.token_for(bob)
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=token,
                                             params={"acct": f"alice@{peer.domain}"})
    assert status == 200, account
    note = peer.note(alice, "<p>Koop nu goedkope horloges</p>", to=[PUBLIC, bob.uri])
    stored = await received_note(instance, peer, alice, note, "public")
    moderator = await instance.token_for(await instance.create_account("moderator", role="moderator"),
                                         "admin:read admin:write")
    return Scene(bob, token, account["id"], str(stored.id), note["id"], moderator)


def flags(peer) -> list:
    return peer.received_of_type("Flag")


async def test_a_report_filed_with_forward_reaches_the_server_as_a_flag_of_the_instance(instance, peer, alice, scene):
    status, report = await instance.request("POST", "/api/v1/reports", token=scene.bob_token, json={
        "account_id": scene.alice_id, "status_ids": [scene.alice_note], "comment": "Reclame", "forward": True})
    assert status == 200 and report["forwarded"] is True, report
    await instance.settle()
    [sent] = flags(peer)
    assert sent.verified and sent.path == "/inbox"  # alice's server's shared inbox
    flag = sent.activity
    assert flag["actor"] == f"{instance.base}/actor" and f'keyId="{instance.base}/actor#main-key"' in sent.headers["Signature"]
    assert (flag["object"], flag["content"]) == ([alice.uri, scene.note_uri], "Reclame")
    assert "bob" not in sent.body.decode()  # the reporter is never named


async def test_without_forward_nothing_is_sent(instance, peer, scene):
    status, report = await instance.request("POST", "/api/v1/reports", token=scene.bob_token, json={
        "account_id": scene.alice_id, "comment": "Reclame"})
    assert status == 200 and report["forwarded"] is False
    await instance.settle()
    assert flags(peer) == []


async def test_a_moderator_forwards_it_later_once_and_it_is_audited(instance, peer, alice, scene):
    status, report = await instance.request("POST", "/api/v1/reports", token=scene.bob_token, json={
        "account_id": scene.alice_id, "status_ids": [scene.alice_note]})
    path = f"/api/v1/pubhub/reports/{report['id']}/forward"
    status, body = await instance.request("POST", path, token=scene.moderator)
    assert status == 200 and body["forwarded"] is True, body
    status, body = await instance.request("POST", path, token=scene.moderator)
    assert status == 200 and body["forwarded"] is True
    await instance.settle()
    [sent] = flags(peer)
    assert sent.activity["object"] == [alice.uri, scene.note_uri] and sent.activity["content"] == ""
    assert [(e.action, e.target_id) for e in await store.all_of(instance, AuditEntry)] == [
        ("report.forward", report["id"])]


async def test_a_report_about_one_of_ours_is_not_forwarded(instance, peer, scene):
    carol = await instance.create_account("carol")
    status, report = await instance.request("POST", "/api/v1/reports", token=scene.bob_token, json={
        "account_id": str(carol.id), "forward": True})
    assert status == 200 and report["forwarded"] is False
    status, body = await instance.request("POST", f"/api/v1/pubhub/reports/{report['id']}/forward",
                                          token=scene.moderator)
    assert status == 422 and "another server" in body["error"]
    await instance.settle()
    assert flags(peer) == [] and await store.count(instance, store.Delivery) == 0
    assert await store.count(instance, AuditEntry) == 0


async def test_only_a_moderator_with_the_scope_forwards(instance, peer, scene):
    status, report = await instance.request("POST", "/api/v1/reports", token=scene.bob_token, json={
        "account_id": scene.alice_id})
    path = f"/api/v1/pubhub/reports/{report['id']}/forward"
    reader = await instance.token_for(await instance.create_account("lezer", role="moderator"), "admin:read")
    for token, expected in ((scene.bob_token, 403), (reader, 403), (None, 401)):
        status, body = await instance.request("POST", path, token=token)
        assert status == expected and "error" in body
    status, body = await instance.request("POST", "/api/v1/pubhub/reports/999999/forward", token=scene.moderator)
    assert (status, body) == (404, {"error": "Record not found"})
    await instance.settle()
    assert flags(peer) == [] and not (await store.one(instance, store.Report)).forwarded
