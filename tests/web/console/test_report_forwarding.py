"""Forwarding a report from the console: a report about another server's account offers
"Forward to SERVER", which sends it there as the admin API's forward does (a Flag from the
instance actor, never naming the reporter; moderation/flags.forward_report) and shows it
forwarded; a report about one of ours offers nothing and a forged post is refused (422), as
are a role without manage_reports (403) and a post without its CSRF token. Refusals change and
send nothing."""

from __future__ import annotations

import pytest

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import AuditEntry, Delivery, Report
from tests.support.console import send, signed_in, staff
from tests.support import console_reports
from tests.support.console_reports import reported_post
from tests.support.store import all_of, count, one

FORWARD = "/admin/reports/{}/forward"


@pytest.fixture
async def remote_report(instance, peer, alice) -> tuple[str, str]:
    return await console_reports.remote_report(instance, peer, alice)


async def _nothing_sent(instance, peer, report_id) -> None:
    await instance.settle()
    assert peer.received_of_type("Flag") == [] and await count(instance, Delivery) == 0
    assert not (await one(instance, Report, Report.id == int(report_id))).forwarded
    assert await count(instance, AuditEntry, AuditEntry.action == "report.forward") == 0


async def test_a_moderator_forwards_a_report_to_the_remote_server(instance, peer, alice, browser, remote_report):
    report_id, note_uri = remote_report
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    page = await browser.go("GET", f"/admin/reports/{report_id}")
    assert f"Forward to {peer.domain}" in page.text and "not forwarded" in page.text
    answer = await send(browser, page, FORWARD.format(report_id))
    assert answer.status == 303 and answer.location == f"/admin/reports/{report_id}"
    shown = await browser.go("GET", answer.location)
    assert f"forwarded to {peer.domain}" in shown.text
    assert not any(f["action"] == FORWARD.format(report_id) for f in shown.forms)
    again = await send(browser, page, FORWARD.format(report_id))  # the old page's button: sent once only
    assert again.status == 303
    await instance.settle()
    [sent] = peer.received_of_type("Flag")
    assert sent.verified and sent.activity["actor"] == f"{instance.base}/actor"
    assert (sent.activity["object"], sent.activity["content"]) == ([alice.uri, note_uri], "Reclame")
    assert "jan" not in sent.body.decode()  # the reporter is never named
    [entry] = await all_of(instance, AuditEntry)
    assert (entry.action, entry.target_id, entry.actor_name) == ("report.forward", report_id, "marit")


async def test_a_report_about_one_of_ours_is_not_forwarded(instance, peer, browser):
    scene = await reported_post(instance)
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    page = await browser.go("GET", f"/admin/reports/{scene.report_id}")
    assert "Forward to" not in page.text and not any(f["action"] == FORWARD.format(scene.report_id) for f in page.forms)
    token = page.forms[0]["fields"]["authenticity_token"]
    answer = await browser.go("POST", FORWARD.format(scene.report_id), data={"authenticity_token": token})
    assert answer.status == 422 and "only a report about an account of another server" in answer.text
    dutch = await browser.go("POST", FORWARD.format(scene.report_id), data={"authenticity_token": token},
                             headers={"Accept-Language": "nl"})
    assert dutch.status == 422 and "alleen een melding over een account van een andere server" in dutch.text
    await _nothing_sent(instance, peer, scene.report_id)


async def test_forwarding_needs_manage_reports_and_the_forms_token(instance, peer, browser, remote_report):
    report_id, _ = remote_report
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    page = await browser.go("GET", f"/admin/reports/{report_id}")
    forged = await browser.go("POST", FORWARD.format(report_id), data={"authenticity_token": "forged"})
    assert forged.status == 403 and "Form expired" in forged.text
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_appeals"])
    answer = await send(browser, page, FORWARD.format(report_id))
    assert answer.status == 403
    await _nothing_sent(instance, peer, report_id)
