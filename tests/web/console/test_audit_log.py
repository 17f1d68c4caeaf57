"""The audit log in the console: every entry newest first, read through the API's own function,
filtered by action, moderator and target; refused to roles without view_audit_log and to
anyone not signed in as staff."""

from __future__ import annotations

import re

from pubhub.accountability import audit
from pubhub.moderation.permissions import grant_moderators
from tests.support.console import signed_in, staff

LOG = "/admin/audit_log"


async def _logged(instance):
    """A suspension by the moderator marit and a silence by the admin beheer, over the API."""
    marit, beheer = await staff(instance, "marit"), await staff(instance, "beheer", role="admin")
    targets = [await instance.create_account(name) for name in ("spammer", "roeper")]
    for by, target, action in ((beheer, targets[1], "silence"), (marit, targets[0], "suspend")):
        token = await instance.token_for(by, "read write admin:read admin:write")
        status, _ = await instance.request("POST", f"/api/v1/admin/accounts/{target.id}/action", token=token,
                                           json={"type": action, "text": f"{action}: <b>reclame</b>"})
        assert status == 200
    return targets


def _actions(text: str) -> list[str]:
    return re.findall(r"<td><code>([a-z_.]+)</code></td>", text)


async def test_the_log_is_listed_newest_first_with_who_what_and_why(instance, browser):
    spammer, roeper = await _logged(instance)
    await signed_in(browser, "marit")
    page = await browser.go("GET", LOG)
    assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
    assert _actions(page.text) == ["account.suspend", "account.silence"]
    assert f"account {spammer.id}: spammer" in page.text and f"account {roeper.id}: roeper" in page.text
    assert "suspend: &lt;b&gt;reclame&lt;/b&gt;" in page.text and "<b>reclame</b>" not in page.text
    assert re.search(r"<td>marit</td>\s*<td><code>account.suspend", page.text)


async def test_the_filters_narrow_it_as_the_api_does(instance, browser):
    spammer, roeper = await _logged(instance)
    await signed_in(browser, "marit")
    assert _actions((await browser.go("GET", LOG + "?action=account.silence")).text) == ["account.silence"]
    assert _actions((await browser.go("GET", LOG + "?moderator=beheer")).text) == ["account.silence"]
    assert _actions((await browser.go("GET", LOG + "?moderator=%40Marit")).text) == ["account.suspend"]
    assert _actions((await browser.go("GET", LOG + "?moderator=niemand")).text) == []  # not the whole log
    page = await browser.go("GET", f"{LOG}?target_type=account&target_id={spammer.id}")
    assert _actions(page.text) == ["account.suspend"] and '<option value="account" selected>' in page.text
    assert _actions((await browser.go("GET", LOG + "?target_type=report")).text) == []
    assert _actions((await browser.go("GET", LOG + "?action=" + "x" * 5000)).text) == []


async def test_a_role_without_view_audit_log_and_a_visitor_without_a_session_are_refused(instance, browser):
    await _logged(instance)
    await signed_in(browser, "marit")
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_reports"])
    refused = await browser.go("GET", LOG)
    assert refused.status == 403 and "account.suspend" not in refused.text
    browser.http.cookie_jar.clear()
    answer = await browser.go("GET", LOG)
    assert answer.status == 303 and answer.location == "/admin/sign_in"


async def test_older_entries_are_a_page_away_with_the_filter_kept(instance, browser):
    """101 entries of one action and one of another: the first page shows the newest 100 of the
    filtered action and links to the one before them; that page has no further link."""
    await staff(instance, "marit")
    rt = instance.runtime
    async with rt.db.write() as session:
        await audit.record(session, by=None, action="domain_block.create", target=("domain_block", 1, "x.example"),
                           now=rt.clock.now())
        for number in range(101):
            await audit.record(session, by=None, action="report.resolve", target=("report", number, f"report {number}"),
                               now=rt.clock.now())
    await signed_in(browser, "marit")
    first = await browser.go("GET", LOG + "?action=report.resolve")
    assert _actions(first.text) == ["report.resolve"] * 100 and "report 100" in first.text
    older = re.search(r'<a rel="next" href="([^"]+)">Older entries</a>', first.text).group(1).replace("&amp;", "&")
    assert "action=report.resolve" in older
    last = await browser.go("GET", older)
    assert last.status == 200 and _actions(last.text) == ["report.resolve"] and "report 0:" in last.text
    assert 'rel="next"' not in last.text
    assert (await browser.go("GET", LOG + "?max_id=nonsense")).status == 200  # the first page
