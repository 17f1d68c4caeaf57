"""Appeals in the console: the list (pending first, the decided ones by state), an appeal with
the decision and the post it is about, and deciding it through the same domain function as the
API's uphold and reverse: by another moderator only, once, with an explanation, a reversal
confirmed; a reversal lifts the restriction or restores the post. Every refusal changes nothing."""

from __future__ import annotations

import re

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import Actor, Appeal, AuditEntry, Object, RoomBan, Statement
from tests.support.console import send, signed_in, staff
from tests.support.console_appeals import appealed_decision
from tests.support.rooms import make_moderator, make_room
from tests.support.store import all_of, count, one

DECIDE = "/admin/appeals/{}/decide"


async def _snapshot(instance, scene) -> tuple:
    carol = await one(instance, Actor, Actor.id == scene.carol.id)
    note = await one(instance, Object, Object.uri == scene.post["uri"])
    statements = [(s.id, s.reversed_at, s.removed_content is None) for s in await all_of(instance, Statement)]
    appeals = [(a.id, a.state, a.outcome, a.decided_by_id) for a in await all_of(instance, Appeal)]
    return (carol.silenced_at, carol.suspended_at, note.deleted_at, note.content, statements, appeals,
            await count(instance, AuditEntry))


async def _opened_by(instance, browser, scene, username: str):
    await signed_in(browser, username)
    page = await browser.go("GET", f"/admin/appeals/{scene.appeal_id}")
    assert page.status == 200, page.text
    return page


async def test_the_list_shows_pending_appeals_with_their_decision_and_filters_decided_ones(instance, browser):
    scene = await appealed_decision(instance, "silence")
    await staff(instance, "piet")
    await signed_in(browser, "piet")
    listed = await browser.go("GET", "/admin/appeals")
    assert listed.status == 200
    row = re.search(r'<tr><th scope="row"><a href="[^"]*/admin/appeals/%s">.*?</tr>' % scene.appeal_id, listed.text,
                    re.S).group(0)
    assert "carol" in row and "the account was limited" in row and "Huisregel 2: geen intimidatie" in row
    assert "Drie dreigende berichten" in row and "by marit" in row and "<strong>pending</strong>" in row
    assert "Het was &lt;i&gt;satire&lt;/i&gt;" in row and "<i>satire" not in listed.text  # the appeal's text, escaped
    assert f"/admin/appeals/{scene.appeal_id}" not in (await browser.go("GET", "/admin/appeals?show=upheld")).text
    page = await browser.go("GET", f"/admin/appeals/{scene.appeal_id}")
    answer = await send(browser, page, DECIDE.format(scene.appeal_id), dict(outcome="uphold", explanation="Terecht"))
    assert answer.status == 303
    assert f"/admin/appeals/{scene.appeal_id}\"" not in (await browser.go("GET", "/admin/appeals")).text
    for show, listed in (("upheld", True), ("reversed", False), ("all", True)):
        assert (f"/admin/appeals/{scene.appeal_id}\"" in (await browser.go("GET", f"/admin/appeals?show={show}")).text
                ) is listed, show
    dashboard = await browser.go("GET", "/admin")
    assert f'<a href="{instance.base}/admin/appeals">0 pending appeals</a>' in dashboard.text


async def test_the_dashboard_links_the_pending_appeals_and_the_oldest(instance, browser):
    await appealed_decision(instance, "silence")
    await staff(instance, "piet")
    await signed_in(browser, "piet")
    async with instance.runtime.db.write() as session:  # the report is resolved: the appeal waits longest
        await grant_moderators(session, ["manage_appeals"])
    page = await browser.go("GET", "/admin")
    assert f'<a href="{instance.base}/admin/appeals">1 pending appeal</a>' in page.text
    assert f'id="oldest"><a href="{instance.base}/admin/appeals">the oldest pending appeal</a>' in page.text


