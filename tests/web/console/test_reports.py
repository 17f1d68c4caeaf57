"""Reports in the console: the list (open first, resolved and all), a report with its posts as
stored and its reporter, and resolving it with a statement of reasons on a ground picked from
the instance rules or the rooms' rules, through the same domain functions as the API. Every
refusal changes nothing."""

from __future__ import annotations

import re

import pytest

from pubhub.accounts import admin
from pubhub.moderation.permissions import grant_moderators
from pubhub.rooms.directory import room_named, update_room
from pubhub.rooms.hubs import add_moderator
from pubhub.store.models import AuditEntry, Object, Report, Statement
from tests.support.console import post_form, send, signed_in, staff
from tests.support.console_reports import reported_post
from tests.support.rooms import make_hub, make_room
from tests.support.store import count, one

RESOLVE = "/admin/reports/{}/resolve"


async def _nothing_changed(instance, report_id) -> None:
    report = await one(instance, Report, Report.id == int(report_id))
    assert report.action_taken_at is None
    assert await count(instance, Statement) == 0
    assert await count(instance, AuditEntry, AuditEntry.action != "rule.create") == 0
    assert await count(instance, Object, Object.deleted_at.is_not(None)) == 0


async def _opened_by_a_moderator(instance, browser):
    """carol's post reported by jan (tests/support/console_reports.py), its report opened by the
    moderator marit: the scene and the report's page."""
    scene = await reported_post(instance)
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    return scene, await browser.go("GET", f"/admin/reports/{scene.report_id}")


async def _room_rules(instance, target, rules: str) -> None:
    async with instance.runtime.db.write() as session:
        await update_room(instance.runtime, session, None, await room_named(session, target.slug), rules=rules)


async def test_the_list_shows_open_reports_and_filters_resolved_ones(instance, browser):
    scene = await reported_post(instance)
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    listed = await browser.go("GET", "/admin/reports")
    assert listed.status == 200 and f'href="{instance.base}/admin/reports/{scene.report_id}"' in listed.text
    assert "carol" in listed.text and "jan" in listed.text
    assert f"/admin/reports/{scene.report_id}" not in (await browser.go("GET", "/admin/reports?show=resolved")).text
    answer = await post_form(browser, f"/admin/reports/{scene.report_id}", RESOLVE.format(scene.report_id), dict(action="none"))
    assert answer.status == 303
    assert f"/admin/reports/{scene.report_id}" in (await browser.go("GET", "/admin/reports?show=resolved")).text
    assert f"/admin/reports/{scene.report_id}\"" not in (await browser.go("GET", "/admin/reports")).text
    assert f"/admin/reports/{scene.report_id}" in (await browser.go("GET", "/admin/reports?show=all")).text
    # Resolved without a restriction: no statement is owed, the resolution is audited.
    assert await count(instance, Statement) == 0
    assert await count(instance, AuditEntry, AuditEntry.action == "report.resolve") == 1


async def test_a_report_shows_its_post_as_stored_and_its_reporter_escaped(instance, browser):
    scene, page = await _opened_by_a_moderator(instance, browser)
    assert page.status == 200
    stored = await one(instance, Object, Object.uri == scene.post["uri"])
    assert stored.content in page.text  # the stored HTML (ours: composed escaped)
    assert "&lt;b&gt;mij&lt;/b&gt;" in page.text and "<b>mij</b>" not in page.text
    assert "<script>" not in page.text and "Reclame &lt;script&gt;" in page.text
    assert re.search(r'id="reporter">\s*jan', page.text)
    # The grounds offered: the instance rules, and a law.
    assert '<option value="rule:%d">Instance rule: No spam</option>' % scene.rule_ids[0] in page.text
    assert '<option value="law"' in page.text


