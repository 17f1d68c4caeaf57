"""The instance rules, edited by admins (`/api/v1/pubhub/rules`) after PUBHUB_RULES_FILE seeded
them once, and the moderator role's grant (`/api/v1/pubhub/roles/moderator`), over real HTTP."""

from __future__ import annotations

import pytest

from pubhub.config import Rule
from tests.support import store
from tests.support.instance import Instance

RULES = "/api/v1/pubhub/rules"
ROLE = "/api/v1/pubhub/roles/moderator"
FILE_RULES = (Rule("No spam"), Rule("No harassment", "Nor threats"))


@pytest.fixture
async def ruled(database_url):
    server = await Instance(database_url, rules=FILE_RULES).start()
    yield server
    await server.stop()


@pytest.fixture
async def admin(ruled) -> str:
    return await ruled.token_for(await ruled.create_account("beheerder", role="admin"), "read admin:read admin:write")


async def _public_rules(instance) -> list[tuple[str, str]]:
    status, rules = await instance.request("GET", "/api/v1/instance/rules")
    assert status == 200
    return [(rule["id"], rule["text"]) for rule in rules]


async def test_the_rules_file_seeds_the_rules_once(ruled, database_url):
    assert await _public_rules(ruled) == [("1", "No spam"), ("2", "No harassment")]
    await ruled.stop()
    changed = await Instance(database_url, rules=(Rule("Something else"),)).start()  # the file changed since
    try:
        assert await _public_rules(changed) == [("1", "No spam"), ("2", "No harassment")]
    finally:
        await changed.stop()


async def test_an_admin_adds_changes_moves_and_removes_rules(ruled, admin):
    status, added = await ruled.request("POST", RULES, token=admin, json={"text": "Stay on topic", "hint": "Our services"})
    assert status == 200 and (added["text"], added["hint"], added["position"]) == ("Stay on topic", "Our services", 3)
    status, moved = await ruled.request("PUT", f"{RULES}/{added['id']}", token=admin, json={"position": 1})
    assert status == 200 and moved["position"] == 1
    assert [text for _id, text in await _public_rules(ruled)] == ["Stay on topic", "No spam", "No harassment"]

    status, changed = await ruled.request("PUT", f"{RULES}/1", token=admin, json={"text": "No spam, no ads"})
    assert status == 200 and changed["text"] == "No spam, no ads" and changed["hint"] == ""
    status, _ = await ruled.request("DELETE", f"{RULES}/2", token=admin)
    assert status == 200
    assert await _public_rules(ruled) == [(added["id"], "Stay on topic"), ("1", "No spam, no ads")]
    status, listed = await ruled.request("GET", RULES, token=admin)
    assert [rule["id"] for rule in listed] == [added["id"], "1"]
    status, log = await ruled.request("GET", "/api/v1/pubhub/audit_log", token=admin, params={"target_type": "rule"})
    assert [entry["action"] for entry in log] == ["rule.delete", "rule.update", "rule.update", "rule.create"]


async def test_a_removed_rule_cannot_be_cited_but_an_old_report_still_shows_it(ruled, admin):
    bob, carol = await ruled.create_account("bob"), await ruled.create_account("carol")
    bob_token = await ruled.token_for(bob)
    status, report = await ruled.request("POST", "/api/v1/reports", token=bob_token,
                                         json={"account_id": str(carol.id), "rule_ids": ["2"]})
    assert status == 200, report
    await ruled.request("DELETE", f"{RULES}/2", token=admin)

    status, body = await ruled.request("POST", "/api/v1/reports", token=bob_token,
                                       json={"account_id": str(carol.id), "rule_ids": ["2"]})
    assert status == 422 and "rule_ids" in body["error"]
    assert await store.count(ruled, store.Report) == 1
    status, shown = await ruled.request("GET", f"/api/v1/admin/reports/{report['id']}", token=admin)
    assert status == 200 and shown["rules"] == [{"id": "2", "text": "No harassment", "hint": "Nor threats"}]
    status, body = await ruled.request("PUT", f"{RULES}/2", token=admin, json={"text": "Back again"})
    assert status == 404


@pytest.mark.parametrize("payload, problem", [
    ({"text": ""}, "needs its text"),
    ({"text": "   "}, "needs its text"),
    ({"text": "x" * 301}, "at most 300"),
    ({"text": "Fine", "hint": "y" * 1001}, "hint"),
    ({"text": "Fine", "position": 0}, "position"),
])
async def test_a_bad_rule_is_refused_and_changes_nothing(ruled, admin, payload, problem):
    status, body = await ruled.request("POST", RULES, token=admin, json=payload)
    assert status in (400, 422) and problem in body["error"], body
    assert [text for _id, text in await _public_rules(ruled)] == ["No spam", "No harassment"]


@pytest.mark.parametrize("who, scopes", [
    ("moderator", "admin:read admin:write"),  # manage_rules is not granted by default
    ("user", "read write follow"),
    ("admin", "admin:read"),  # reading only
])
async def test_who_may_not_change_the_rules_is_refused(ruled, who, scopes):
    token = await ruled.token_for(await ruled.create_account(f"{who}_1", role=who), scopes)
    for method, path in (("POST", RULES), ("PUT", f"{RULES}/1"), ("DELETE", f"{RULES}/1")):
        status, body = await ruled.request(method, path, token=token, json={"text": "Mine now"})
        assert status == 403 and "error" in body, (method, path)
    assert await _public_rules(ruled) == [("1", "No spam"), ("2", "No harassment")]
    assert (await ruled.request("GET", RULES))[0] == 401


async def test_an_admin_grants_moderators_a_permission_and_takes_it_back(ruled, admin):
    moderator = await ruled.token_for(await ruled.create_account("moderator_1", role="moderator"),
                                      "admin:read admin:write")
    status, role = await ruled.request("GET", ROLE, token=admin)
    assert status == 200 and "manage_rules" not in role["permissions"] and "manage_rules" in role["available"]
    status, role = await ruled.request("PUT", ROLE, token=admin, json={"permissions": ["manage_reports", "manage_rules"]})
    assert status == 200 and role["permissions"] == ["manage_reports", "manage_rules"]
    status, _ = await ruled.request("POST", RULES, token=moderator, json={"text": "Be kind"})
    assert status == 200
    status, _ = await ruled.request("PUT", ROLE, token=admin, json={"permissions": []})
    status, body = await ruled.request("POST", RULES, token=moderator, json={"text": "Be kinder"})
    assert status == 403
    status, log = await ruled.request("GET", "/api/v1/pubhub/audit_log", token=admin, params={"action": "role.update"})
    assert [entry["reason"] for entry in log] == ["nothing granted", "manage_reports manage_rules"]


async def test_only_an_admin_changes_the_grant(ruled, admin):
    moderator = await ruled.token_for(await ruled.create_account("moderator_1", role="moderator"),
                                      "admin:read admin:write")
    status, body = await ruled.request("PUT", ROLE, token=moderator, json={"permissions": ["manage_federation"]})
    assert status == 403
    status, body = await ruled.request("PUT", ROLE, token=admin, json={"permissions": ["rule_the_world"]})
    assert status == 422 and "unknown permission" in body["error"]
    status, role = await ruled.request("GET", ROLE, token=admin)
    assert "manage_federation" not in role["permissions"]
