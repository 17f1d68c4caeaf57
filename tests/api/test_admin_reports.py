"""Mastodon's admin reports: who may read and work them, their Admin::Report shape, the filters
and pages, each change in the audit log, and Mastodon.py driving them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from mastodon import Mastodon
from sqlalchemy import update

from pubhub.config import Rule
from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import Actor, AuditEntry
from tests.support import store
from tests.support.instance import Instance

ADMIN = "/api/v1/admin/reports"
ADMIN_KEYS = {"id", "action_taken", "action_taken_at", "category", "comment", "forwarded", "created_at", "updated_at",
              "account", "target_account", "assigned_account", "action_taken_by_account", "statuses", "rules"}


@dataclass
class Desk:
    instance: Instance
    admin: str          # an admin's token with admin:read admin:write
    moderator: str      # a moderator's, the same scopes
    moderator_account: Actor
    bob: Actor          # the reporter
    bob_token: str
    carol: Actor        # the reported
    carol_post: str


@pytest.fixture
async def ruled(database_url):
    server = await Instance(database_url, rules=(Rule("No spam"), Rule("No harassment"))).start()
    yield server
    await server.stop()


@pytest.fixture
async def desk(ruled) -> Desk:
    admin = await ruled.create_account("beheerder", role="admin")
    moderator = await ruled.create_account("moderator", role="moderator")
    bob, carol = await ruled.create_account("bob"), await ruled.create_account("carol")
    post = await ruled.post_status(await ruled.token_for(carol), status="Koop nu goedkope horloges")
    scopes = "read admin:read admin:write"
    return Desk(ruled, await ruled.token_for(admin, scopes), await ruled.token_for(moderator, scopes), moderator,
                bob, await ruled.token_for(bob), carol, post["id"])


async def file(desk: Desk, **fields) -> dict:
    status, body = await desk.instance.request("POST", "/api/v1/reports", token=desk.bob_token, json={
        "account_id": str(desk.carol.id), **fields})
    assert status == 200, body
    return body


async def audit_actions(instance) -> list[tuple[str, str, str]]:
    return [(entry.action, entry.target_type, entry.target_id) for entry in await store.all_of(instance, AuditEntry)]


async def test_an_admin_reads_a_report_in_mastodons_shape(desk):
    filed = await file(desk, status_ids=[desk.carol_post], comment="Reclame", rule_ids=["1"])
    status, listed = await desk.instance.request("GET", ADMIN, token=desk.admin)
    assert status == 200 and [r["id"] for r in listed] == [filed["id"]]
    status, report = await desk.instance.request("GET", f"{ADMIN}/{filed['id']}", token=desk.admin)
    assert status == 200 and report == listed[0]
    assert ADMIN_KEYS <= set(report)
    assert (report["category"], report["comment"], report["action_taken"], report["forwarded"]) == (
        "violation", "Reclame", False, False)
    assert report["account"]["username"] == "bob" and report["account"]["account"]["id"] == str(desk.bob.id)
    assert report["target_account"]["id"] == str(desk.carol.id) and report["target_account"]["domain"] is None
    assert report["assigned_account"] is None and report["action_taken_by_account"] is None
    assert [s["id"] for s in report["statuses"]] == [desk.carol_post]
    assert "horloges" in report["statuses"][0]["content"]
    assert report["rules"] == [{"id": "1", "text": "No spam", "hint": ""}]


async def test_a_reports_accounts_are_the_accounts_admins_own(desk):
    """The same Admin::Account as GET /api/v1/admin/accounts/:id: a silenced target shows so."""
    report_id = (await file(desk))["id"]
    status, _ = await desk.instance.request("POST", f"/api/v1/admin/accounts/{desk.carol.id}/action", token=desk.admin,
                                            json={"type": "silence", "text": "Reclame", "report_id": report_id})
    assert status == 200
    _, report = await desk.instance.request("GET", f"{ADMIN}/{report_id}", token=desk.admin)
    _, account = await desk.instance.request("GET", f"/api/v1/admin/accounts/{desk.carol.id}", token=desk.admin)
    assert report["target_account"]["silenced"] is True
    assert {k: v for k, v in report["target_account"].items() if k != "account"} == \
        {k: v for k, v in account.items() if k != "account"}


async def test_a_moderator_assigns_resolves_and_reopens_and_each_change_is_audited(desk):
    report_id = (await file(desk))["id"]
    status, body = await desk.instance.request("POST", f"{ADMIN}/{report_id}/assign_to_self", token=desk.moderator)
    assert status == 200 and body["assigned_account"]["id"] == str(desk.moderator_account.id)
    status, body = await desk.instance.request("POST", f"{ADMIN}/{report_id}/unassign", token=desk.moderator)
    assert status == 200 and body["assigned_account"] is None
    status, body = await desk.instance.request("POST", f"{ADMIN}/{report_id}/resolve", token=desk.moderator)
    assert status == 200 and body["action_taken"] is True and body["action_taken_at"]
    assert body["action_taken_by_account"]["username"] == "moderator"
    status, again = await desk.instance.request("POST", f"{ADMIN}/{report_id}/resolve", token=desk.moderator)
    assert status == 200 and again["action_taken_at"] == body["action_taken_at"]  # nothing changed, nothing audited
    status, body = await desk.instance.request("POST", f"{ADMIN}/{report_id}/reopen", token=desk.moderator)
    assert status == 200 and (body["action_taken"], body["action_taken_by_account"]) == (False, None)
    assert await audit_actions(desk.instance) == [
        (action, "report", report_id) for action in ("report.assign", "report.unassign", "report.resolve", "report.reopen")]
    [entry] = await store.all_of(desk.instance, AuditEntry, AuditEntry.action == "report.resolve")
    assert entry.actor_id == desk.moderator_account.id and entry.actor_name == "moderator"


async def test_the_filters_and_the_pages(desk):
    dave = await desk.instance.create_account("dave")
    first = await file(desk)
    second = await file(desk, comment="nog eens")
    dave_token = await desk.instance.token_for(dave)
    status, third = await desk.instance.request("POST", "/api/v1/reports", token=dave_token,
                                                json={"account_id": str(desk.bob.id)})
    assert status == 200
    await desk.instance.request("POST", f"{ADMIN}/{first['id']}/resolve", token=desk.admin)

    async def ids(**params) -> list[str]:
        status, body = await desk.instance.request("GET", ADMIN, token=desk.admin, params=params)
        assert status == 200, body
        return [r["id"] for r in body]

    assert await ids() == [third["id"], second["id"]]  # the open ones, newest first
    assert await ids(resolved="true") == [first["id"]]
    assert await ids(resolved="true", unresolved="true") == [third["id"], second["id"], first["id"]]
    assert await ids(account_id=str(dave.id)) == [third["id"]]
    assert await ids(target_account_id=str(desk.carol.id)) == [second["id"]]
    assert await ids(target_account_id="nope") == []
    status, page = await desk.instance.request("GET", ADMIN, token=desk.admin, params={"limit": "1"})
    assert [r["id"] for r in page] == [third["id"]]
    async with desk.instance.http.get(desk.instance.base + ADMIN, params={"limit": "1"},
                                      headers={"Authorization": f"Bearer {desk.admin}"}) as response:
        link = response.headers["Link"]
    assert f"max_id={third['id']}" in link and 'rel="next"' in link
    assert await ids(limit="1", max_id=third["id"]) == [second["id"]]


async def test_a_missing_report_is_404_and_audits_nothing(desk):
    for path in ("/999999", "/nope"):
        status, body = await desk.instance.request("GET", ADMIN + path, token=desk.admin)
        assert (status, body) == (404, {"error": "Record not found"})
        status, body = await desk.instance.request("POST", f"{ADMIN}{path}/resolve", token=desk.admin)
        assert (status, body) == (404, {"error": "Record not found"})
    assert await audit_actions(desk.instance) == []


async def _refused_everywhere(desk: Desk, token: str, expected: int, report_id: str) -> None:
    for method, path in (("GET", ADMIN), ("GET", f"{ADMIN}/{report_id}"),
                         *(("POST", f"{ADMIN}/{report_id}/{verb}")
                           for verb in ("assign_to_self", "unassign", "resolve", "reopen"))):
        status, body = await desk.instance.request(method, path, token=token)
        assert status == expected and "error" in body, (method, path, status, body)
    [report] = await store.all_of(desk.instance, store.Report)
    assert (report.assigned_account_id, report.action_taken_at) == (None, None)
    assert await audit_actions(desk.instance) == []


async def test_a_moderator_without_manage_reports_is_refused(desk):
    report_id = (await file(desk))["id"]
    async with desk.instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_users"])
    await _refused_everywhere(desk, desk.moderator, 403, report_id)


async def test_a_user_is_refused_even_with_a_token_from_before_a_demotion(desk):
    report_id = (await file(desk))["id"]
    async with desk.instance.runtime.db.write() as session:
        await session.execute(update(Actor).where(Actor.id == desk.moderator_account.id).values(role="user"))
    await _refused_everywhere(desk, desk.moderator, 403, report_id)
    await _refused_everywhere(desk, desk.bob_token, 403, report_id)  # read write follow: no admin scope


async def test_an_admin_token_without_the_scope_is_refused(desk):
    report_id = (await file(desk))["id"]
    reader = await desk.instance.token_for(await desk.instance.create_account("tweede", role="admin"), "admin:read")
    status, _ = await desk.instance.request("GET", ADMIN, token=reader)
    assert status == 200
    for verb in ("assign_to_self", "resolve"):
        status, body = await desk.instance.request("POST", f"{ADMIN}/{report_id}/{verb}", token=reader)
        assert (status, body) == (403, {"error": "This action is outside the authorized scopes"})
    await _refused_everywhere(desk, await desk.instance.token_for(desk.moderator_account, "read write"), 403, report_id)


async def test_without_a_token_or_with_one_in_the_query_string_it_is_401(desk):
    report_id = (await file(desk))["id"]
    await _refused_everywhere(desk, None, 401, report_id)
    status, _ = await desk.instance.request("GET", f"{ADMIN}?access_token={desk.admin}")
    assert status == 401


async def test_mastodon_py_works_the_reports(desk):
    report_id = (await file(desk, status_ids=[desk.carol_post], comment="Reclame"))["id"]

    def session():
        api = Mastodon(access_token=desk.admin, api_base_url=desk.instance.base, version_check_mode="none",
                       request_timeout=10)
        listed = api.admin_reports()
        one = api.admin_report(report_id)
        assigned = api.admin_report_assign(report_id)
        unassigned = api.admin_report_unassign(report_id)
        resolved = api.admin_report_resolve(report_id)
        after = api.admin_reports(), api.admin_reports(resolved=True)
        reopened = api.admin_report_reopen(report_id)
        return listed, one, assigned, unassigned, resolved, after, reopened

    listed, one, assigned, unassigned, resolved, after, reopened = await asyncio.to_thread(session)
    assert [r["id"] for r in listed] == [report_id] and one["comment"] == "Reclame"
    assert one["target_account"]["account"]["acct"] == "carol" and one["statuses"][0]["id"] == desk.carol_post
    assert assigned["assigned_account"]["username"] == "beheerder" and unassigned["assigned_account"] is None
    assert resolved["action_taken"] is True
    assert after[0] == [] and [r["id"] for r in after[1]] == [report_id]
    assert reopened["action_taken"] is False