async def test_resolving_by_removing_the_post_records_a_statement_the_author_reads(instance, browser):
    scene = await reported_post(instance)
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    answer = await post_form(browser, f"/admin/reports/{scene.report_id}", RESOLVE.format(scene.report_id), dict(action="remove", ground=f"rule:{scene.rule_ids[0]}", facts="Sells watches", confirm="yes"))
    assert answer.status == 303 and answer.location == f"/admin/reports/{scene.report_id}"
    page = await browser.go("GET", answer.location)
    assert "Statement of reasons" in page.text and "Sells watches" in page.text
    status, decisions = await instance.request("GET", "/api/v1/pubhub/decisions", token=scene.carol_token)
    assert status == 200 and len(decisions) == 1
    assert (decisions[0]["action"], decisions[0]["ground_kind"], decisions[0]["ground"], decisions[0]["facts"]) == (
        "remove", "rule", "No spam", "Sells watches")
    assert decisions[0]["target"]["status_id"] == scene.post["id"]
    assert (await one(instance, Report, Report.id == int(scene.report_id))).action_taken_at is not None


async def test_resolving_by_suspending_the_author(instance, browser):
    scene = await reported_post(instance)
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    answer = await post_form(browser, f"/admin/reports/{scene.report_id}", RESOLVE.format(scene.report_id), dict(action="suspend", ground="law", law="Wetboek van Strafrecht art. 326",
                             facts="Oplichting", confirm="yes"))
    assert answer.status == 303
    statement = await one(instance, Statement)
    assert (statement.action, statement.ground_kind, statement.ground, statement.report_id) == (
        "suspend", "law", "Wetboek van Strafrecht art. 326", int(scene.report_id))
    assert (await one(instance, Report, Report.id == int(scene.report_id))).action_taken_at is not None


async def _room_report_seen_by_a_moderator_of(instance, browser, hub: str):
    """A report of a post in the room wijkraad (hub oost, two rules), opened by marit, a
    moderator of `hub`."""
    target = await make_room(instance, "wijkraad", hub="oost", post="anyone")
    await _room_rules(instance, target, "1. Blijf bij het onderwerp\n2. Geen reclame")
    scene = await reported_post(instance, room="wijkraad")
    marit = await staff(instance, "marit")
    async with instance.runtime.db.write() as session:
        await add_moderator(session, None, await make_hub(session, instance, hub), marit.id, instance.runtime.clock.now())
    await signed_in(browser, "marit")
    return target, scene, await browser.go("GET", f"/admin/reports/{scene.report_id}")


async def test_a_room_posts_report_offers_the_rooms_rules_to_its_hubs_moderators(instance, browser):
    target, scene, page = await _room_report_seen_by_a_moderator_of(instance, browser, "oost")
    key = f"room:{target.room.id}:2"
    assert f'<option value="{key}">Rule of Wijkraad: 2. Geen reclame</option>' in page.text
    answer = await send(browser, page, RESOLVE.format(scene.report_id), dict(
        action="remove", ground=key, facts="Reclame", confirm="yes"))
    assert answer.status == 303
    statement = await one(instance, Statement)
    assert (statement.ground_kind, statement.ground) == ("room_rule", "Wijkraad: 2. Geen reclame")


# ---- refusals: each changes nothing ----------------------------------------------------------

async def test_a_moderator_of_another_hub_cannot_cite_its_rooms_rules(instance, browser):
    target, scene, page = await _room_report_seen_by_a_moderator_of(instance, browser, "west")
    assert "room:" not in page.text  # not offered
    answer = await send(browser, page, RESOLVE.format(scene.report_id), dict(
        action="remove", ground=f"room:{target.room.id}:1", facts="Reclame", confirm="yes"))
    assert answer.status == 403 and "not allowed" in answer.text
    await _nothing_changed(instance, scene.report_id)


async def test_a_role_without_manage_reports_is_refused_reports(instance, browser):
    scene, page = await _opened_by_a_moderator(instance, browser)
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["view_audit_log"])
    assert (await browser.go("GET", "/admin/reports")).status == 403
    assert (await browser.go("GET", f"/admin/reports/{scene.report_id}")).status == 403
    answer = await send(browser, page, RESOLVE.format(scene.report_id), dict(action="none"))
    assert answer.status == 403
    await _nothing_changed(instance, scene.report_id)