async def test_a_role_without_manage_appeals_is_refused_appeals(instance, browser):
    scene = await appealed_decision(instance, "silence")
    await staff(instance, "piet")
    page = await _opened_by(instance, browser, scene, "piet")
    before = await _snapshot(instance, scene)
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_reports"])
    assert (await browser.go("GET", "/admin/appeals")).status == 403
    assert (await browser.go("GET", f"/admin/appeals/{scene.appeal_id}")).status == 403
    answer = await send(browser, page, DECIDE.format(scene.appeal_id), dict(outcome="reverse", explanation="x",
                                                                          confirm="yes"))
    assert answer.status == 403 and "This action is not allowed" in answer.text
    assert await _snapshot(instance, scene) == before


async def test_the_moderator_who_took_the_decision_does_not_decide_its_appeal(instance, browser):
    scene = await appealed_decision(instance, "silence")
    page = await _opened_by(instance, browser, scene, "marit")
    assert 'id="not-yours"' in page.text and not any(f["action"] == DECIDE.format(scene.appeal_id) for f in page.forms)
    before = await _snapshot(instance, scene)
    token = page.forms[0]["fields"]["authenticity_token"]  # the sign-out form's: a valid one
    fields = dict(outcome="reverse", explanation="Ik zie het anders", confirm="yes", authenticity_token=token)
    answer = await browser.go("POST", DECIDE.format(scene.appeal_id), data=fields)
    assert answer.status == 403 and "a different moderator decides this appeal" in answer.text
    dutch = await browser.go("POST", DECIDE.format(scene.appeal_id), data=fields, headers={"Accept-Language": "nl"})
    assert dutch.status == 403 and "een andere moderator beslist over dit bezwaar" in dutch.text
    assert await _snapshot(instance, scene) == before


async def test_another_moderator_reverses_a_silence_which_is_lifted(instance, browser):
    scene = await appealed_decision(instance, "silence")
    await staff(instance, "piet")
    page = await _opened_by(instance, browser, scene, "piet")
    assert re.search(r'id="appellant">\s*carol', page.text) and "Drie dreigende berichten" in page.text
    before = await _snapshot(instance, scene)
    assert before[0] is not None  # silenced
    unconfirmed = await send(browser, page, DECIDE.format(scene.appeal_id), dict(outcome="reverse",
                                                                                 explanation="Satire"))
    assert unconfirmed.status == 422 and "Tick the box to confirm" in unconfirmed.text
    assert 'role="alert"' in unconfirmed.text and "Satire</textarea>" in unconfirmed.text
    assert await _snapshot(instance, scene) == before
    answer = await send(browser, unconfirmed, DECIDE.format(scene.appeal_id), dict(
        outcome="reverse", explanation="Satire, geen dreiging", confirm="yes"))
    assert answer.status == 303 and answer.location == f"/admin/appeals/{scene.appeal_id}"
    assert (await one(instance, Actor, Actor.id == scene.carol.id)).silenced_at is None
    status, decision = await instance.request("GET", f"/api/v1/pubhub/decisions/{scene.decision_id}",
                                              token=scene.carol_token)
    assert decision["reversed_at"] is not None
    assert (decision["appeal"]["state"], decision["appeal"]["outcome"]) == ("reversed", "Satire, geen dreiging")
    shown = await browser.go("GET", answer.location)
    assert "reversed: the decision was undone" in shown.text and "by piet:" in shown.text
    assert not any(f["action"] == DECIDE.format(scene.appeal_id) for f in shown.forms)
    assert [e.action for e in await all_of(instance, AuditEntry) if e.statement_id == int(scene.decision_id)] == [
        "account.silence", "appeal.create", "account.unsilence", "appeal.reverse"]


