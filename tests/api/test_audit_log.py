"""The audit log over HTTP: every entry the decisions wrote, filtered and paged, for admins and
moderators granted view_audit_log; nobody can change or delete an entry through the API."""

from __future__ import annotations

import pytest

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import AuditEntry
from tests.support import store

LOG = "/api/v1/pubhub/audit_log"
ADMIN_SCOPES = "read write admin:read admin:write"


@pytest.fixture
async def logged(instance):
    """Three decisions and a reversal on two accounts, by an admin and a moderator."""
    admin = await instance.create_account("beheerder", role="admin")
    moderator = await instance.create_account("moderator", role="moderator")
    targets = [await instance.create_account(name) for name in ("gemeente", "griffie")]
    admin_token = await instance.token_for(admin, ADMIN_SCOPES)
    moderator_token = await instance.token_for(moderator, ADMIN_SCOPES)
    for token, target, action in ((admin_token, targets[0], "silence"), (moderator_token, targets[1], "sensitive"),
                                  (moderator_token, targets[0], "suspend")):
        status, _ = await instance.request("POST", f"/api/v1/admin/accounts/{target.id}/action", token=token,
                                           json={"type": action, "text": f"{action} wegens spam"})
        assert status == 200
    status, _ = await instance.request("POST", f"/api/v1/admin/accounts/{targets[0].id}/unsilence", token=admin_token)
    assert status == 200
    return admin, moderator, targets, admin_token, moderator_token


async def _actions(instance, token, **params) -> list[str]:
    status, body = await instance.request("GET", LOG, token=token, params=params)
    assert status == 200, body
    return [entry["action"] for entry in body]


async def test_every_entry_is_listed_newest_first_with_who_what_and_why(instance, logged):
    admin, moderator, (gemeente, griffie), admin_token, _ = logged
    status, entries = await instance.request("GET", LOG, token=admin_token)
    assert [e["action"] for e in entries] == ["account.unsilence", "account.suspend", "account.sensitive",
                                              "account.silence"]
    suspend = entries[1]
    assert suspend["actor"] == {"id": str(moderator.id), "name": "moderator"}
    assert (suspend["target_type"], suspend["target_id"], suspend["target"]) == ("account", str(gemeente.id), "gemeente")
    assert suspend["reason"] == "suspend wegens spam" and suspend["statement_id"] is not None
    assert entries[0]["statement_id"] is None  # a reversal states no reasons of its own


async def test_the_filters_and_pages(instance, logged):
    admin, moderator, (gemeente, griffie), token, _ = logged
    assert await _actions(instance, token, action="account.suspend") == ["account.suspend"]
    assert await _actions(instance, token, actor=str(moderator.id)) == ["account.suspend", "account.sensitive"]
    assert await _actions(instance, token, target_type="account", target_id=str(griffie.id)) == ["account.sensitive"]
    assert await _actions(instance, token, target_type="report") == []
    assert await _actions(instance, token, actor="nobody") == []
    assert len(await _actions(instance, token, **{"from": "2000-01-01", "to": "2999-01-01T00:00:00Z"})) == 4
    assert await _actions(instance, token, **{"from": "2999-01-01"}) == []
    status, body = await instance.request("GET", LOG, token=token, params={"from": "yesterday"})
    assert status == 422
    async with instance.http.get(f"{instance.base}{LOG}", params={"limit": "2", "target_type": "account"},
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        first, link = await response.json(), response.headers["Link"]
    assert [e["action"] for e in first] == ["account.unsilence", "account.suspend"]
    next_url = link.split(">;")[0].lstrip("<")
    assert "target_type=account" in next_url and f"max_id={first[-1]['id']}" in next_url
    async with instance.http.get(next_url, headers={"Authorization": f"Bearer {token}"}) as response:
        assert [e["action"] for e in await response.json()] == ["account.sensitive", "account.silence"]


async def test_no_endpoint_changes_or_deletes_an_entry(instance, logged):
    token = logged[3]
    entry_id = (await store.all_of(instance, AuditEntry))[0].id
    before = [(e.id, e.action, e.reason, e.target) for e in await store.all_of(instance, AuditEntry)]
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        status, _ = await instance.request(method, LOG, token=token, json={"reason": "weg"})
        assert status == 405, method
        status, _ = await instance.request(method, f"{LOG}/{entry_id}", token=token, json={"reason": "weg"})
        assert status == 404, method
    assert (await instance.request("GET", f"{LOG}/{entry_id}", token=token))[0] == 404
    assert [(e.id, e.action, e.reason, e.target) for e in await store.all_of(instance, AuditEntry)] == before


async def test_who_may_not_read_it_is_refused(instance, logged):
    moderator_token = logged[4]
    assert len(await _actions(instance, moderator_token)) == 4  # the default grant includes view_audit_log
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_users"])
    assert (await instance.request("GET", LOG, token=moderator_token))[0] == 403
    user = await instance.token_for(await instance.create_account("burger"), "read write")
    assert (await instance.request("GET", LOG, token=user))[0] == 403
    admin_without_scope = await instance.token_for(logged[0], "read write")
    assert (await instance.request("GET", LOG, token=admin_without_scope))[0] == 403
    assert (await instance.request("GET", LOG))[0] == 401
