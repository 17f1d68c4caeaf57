"""Accounts in the console: searching by name, server and state; silencing and suspending with a
ground (a statement of reasons the account reads), a suspension only with the box ticked, and
lifting them, through moderation/accounts.py as the admin API; refused to roles without
manage_users. Every refusal changes nothing."""

from __future__ import annotations

import re

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import Actor, AuditEntry, Statement
from tests.support.console import post_form, signed_in, staff
from tests.support.store import all_of, count, one

PATH = "/admin/accounts"


def _listed(text: str) -> list[str]:
    return re.findall(r'<section class="account" aria-label="([^"]+)">', text)


async def _suspended(instance, account) -> bool:
    return (await one(instance, Actor, Actor.id == account.id)).suspended_at is not None


async def test_the_search_filters_by_name_server_and_state(instance, browser):
    await staff(instance, "marit")
    spammer = await instance.create_account("spammer")
    await instance.create_account("sport")
    await signed_in(browser, "marit")
    domain = instance.runtime.domain
    assert _listed((await browser.go("GET", PATH + "?username=sp")).text) == [f"sport@{domain}", f"spammer@{domain}"]
    assert _listed((await browser.go("GET", PATH + "?domain=elders.example")).text) == []
    await post_form(browser, PATH, f"{PATH}/{spammer.id}/action", {"action": "silence", "ground": "Regel 1",
                                                                  "facts": "Reclame"})
    assert _listed((await browser.go("GET", PATH + "?status=silenced")).text) == [f"spammer@{domain}"]
    assert (await post_form(browser, PATH, f"{PATH}/{spammer.id}/unsilence")).status == 303
    assert _listed((await browser.go("GET", PATH + "?status=silenced")).text) == []
    again = await post_form(browser, PATH, f"{PATH}/{spammer.id}/action", {"action": "silence", "ground": ""})
    assert again.status == 422 and "ground" in again.text and await count(instance, Statement) == 1


async def test_a_suspension_needs_the_box_and_a_ground_and_the_account_reads_it(instance, browser):
    await staff(instance, "marit")
    spammer = await instance.create_account("spammer")
    await signed_in(browser, "marit")
    action = f"{PATH}/{spammer.id}/action"
    refused = await post_form(browser, PATH, action, {"action": "suspend", "ground": "Regel 1"})
    assert refused.status == 422 and 'id="error"' in refused.text and not await _suspended(instance, spammer)
    refused = await post_form(browser, PATH, action, {"action": "suspend", "ground": " ", "confirm": "yes"})
    assert refused.status == 422 and not await _suspended(instance, spammer)
    assert await count(instance, Statement) == 0
    answer = await post_form(browser, PATH, action, {"action": "suspend", "ground_kind": "law", "ground": "art. 6 DSA",
                                                     "facts": "Oplichting", "confirm": "yes"})
    assert answer.status == 303 and await _suspended(instance, spammer)
    statement = await one(instance, Statement, Statement.account_id == spammer.id)
    assert (statement.ground_kind, statement.ground, statement.facts) == ("law", "art. 6 DSA", "Oplichting")
    assert (await post_form(browser, PATH + "?status=suspended", f"{PATH}/{spammer.id}/unsuspend")).status == 303
    assert not await _suspended(instance, spammer)


async def test_staff_and_roles_without_manage_users_are_refused(instance, browser):
    await staff(instance, "marit")
    collega = await staff(instance, "collega")
    spammer = await instance.create_account("spammer")
    await signed_in(browser, "marit")
    refused = await post_form(browser, PATH, f"{PATH}/{collega.id}/action", {"action": "suspend", "ground": "Regel 1",
                                                                              "confirm": "yes"})
    assert refused.status == 403 and not await _suspended(instance, collega)  # only an admin moderates staff
    page = await browser.go("GET", PATH)
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_reports"])
    assert (await browser.go("GET", PATH)).status == 403
    form = next(f for f in page.forms if f["action"] == f"{PATH}/{spammer.id}/action")
    answer = await browser.go("POST", form["action"], data={"authenticity_token": form["fields"]["authenticity_token"],
                                                            "action": "suspend", "ground": "x", "confirm": "yes"})
    assert answer.status == 403 and not await _suspended(instance, spammer)


async def test_max_id_shows_the_accounts_before_it(instance, browser):
    await staff(instance, "marit")
    older, newer = await instance.create_account("eerder"), await instance.create_account("later")
    await signed_in(browser, "marit")
    page = await browser.go("GET", f"/admin/accounts?max_id={newer.id}")
    assert page.status == 200 and "@eerder@" in page.text and "@later@" not in page.text
    assert 'rel="next"' not in page.text  # fewer than a page: nothing older to link to
    assert older.id < newer.id


async def test_marking_sensitive_disabling_and_warning_as_the_api_does(instance, browser):
    await staff(instance, "marit")
    target = await instance.create_account("roeper")
    token = await instance.token_for(target)
    await signed_in(browser, "marit")
    action = f"{PATH}/{target.id}/action"
    for decision in ("sensitive", "disable"):
        answer = await post_form(browser, PATH, action, {"action": decision, "ground": "Regel 2", "facts": "Schokkend"})
        assert answer.status == 303, (decision, answer.text)
    stored = await one(instance, Actor, Actor.id == target.id)
    assert stored.sensitized_at is not None and stored.disabled_at is not None
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token))[0] == 401
    assert sorted(s.action for s in await all_of(instance, Statement)) == ["disable", "sensitive"]
    page = await browser.go("GET", PATH + "?username=roeper")
    assert "media marked sensitive" in page.text and 'value="disable"' not in page.text  # done already

    warned = await post_form(browser, PATH, action, {"action": "none", "ground": "Regel 2", "facts": "Let op je toon"})
    assert warned.status == 303 and await count(instance, Statement) == 2  # a warning owes no statement
    assert [e.action for e in await all_of(instance, AuditEntry)][-1] == "account.warn"

    for lift in ("unsensitive", "enable"):
        assert (await post_form(browser, PATH, f"{PATH}/{target.id}/{lift}")).status == 303, lift
    stored = await one(instance, Actor, Actor.id == target.id)
    assert stored.sensitized_at is None and stored.disabled_at is None
    again = await post_form(browser, PATH + "?username=roeper", action, {"action": "silence", "ground": "Regel 2"})
    assert again.status == 303
    refused = await browser.go("POST", f"{PATH}/{target.id}/enable", data={
        "authenticity_token": (await browser.go("GET", PATH)).forms[0]["fields"]["authenticity_token"]})
    assert refused.status == 422 and "is not disabled" in refused.text  # not disabled now: nothing to lift


async def test_another_servers_account_is_not_disabled_here(instance, browser, peer):
    await staff(instance, "marit")
    alice = peer.add_actor("alice")
    status, found = await instance.request("GET", f"/api/v1/accounts/lookup?acct=alice@{peer.domain}",
                                           token=await instance.token_for(await instance.create_account("lezer")))
    assert status == 200, found
    await signed_in(browser, "marit")
    page = await browser.go("GET", f"{PATH}?domain={peer.domain}")
    assert f"alice@{peer.domain}" in page.text and 'value="disable"' not in page.text
    refused = await post_form(browser, f"{PATH}?domain={peer.domain}", f"{PATH}/{found['id']}/action",
                              {"action": "disable", "ground": "Regel 2"})
    assert refused.status == 422 and "only a local account can be disabled" in refused.text
    assert (await one(instance, Actor, Actor.uri == alice.uri)).disabled_at is None