async def test_a_removed_post_is_shown_as_kept_and_restored_when_reversed(instance, browser):
    scene = await appealed_decision(instance, "remove")
    await staff(instance, "piet")
    page = await _opened_by(instance, browser, scene, "piet")
    removed = await one(instance, Object, Object.uri == scene.post["uri"])
    assert removed.deleted_at is not None and removed.content == ""
    statement = await one(instance, Statement)
    assert "kept as it was for the appeal" in page.text
    assert statement.removed_content["content"] in page.text  # the stored HTML: ours, composed escaped
    assert "&lt;b&gt;mij&lt;/b&gt;" in page.text and "<b>mij</b>" not in page.text
    answer = await send(browser, page, DECIDE.format(scene.appeal_id), dict(
        outcome="reverse", explanation="Geen reclame", confirm="yes"))
    assert answer.status == 303
    restored = await one(instance, Object, Object.uri == scene.post["uri"])
    assert restored.deleted_at is None and restored.content == statement.removed_content["content"]


async def test_upholding_needs_an_explanation_and_an_appeal_is_decided_once(instance, browser):
    scene = await appealed_decision(instance, "silence")
    await staff(instance, "piet")
    page = await _opened_by(instance, browser, scene, "piet")
    before = await _snapshot(instance, scene)
    for fields, message in ((dict(outcome="uphold", explanation="  "), "explain the outcome"),
                            (dict(explanation="Terecht"), "Choose whether to uphold or to reverse")):
        answer = await send(browser, page, DECIDE.format(scene.appeal_id), fields)
        assert answer.status == 422 and message in answer.text and 'role="alert"' in answer.text
        assert await _snapshot(instance, scene) == before
    answer = await send(browser, page, DECIDE.format(scene.appeal_id), dict(outcome="uphold", explanation="Terecht"))
    assert answer.status == 303
    upheld = await _snapshot(instance, scene)
    assert upheld[0] is not None and upheld[5][0][1:3] == ("upheld", "Terecht")  # still silenced
    again = await send(browser, page, DECIDE.format(scene.appeal_id), dict(outcome="reverse", explanation="Toch niet",
                                                                          confirm="yes"))
    assert again.status == 422 and "this appeal was upheld already" in again.text and 'role="alert"' in again.text
    assert await _snapshot(instance, scene) == upheld


async def test_an_appeal_that_does_not_exist_is_not_found(instance, browser):
    await staff(instance, "piet")
    await signed_in(browser, "piet")
    assert (await browser.go("GET", "/admin/appeals/999999")).status == 404


async def test_another_moderator_reverses_a_room_ban_which_is_lifted_in_the_room(instance, browser):
    room = await make_room(instance)
    member = await instance.create_account("burger")
    member_token = await instance.token_for(member)
    assert (await instance.request("POST", f"/api/v1/accounts/{room.actor.id}/follow", token=member_token))[0] == 200
    anna = await instance.token_for(await make_moderator(instance, "anna"), "admin:read admin:write")
    status, _ = await instance.request("POST", f"/api/v1/pubhub/rooms/{room.room.id}/members/{member.id}/ban",
                                       token=anna, json={"reason": "Regel 2: geen scheldwoorden"})
    assert status == 200
    status, [ban] = await instance.request("GET", "/api/v1/pubhub/decisions", token=member_token)
    status, appealed = await instance.request("POST", f"/api/v1/pubhub/decisions/{ban['id']}/appeal",
                                              token=member_token, json={"text": "Het was een citaat"})
    assert status == 200, appealed
    await staff(instance, "piet")  # no moderator of the room's hub: deciding appeals is instance-wide
    await signed_in(browser, "piet")
    path = f"/admin/appeals/{appealed['appeal']['id']}"
    page = await browser.go("GET", path)
    assert "the account was banned from the room" in page.text and "Regel 2: geen scheldwoorden" in page.text
    answer = await send(browser, page, DECIDE.format(appealed["appeal"]["id"]), dict(
        outcome="reverse", explanation="Een citaat is geen scheldpartij", confirm="yes"))
    assert answer.status == 303
    assert await count(instance, RoomBan) == 0
    status, decision = await instance.request("GET", f"/api/v1/pubhub/decisions/{ban['id']}", token=member_token)
    assert decision["appeal"]["state"] == "reversed" and decision["reversed_at"] is not None
    assert "Reversed on" in (await browser.go("GET", path)).text
