"""The transparency report (GET /api/v1/pubhub/transparency, JSON or CSV, and the page
/about/transparency): the figures counted from reports, decisions and appeals made through the
real APIs where there is one (a user's report, another server's Flag, the notice form, a
removal) and through the domain functions otherwise (an automated decision in a hub's room;
appeals, which have no API on this branch yet), for the instance and per hub; the period and
its refusals."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest

from pubhub.clock import ManualClock
from pubhub.accountability.reasons import Grounds, record_decision
from pubhub.store.models import Appeal, Object, Statement
from tests.federation.test_inbox_flag import flag
from tests.support import store
from tests.support.inbox import assert_done
from tests.support.oauth import Browser
from tests.support.rooms import make_room

PATH = "/api/v1/pubhub/transparency"
# Now (another server's signed Flag must be dated now); the activity spans 6 hours, so the
# period asked for is today and tomorrow.
START = datetime.now(timezone.utc).replace(microsecond=0)
HOUR = 3600
DAY, NEXT_DAY = START.date(), START.date() + timedelta(days=1)
SPAN = f"from={DAY}&to={NEXT_DAY}"


@pytest.fixture
def clock():
    return ManualClock(START)


async def _notice(instance, url: str, category: str = "legal") -> None:
    browser = Browser(instance)
    try:
        page = await browser.go("GET", "/report")
        answer = await browser.go("POST", "/report", data={
            "authenticity_token": page.forms[0]["fields"]["authenticity_token"], "url": url, "category": category,
            "law": "Wetboek van Strafrecht, art. 137d", "explanation": "Aanzetten tot haat", "good_faith": "yes"})
        assert answer.status == 200, answer.text
    finally:
        await browser.close()


async def _remove(instance, admin: str, status_id: str, report_id: str | None, kind: str) -> None:
    body = {"kind": kind, "text": "1. No spam" if kind == "rule" else "Art. 137d Sr", "facts": "Seen by a moderator"}
    if report_id:
        body["report_id"] = report_id
    status, answer = await instance.request("POST", f"/api/v1/pubhub/statuses/{status_id}/remove", token=admin,
                                            json=body)
    assert status == 200, answer


@pytest.fixture
async def activity(instance, peer, alice, clock):
    """From START: a user's report (decided after 2 hours), another server's Flag (decided
    after 6 hours), a notice about a post and one about a room (decided after 6 hours), three
    removals (one automated, in hub oost), two appeals."""
    author = await instance.create_account("gemeente")
    token = await instance.token_for(author)
    posts = [await instance.post_status(token, status=f"Bericht {n}") for n in range(3)]
    room = await make_room(instance, "wijkraad", hub="oost")
    bob = await instance.token_for(await instance.create_account("bob"))
    status, local = await instance.request("POST", "/api/v1/reports", token=bob, json={
        "account_id": str(author.id), "status_ids": [posts[0]["id"]], "comment": "Reclame", "category": "spam"})
    assert status == 200, local
    await assert_done(instance, await flag(peer, instance, alice, [author.uri, posts[1]["uri"]]))
    [remote] = [r for r in await store.all_of(instance, store.Report) if r.source == "remote"]
    await _notice(instance, posts[2]["url"])
    await _notice(instance, f"{instance.base}/@wijkraad", "violation")

    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"),
                                     "admin:read admin:write")
    instance.runtime.clock.advance(2 * HOUR)
    await _remove(instance, admin, posts[0]["id"], local["id"], "rule")
    instance.runtime.clock.advance(4 * HOUR)
    await _remove(instance, admin, posts[1]["id"], str(remote.id), "law")
    # The notice about the room is decided without a removal, at the same time: 2, 6 and 6 hours.
    [room_notice] = [r for r in await store.all_of(instance, store.Report) if r.url and r.url.endswith("/@wijkraad")]
    status, _ = await instance.request("POST", f"/api/v1/admin/reports/{room_notice.id}/resolve", token=admin)
    assert status == 200
    rt = instance.runtime
    async with rt.db.write() as session:
        note = await session.get(Object, int(posts[2]["id"]))
        automated = await record_decision(session, by=None, action="remove", status=note, now=rt.clock.now(),
                                          grounds=Grounds("room_rule", "No advertising"), hub_id=room.room.hub_id,
                                          room_id=room.room.id)
    statements = await store.all_of(instance, Statement)
    async with rt.db.write() as session:
        session.add(Appeal(statement_id=statements[0].id, account_id=author.id, text="Geen reclame",
                           state="pending", created_at=rt.clock.now()))
        session.add(Appeal(statement_id=automated.id, account_id=author.id, text="Geen reclame", state="reversed",
                           decided_at=rt.clock.now(), created_at=rt.clock.now()))
    return posts


async def test_the_report_counts_reports_decisions_appeals_and_each_hub(instance, activity):
    status, body = await instance.request("GET", PATH + "?" + SPAN)
    assert status == 200, body
    assert (body["from"], body["to"]) == (DAY.isoformat(), NEXT_DAY.isoformat())
    assert body["reports"] == {"total": 4, "by_source": {"local": 1, "remote": 1, "notice": 2},
                               "by_category": {"other": 1, "spam": 1, "legal": 1, "violation": 1}}
    decisions = body["decisions"]
    assert (decisions["total"], decisions["automated"], decisions["by_action"]["remove"]) == (3, 1, 3)
    assert decisions["by_ground"] == {"rule": 1, "room_rule": 1, "law": 1}
    assert body["reports_decided"] == 3 and body["median_seconds_to_decision"] == 6 * HOUR  # not the mean
    assert body["appeals"] == {"total": 2, "by_state": {"pending": 1, "upheld": 0, "reversed": 1}}
    [hub] = body["hubs"]
    assert (hub["slug"], hub["reports"]["by_source"], hub["reports"]["total"]) == (
        "oost", {"local": 0, "remote": 0, "notice": 1}, 1)
    assert (hub["decisions"]["total"], hub["decisions"]["automated"], hub["decisions"]["by_ground"]["room_rule"]) == (
        1, 1, 1)
    assert hub["appeals"]["by_state"] == {"pending": 0, "upheld": 0, "reversed": 1}
    assert (hub["reports_decided"], hub["median_seconds_to_decision"]) == (1, 6 * HOUR)


async def test_a_period_without_activity_counts_nothing(instance, activity):
    status, body = await instance.request("GET", PATH + f"?from={DAY + timedelta(days=2)}&to={DAY + timedelta(days=30)}")
    assert status == 200
    assert body["reports"]["total"] == body["decisions"]["total"] == body["appeals"]["total"] == 0
    assert body["median_seconds_to_decision"] is None and body["hubs"][0]["reports"]["total"] == 0


async def test_by_default_the_last_twelve_months(instance, activity):
    status, body = await instance.request("GET", PATH)
    today = (START + timedelta(hours=6)).date()
    assert status == 200 and body["to"] == today.isoformat()
    assert body["from"] == (today.replace(year=today.year - 1) + timedelta(days=1)).isoformat()
    assert body["reports"]["total"] == 4


async def get(instance, path: str, accept: str) -> tuple[int, dict, str]:
    async with aiohttp.ClientSession() as http:
        async with http.get(instance.base + path, headers={"Accept": accept}) as response:
            return response.status, dict(response.headers), await response.text()


async def test_csv_with_accept_text_csv(instance, activity):
    status, headers, text = await get(instance, PATH + "?" + SPAN, "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(rows[0]) == {"from", "to", "scope", "figure", "kind", "value"}
    value = {(r["scope"], r["figure"], r["kind"]): r["value"] for r in rows}
    assert value[("instance", "reports_by_source", "notice")] == "2"
    assert value[("instance", "decisions_by_ground", "law")] == "1"
    assert value[("instance", "decisions_automated", "")] == "1"
    assert value[("instance", "median_seconds_to_decision", "")] == str(6 * HOUR)
    assert value[("instance", "appeals_by_state", "reversed")] == "1"
    assert value[("hub:oost", "decisions_by_action", "remove")] == "1"
    assert {(r["from"], r["to"]) for r in rows} == {(DAY.isoformat(), NEXT_DAY.isoformat())}


@pytest.mark.parametrize("query", [
    "from=yesterday", "to=2026-13-01", "from=20260101", "from=2026-06-02&to=2026-06-01",
    "from=2020-01-01&to=2026-06-01", "from=2026-W01-1",
])
async def test_a_bad_period_is_422(instance, query):
    status, body = await instance.request("GET", f"{PATH}?{query}")
    assert status == 422 and "error" in body


async def test_the_page_shows_the_figures_to_anyone_and_the_front_page_links_to_it(instance, activity):
    status, headers, page = await get(instance, "/about/transparency?" + SPAN, "text/html")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert page.count("<h1>") == 1 and "<script" not in page and "script-src" not in policy
    assert "Reports received: 4" in page and "Decisions with a statement of reasons: 3" in page
    assert 'id="instance-median">6 h 0 min<' in page and 'id="instance-automated">1<' in page
    assert "Hub: Oost" in page or "Hub: oost" in page
    assert 'class="bar w20"' in page and "style=" not in page
    assert f'href="{instance.base}/about/transparency"' in (await get(instance, "/", "text/html"))[2]
    status, _, page = await get(instance, "/about/transparency?from=nope", "text/html")
    assert status == 422 and "YYYY-MM-DD" in page
