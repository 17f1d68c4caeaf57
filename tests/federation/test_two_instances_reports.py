"""A report between two real PubHub instances (real HTTP, real signatures): B's user reports a
post of A's, asking to forward it; B's instance actor sends A a Flag, which becomes a report on
A; A's moderator removes the post with a statement of reasons through A's API, which resolves
the report; the Delete reaches B, whose copy is gone; the author on A has the statement."""

from __future__ import annotations

from pubhub.store.models import AuditEntry, Statement
from tests.federation.test_two_instances import follow_across, lookup, note_by_uri, settle
from tests.support import store
from tests.support.instance import Instance


async def test_a_report_from_b_is_decided_on_a_and_the_removal_reaches_b(make_database):
    a = await Instance(await make_database()).start()
    b = await Instance(await make_database()).start()
    try:
        gemeente = await a.create_account("gemeente")
        gemeente_token = await a.token_for(gemeente)
        moderator = await a.token_for(await a.create_account("moderator", role="moderator"), "admin:read admin:write")
        burger = await b.create_account("burger")
        burger_token = await b.token_for(burger)
        await follow_across(a, b, burger_token, f"gemeente@{a.domain}")
        post = await a.post_status(gemeente_token, status="Koop nu goedkope horloges bij ons")
        await settle(a, b)
        copy = await note_by_uri(b, post["uri"])
        assert copy is not None and copy.deleted_at is None

        # B's user reports it, and asks for the report to be forwarded to A.
        account = await lookup(b, burger_token, f"gemeente@{a.domain}")
        status, filed = await b.request("POST", "/api/v1/reports", token=burger_token, json={
            "account_id": account["id"], "status_ids": [str(copy.id)], "comment": "Reclame", "forward": True})
        assert status == 200 and filed["forwarded"] is True, filed
        await settle(a, b)

        # The Flag reached A as a report, from B's server and without B's user.
        status, open_reports = await a.request("GET", "/api/v1/admin/reports", token=moderator)
        assert status == 200 and len(open_reports) == 1, open_reports
        report = open_reports[0]
        assert (report["account"], report["reporter_domain"], report["comment"]) == (None, b.domain, "Reclame")
        assert report["target_account"]["id"] == str(gemeente.id)
        assert [s["id"] for s in report["statuses"]] == [post["id"]]
        assert "burger" not in str(report)

        # A's moderator removes the post with a statement of reasons, answering the report.
        status, removed = await a.request("POST", f"/api/v1/pubhub/statuses/{post['id']}/remove", token=moderator,
                                          json={"kind": "rule", "text": "1. No advertising",
                                                "facts": "Sells watches", "report_id": report["id"]})
        assert status == 200, removed
        await settle(a, b)

        assert (await note_by_uri(b, post["uri"])).deleted_at is not None  # B's copy is gone
        status, _ = await b.request("GET", f"/api/v1/statuses/{copy.id}", token=burger_token)
        assert status == 404
        status, shown = await a.request("GET", f"/api/v1/admin/reports/{report['id']}", token=moderator)
        assert shown["action_taken"] is True

        # The statement is the author's, on A, and the decision is in A's audit log.
        [statement] = await store.all_of(a, Statement, Statement.account_id == gemeente.id)
        assert (statement.id, statement.action, statement.ground, statement.facts) == (
            int(removed["statement"]["id"]), "remove", "1. No advertising", "Sells watches")
        assert statement.report_id == int(report["id"]) and statement.object_uri == post["uri"]
        assert {e.action for e in await store.all_of(a, AuditEntry)} == {"status.remove", "report.resolve"}

        # The author reads the reasons and appeals once; a moderator other than the one who
        # removed it decides, and the author reads the outcome.
        status, decisions = await a.request("GET", "/api/v1/pubhub/decisions", token=gemeente_token)
        assert status == 200 and [d["id"] for d in decisions] == [str(statement.id)]
        assert (decisions[0]["ground"], decisions[0]["facts"]) == ("1. No advertising", "Sells watches")
        status, appealed = await a.request("POST", f"/api/v1/pubhub/decisions/{statement.id}/appeal",
                                           token=gemeente_token, json={"text": "It was our own market's advert"})
        assert status == 200 and appealed["appeal"]["state"] == "pending", appealed
        status, pending = await a.request("GET", "/api/v1/pubhub/appeals", token=moderator)
        assert status == 200 and len(pending) == 1
        status, _ = await a.request("POST", f"/api/v1/pubhub/appeals/{pending[0]['id']}/uphold", token=moderator,
                                    json={"explanation": "I decided it myself"})
        assert status == 403  # not the moderator who removed it
        other = await a.token_for(await a.create_account("tweede", role="moderator"), "admin:read admin:write")
        status, _ = await a.request("POST", f"/api/v1/pubhub/appeals/{pending[0]['id']}/uphold", token=other,
                                    json={"explanation": "Commercial adverts are not allowed, also our own"})
        assert status == 200
        status, decided = await a.request("GET", f"/api/v1/pubhub/decisions/{statement.id}", token=gemeente_token)
        assert (decided["appeal"]["state"], decided["appeal"]["outcome"]) == (
            "upheld", "Commercial adverts are not allowed, also our own")
    finally:
        await a.stop()
        await b.stop()
