"""An inbound Flag (another server's report) becomes a report here: signed over HTTP by a remote
peer, applied by the inbox worker; refused when it names nothing of ours or the server's reports
are rejected by a domain block; the same Flag twice is one report."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pubhub.clock import ManualClock
from pubhub.moderation.flags import receive_flag
from tests.support import store
from tests.support.inbox import assert_done, assert_dropped
from tests.support.instance import Instance


async def flag(peer, instance, actor, objects, content="Spam van dit account") -> dict:
    activity = peer.activity("Flag", actor, objects, content=content)
    status, body = await peer.post(f"{instance.base}/inbox", activity, actor)
    assert status == 202, body
    return activity


async def reports(instance) -> list:
    return await store.all_of(instance, store.Report)


async def test_a_flag_of_an_account_and_its_post_becomes_a_report(instance, peer, alice, gemeente):
    token = await instance.token_for(gemeente)
    post = await instance.post_status(token, status="Officieel bericht")
    other = await instance.post_status(await instance.token_for(await instance.create_account("dave")), status="Van dave")
    activity = await flag(peer, instance, alice, [gemeente.uri, post["uri"], other["uri"], "https://elders.example/x"],
                          content="<p>Dit is <b>spam</b></p>")
    await assert_done(instance, activity)
    [report] = await reports(instance)
    assert (report.source, report.account_id, report.reporter_domain, report.uri) == (
        "remote", None, peer.domain, activity["id"])
    assert (report.target_account_id, report.status_ids, report.comment) == (gemeente.id, [int(post["id"])], "Dit is spam")

    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:read")
    status, shown = await instance.request("GET", f"/api/v1/admin/reports/{report.id}", token=admin)
    assert status == 200 and shown["account"] is None and shown["source"] == "remote"
    assert shown["reporter_domain"] == peer.domain and [s["id"] for s in shown["statuses"]] == [post["id"]]


async def test_a_flag_of_a_post_alone_reports_its_author(instance, peer, alice, gemeente):
    post = await instance.post_status(await instance.token_for(gemeente), status="Officieel bericht")
    await assert_done(instance, await flag(peer, instance, alice, post["uri"]))
    [report] = await reports(instance)
    assert (report.target_account_id, report.status_ids) == (gemeente.id, [int(post["id"])])


async def test_a_flag_naming_nothing_of_ours_is_dropped(instance, peer, alice, gemeente):
    for objects in ([alice.uri, "https://elders.example/users/x"], f"{instance.base}/users/niemand", []):
        activity = await flag(peer, instance, alice, objects)
        await assert_dropped(instance, activity, "Flag names no account or post of this instance")
    assert await reports(instance) == []


async def test_a_domain_block_rejecting_reports_drops_the_flag(instance, peer, alice, gemeente):
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:write")
    status, body = await instance.request("POST", "/api/v1/admin/domain_blocks", token=admin, json={
        "domain": peer.host, "severity": "noop", "reject_reports": True})
    assert status == 200, body
    activity = await flag(peer, instance, alice, [gemeente.uri])
    await assert_dropped(instance, activity, f"reports from {peer.host} are rejected (domain block)")
    assert await reports(instance) == []


async def test_a_block_without_reject_reports_lets_the_flag_in(instance, peer, alice, gemeente):
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:write")
    status, _ = await instance.request("POST", "/api/v1/admin/domain_blocks", token=admin, json={
        "domain": peer.host, "severity": "noop"})
    assert status == 200
    await assert_done(instance, await flag(peer, instance, alice, [gemeente.uri]))
    assert len(await reports(instance)) == 1


async def test_the_same_flag_twice_is_one_report(instance, peer, alice, gemeente):
    activity = await flag(peer, instance, alice, [gemeente.uri])
    await assert_done(instance, activity)
    status, _ = await peer.post(f"{instance.base}/inbox", activity, alice)  # the inbox knows its id already
    await instance.settle()
    sender = await store.actor(instance, alice.uri)
    rt = instance.runtime
    async with rt.db.write() as session:  # and should it reach the domain again, it is still one report
        again = await receive_flag(session, rt.urls, sender, activity["id"], [gemeente.uri], "nog eens",
                                   now=rt.clock.now())
    [report] = await reports(instance)
    assert again.id == report.id and report.comment == "Spam van dit account"


async def test_a_report_from_a_flag_is_dated_by_the_instances_clock(database_url, peer, alice):
    """The moderators' queue orders and ages reports by our clock, not the host's."""
    clock = ManualClock(datetime.now(timezone.utc) - timedelta(minutes=30))  # within the signature's Date window
    instance = await Instance(database_url, clock=clock).start()
    try:
        gemeente = await instance.create_account("gemeente")
        await assert_done(instance, await flag(peer, instance, alice, [gemeente.uri]))
        [report] = await reports(instance)
        assert report.created_at == report.updated_at == clock.now()
    finally:
        await instance.stop()