async def test_a_moderator_without_manage_users_may_remove_but_not_suspend(instance, browser):
    scene = await reported_post(instance)
    await staff(instance, "marit")
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_reports"])
    await signed_in(browser, "marit")
    page = await browser.go("GET", f"/admin/reports/{scene.report_id}")
    assert 'value="suspend"' not in page.text and 'value="remove"' in page.text
    answer = await send(browser, page, RESOLVE.format(scene.report_id), dict(action="suspend", ground="law",
                                  law="art. 1", confirm="yes"))
    assert answer.status == 403
    await _nothing_changed(instance, scene.report_id)


@pytest.mark.parametrize("fields, message", [
    ({"action": "remove", "ground": "rule:1", "facts": "x"}, "Tick the box to confirm"),
    ({"action": "suspend", "ground": "law", "law": "art. 1"}, "Tick the box to confirm"),
    ({"action": "remove", "ground": "rule:999", "confirm": "yes"}, "the ground must be one of the rules offered"),
    ({"action": "remove", "ground": "law", "law": " ", "confirm": "yes"}, "a decision must name its ground"),
    ({"action": "delete_everything", "confirm": "yes"}, "the action must be one of"),
])
async def test_a_resolution_the_form_refuses_shows_the_form_again(instance, browser, fields, message):
    scene, page = await _opened_by_a_moderator(instance, browser)
    answer = await send(browser, page, RESOLVE.format(scene.report_id), fields)
    assert answer.status == 422 and message in answer.text and 'role="alert"' in answer.text
    assert any(f["action"] == RESOLVE.format(scene.report_id) for f in answer.forms)
    await _nothing_changed(instance, scene.report_id)


async def test_a_resolution_without_a_session_or_with_an_expired_one_or_a_bad_token_is_refused(instance, browser,
                                                                                                  clock):
    scene, page = await _opened_by_a_moderator(instance, browser)
    fields = {"action": "remove", "ground": f"rule:{scene.rule_ids[0]}", "confirm": "yes"}
    forged = await browser.go("POST", RESOLVE.format(scene.report_id),
                              data={**fields, "authenticity_token": "forged"})
    assert forged.status == 403 and "Form expired" in forged.text
    clock.advance(8 * 3600)  # the session's lifetime (the CSRF cookie's is shorter: a fresh page first)
    page = await browser.go("GET", f"/admin/reports/{scene.report_id}")
    assert page.status == 303
    fresh = await browser.go("GET", "/admin/sign_in")  # a new CSRF cookie; the session cookie is the expired one
    answer = await browser.go("POST", RESOLVE.format(scene.report_id),
                              data={**fields, "authenticity_token": fresh.forms[0]["fields"]["authenticity_token"]})
    assert answer.status == 401 and "Signed out" in answer.text
    browser.http.cookie_jar.clear()
    fresh = await browser.go("GET", "/admin/sign_in")
    answer = await browser.go("POST", RESOLVE.format(scene.report_id),
                              data={**fields, "authenticity_token": fresh.forms[0]["fields"]["authenticity_token"]})
    assert answer.status == 401
    await _nothing_changed(instance, scene.report_id)


async def test_a_resolution_by_an_account_that_is_no_longer_staff_is_refused(instance, browser):
    scene, page = await _opened_by_a_moderator(instance, browser)
    async with instance.runtime.db.write() as session:
        (await admin.account(session, "marit")).role = "user"
    answer = await send(browser, page, RESOLVE.format(scene.report_id), dict(
        action="remove", ground=f"rule:{scene.rule_ids[0]}", facts="x", confirm="yes"))
    assert answer.status == 403 and "for moderators and admins" in answer.text
    await _nothing_changed(instance, scene.report_id)


async def test_max_id_shows_the_open_reports_before_it(instance, browser):
    scene = await reported_post(instance)
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    page = await browser.go("GET", f"/admin/reports?max_id={scene.report_id}")
    assert page.status == 200 and f"/admin/reports/{scene.report_id}\"" not in page.text
    page = await browser.go("GET", f"/admin/reports?max_id={int(scene.report_id) + 1}")
    assert f"/admin/reports/{scene.report_id}\"" in page.text and 'rel="next"' not in page.text  # one: no more
    page = await browser.go("GET", f"/admin/reports?show=all&max_id={scene.report_id}")
    assert f"/admin/reports/{scene.report_id}\"" in page.text  # both lists together are not paged
