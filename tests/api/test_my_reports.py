"""GET /api/v1/pubhub/reports: a reporter reads their own reports and what became of them (the
removal with a statement of reasons, end to end, is in tests/api/test_status_removal.py)."""

from __future__ import annotations

from pubhub.accountability.reasons import Grounds, record_decision
from tests.support import store

MINE = "/api/v1/pubhub/reports"


async def test_a_reporter_reads_only_their_own_reports_with_state_and_statement(instance):
    bob, carol, dave = [await instance.create_account(name) for name in ("bob", "carol", "dave")]
    admin = await instance.create_account("beheerder", role="admin")
    bob_token, dave_token = await instance.token_for(bob), await instance.token_for(dave)
    post = await instance.post_status(await instance.token_for(carol), status="Koop horloges")
    filed = []
    for fields in ({"comment": "eerste"}, {"comment": "tweede", "status_ids": [post["id"]]}):
        status, body = await instance.request("POST", "/api/v1/reports", token=bob_token,
                                              json={"account_id": str(carol.id), **fields})
        filed.append(body)
    status, _ = await instance.request("POST", "/api/v1/reports", token=dave_token, json={"account_id": str(carol.id)})
    assert status == 200

    rt = instance.runtime
    async with rt.db.write() as session:  # a moderator decides on bob's second report
        note = await session.get(store.Object, int(post["id"]))
        report = await session.get(store.Report, int(filed[1]["id"]))
        report.action_taken_at, report.action_taken_by_id = rt.clock.now(), admin.id
        statement = await record_decision(session, by=admin, action="remove", status=note, report_id=report.id,
                                          now=rt.clock.now(), grounds=Grounds("rule", "1. No spam", "Advertising"))

    status, mine = await instance.request("GET", MINE, token=bob_token)
    assert status == 200 and [r["id"] for r in mine] == [filed[1]["id"], filed[0]["id"]]
    decided, open_one = mine
    assert (decided["state"], decided["action_taken"], decided["target_account"]["acct"]) == ("resolved", True, "carol")
    assert decided["statement"]["id"] == str(statement.id)
    assert (decided["statement"]["action"], decided["statement"]["ground"], decided["statement"]["facts"]) == (
        "remove", "1. No spam", "Advertising")
    assert (open_one["state"], open_one["statement"], open_one["comment"]) == ("open", None, "eerste")
    status, theirs = await instance.request("GET", MINE, token=dave_token)
    assert status == 200 and len(theirs) == 1 and theirs[0]["statement"] is None

    status, page = await instance.request("GET", MINE, token=bob_token, params={"limit": "1"})
    assert [r["id"] for r in page] == [filed[1]["id"]]


async def test_without_the_scope_or_a_token_it_is_refused(instance):
    bob = await instance.create_account("bob")
    for token, expected in ((await instance.token_for(bob, "write"), 403), (None, 401)):
        status, body = await instance.request("GET", MINE, token=token)
        assert status == expected and "error" in body
