"""A moderator removes a post with a statement of reasons: tombstoned, its Delete federated as
its author's own deletion is, the statement stored (and shown to the reporter), the report it
answers resolved, each step audited; refusals change and send nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import AuditEntry, Statement
from tests.support import store
from tests.support.inbox import received_note
from tests.support.peer import PUBLIC


@dataclass
class Scene:
    carol: object
    carol_token: str
    post: dict
    bob_token: str
    report_id: str
    moderator: object
    moderator_token: str


def remove_path(status_id: str) -> str:
    return f"/api/v1/pubhub/statuses/{status_id}/remove"


GROUNDS = {"kind": "rule", "text": "1. No spam", "facts": "Advertises watches in every post"}


@pytest.fixture
async def scene(instance, peer, alice) -> Scene:
    carol = await instance.create_account("carol")
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, carol.uri), alice)
    assert status == 202
    await instance.settle()
    carol_token = await instance.token_for(carol)
    post = await instance.post_status(carol_token, status="Koop nu goedkope horloges")
    bob_token = await instance.token_for(await instance.create_account("bob"))
    status, report = await instance.request("POST", "/api/v1/reports", token=bob_token, json={
        "account_id": str(carol.id), "status_ids": [post["id"]], "comment": "Reclame"})
    assert status == 200
    moderator = await instance.create_account("moderator", role="moderator")
    await instance.settle()
    peer.received.clear()
    return Scene(carol, carol_token, post, bob_token, report["id"], moderator,
                 await instance.token_for(moderator, "admin:read admin:write"))


async def test_a_moderator_removes_a_reported_post_with_a_statement(instance, peer, alice, scene):
    status, body = await instance.request("POST", remove_path(scene.post["id"]), token=scene.moderator_token,
                                          json={**GROUNDS, "report_id": scene.report_id})
    assert status == 200, body
    statement = body["statement"]
    assert (statement["action"], statement["ground_kind"], statement["ground"], statement["facts"]) == (
        "remove", "rule", "1. No spam", "Advertises watches in every post")
    assert (statement["status_id"], statement["report_id"], statement["account_id"]) == (
        scene.post["id"], scene.report_id, str(scene.carol.id))
    assert f"/api/v1/pubhub/decisions/{statement['id']}/appeal" in statement["redress"]
    assert body["status"]["id"] == scene.post["id"]

    status, _ = await instance.request("GET", f"/api/v1/statuses/{scene.post['id']}", token=scene.carol_token)
    assert status == 404  # tombstoned
    [row] = await store.all_of(instance, Statement)
    assert (row.account_id, row.moderator_id, row.object_uri) == (scene.carol.id, scene.moderator.id, scene.post["uri"])

    await instance.settle()
    [sent] = peer.received_of_type("Delete")
    assert sent.verified and sent.activity["actor"] == scene.carol.uri
    assert sent.activity["object"] == {"id": scene.post["uri"], "type": "Tombstone"}

    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:read")
    status, report = await instance.request("GET", f"/api/v1/admin/reports/{scene.report_id}", token=admin)
    assert report["action_taken"] is True and report["action_taken_by_account"]["username"] == "moderator"
    audit = [(e.action, e.target_type, e.statement_id) for e in await store.all_of(instance, AuditEntry)]
    assert audit == [("status.remove", "status", row.id), ("report.resolve", "report", None)]

    status, mine = await instance.request("GET", "/api/v1/pubhub/reports", token=scene.bob_token)
    assert mine[0]["state"] == "resolved" and mine[0]["statement"]["id"] == statement["id"]


async def test_the_removal_federates_the_same_delete_as_the_authors_own(instance, peer, scene):
    own = await instance.post_status(scene.carol_token, status="Tweede bericht")
    await instance.settle()
    peer.received.clear()
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{own['id']}", token=scene.carol_token)
    assert status == 200
    status, _ = await instance.request("POST", remove_path(scene.post["id"]), token=scene.moderator_token, json=GROUNDS)
    assert status == 200
    await instance.settle()
    # (the two are delivered side by side: in either order)
    deletes = {r.activity["id"]: r.activity for r in peer.received_of_type("Delete")}
    assert sorted(deletes) == sorted([own["uri"] + "#delete", scene.post["uri"] + "#delete"])
    by_author, by_moderator = deletes[own["uri"] + "#delete"], deletes[scene.post["uri"] + "#delete"]
    same = {key: value for key, value in by_author.items() if key not in ("id", "object")}
    assert same == {key: value for key, value in by_moderator.items() if key not in ("id", "object")}
    assert [r.path for r in peer.received_of_type("Delete")] == ["/inbox", "/inbox"]


async def test_a_remote_post_is_removed_here_only(instance, peer, alice, scene):
    note = peer.note(alice, "<p>Spam van elders</p>", to=[PUBLIC, scene.carol.uri])
    stored = await received_note(instance, peer, alice, note, "public")
    status, body = await instance.request("POST", remove_path(str(stored.id)), token=scene.moderator_token,
                                          json={"kind": "law", "text": "Wetboek van Strafrecht art. 137d"})
    assert status == 200 and body["statement"]["ground_kind"] == "law"
    assert (await store.note(instance, note["id"])).deleted_at is not None
    await instance.settle()
    assert peer.received == []  # its server decides about its own copy


async def unchanged(instance, peer, scene) -> None:
    note = await store.note(instance, scene.post["uri"])
    assert note.deleted_at is None
    assert await store.count(instance, Statement) == 0 and await store.count(instance, AuditEntry) == 0
    assert (await store.one(instance, store.Report)).action_taken_at is None
    await instance.settle()
    assert peer.received == []


@pytest.mark.parametrize("payload, expected, problem", [
    ({"kind": "rule", "text": "  "}, 422, "must name its ground"),
    ({"kind": "whim", "text": "x"}, 422, "kind"),
    ({"text": "1. No spam"}, 422, "kind"),
    ({**GROUNDS, "facts": "x" * 5001}, 422, "facts"),
    ({**GROUNDS, "report_id": "999999"}, 404, "Record not found"),
    ({**GROUNDS, "report_id": "nope"}, 404, "Record not found"),
])
async def test_a_bad_removal_is_refused_and_changes_nothing(instance, peer, scene, payload, expected, problem):
    status, body = await instance.request("POST", remove_path(scene.post["id"]), token=scene.moderator_token,
                                          json=payload)
    assert status == expected and problem in body["error"], body
    await unchanged(instance, peer, scene)


async def test_a_report_about_someone_else_cannot_be_answered_by_this_removal(instance, peer, scene):
    dave = await instance.create_account("dave")
    status, other = await instance.request("POST", "/api/v1/reports", token=scene.bob_token,
                                           json={"account_id": str(dave.id)})
    status, body = await instance.request("POST", remove_path(scene.post["id"]), token=scene.moderator_token,
                                          json={**GROUNDS, "report_id": other["id"]})
    assert status == 422 and "not about this post" in body["error"]
    assert (await store.note(instance, scene.post["uri"])).deleted_at is None
    assert await store.count(instance, Statement) == 0


async def test_a_missing_or_deleted_post_is_404(instance, peer, scene):
    for status_id in ("999999", "nope"):
        status, body = await instance.request("POST", remove_path(status_id), token=scene.moderator_token, json=GROUNDS)
        assert (status, body) == (404, {"error": "Record not found"})
    await unchanged(instance, peer, scene)


async def test_only_staff_with_manage_reports_and_the_scope_may_remove(instance, peer, scene):
    admin_reader = await instance.token_for(await instance.create_account("lezer", role="admin"), "admin:read")
    for token, expected in ((scene.carol_token, 403), (scene.bob_token, 403), (admin_reader, 403), (None, 401)):
        status, body = await instance.request("POST", remove_path(scene.post["id"]), token=token, json=GROUNDS)
        assert status == expected and "error" in body
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_users"])
    status, body = await instance.request("POST", remove_path(scene.post["id"]), token=scene.moderator_token,
                                          json=GROUNDS)
    assert (status, body) == (403, {"error": "This action is not allowed"})
    await unchanged(instance, peer, scene)
