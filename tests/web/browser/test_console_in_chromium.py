"""The moderator console in headless Chromium, in Dutch and in English: every page passes
axe-core (WCAG 2.1 AA rules) with no serious or critical violation, the main actions are reached
with Tab alone and show where the focus is (:focus-visible), and nothing is blocked or
complained about (no script runs: the pages have none)."""

from __future__ import annotations

import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe

from pubhub.moderation.domain_blocks import block_domain
from pubhub.moderation.permissions import DEFAULT_GRANT, grant_moderators
from tests.support.browser import tab_in
from tests.support.console import staff
from tests.support.console_appeals import appealed_decision
from tests.support.console_reports import remote_report, reported_post
from tests.support.console_rooms import join_room, moderate_hub
from tests.support.instance import Instance
from tests.support.keyboard import reach, tab_to
from tests.support.oauth import PASSWORD
from tests.support.peer import RemotePeer
from tests.support.rooms import make_room, submit

pytestmark = pytest.mark.asyncio(loop_scope="session")
AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    """A Dutch instance with a reported post and a room whose queue holds a post, whose author
    is a member; marit moderates its hub and may manage federation; one server is blocked; the
    author appealed a decision joost took about her; a report about an account of another server
    waits to be forwarded."""
    url = await databases.new()
    server = await Instance(url, languages=("nl", "en")).start()
    peer = await RemotePeer().start()
    server.scene = await reported_post(server)
    server.appeal = await appealed_decision(server, "sensitive", deciding="joost", scene=server.scene)
    server.remote_report, _ = await remote_report(server, peer, peer.add_actor("alice", key_index=1), reporter="henk")
    server.room = await make_room(server, "wijkraad", moderation="pre", post="anyone")
    await submit(server, "wijkraad", server.scene.post["uri"])
    await join_room(server, server.scene.carol_token, server.room)
    await moderate_hub(server, await staff(server, "marit"), "oost")
    async with server.runtime.db.write() as session:  # a block (and its audit entry) for their pages to show
        await grant_moderators(session, [*DEFAULT_GRANT, "manage_federation"])
        await block_domain(server.runtime, session, "spam.example", by=None, public_comment="Reclame")
    yield server
    await peer.stop()
    await server.stop()
    await databases.drop(url)


@pytest_asyncio.fixture(loop_scope="session", params=["nl", "en"])
async def tab(chromium, request):
    """A tab whose browser asks for `language` (Accept-Language and the page's locale)."""
    visit = await tab_in(chromium, request.param, 1024, 800)
    yield visit
    await visit.context.close()


async def serious_violations(visit) -> list[str]:
    results = await AXE.run(visit.page, options=WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


async def sign_in(site, tab) -> None:
    await tab.open(site.base + "/admin/sign_in")
    await tab.page.fill("#username", "marit")
    await tab.page.fill("#password", PASSWORD)
    async with tab.page.expect_navigation():
        await tab.page.press("#password", "Enter")


async def test_every_console_page_passes_axe_in_both_languages(site, tab):
    report = f"/admin/reports/{site.scene.report_id}"
    room = f"/admin/rooms/{site.room.room.id}"
    await tab.open(site.base + "/admin/sign_in")
    assert await tab.page.get_attribute("html", "lang") == tab.language
    pages = {"/admin/sign_in": await serious_violations(tab)}
    await sign_in(site, tab)
    appeal = f"/admin/appeals/{site.appeal.appeal_id}"
    for path in ("/admin", "/admin/rooms", room, "/admin/reports", "/admin/reports?show=all", "/admin/audit_log",
                 "/admin/audit_log?action=report.resolve&target_type=report", "/admin/domain_blocks", "/admin/accounts",
                 f"/admin/reports/{site.remote_report}", "/admin/appeals", "/admin/appeals?show=all", appeal,
                 report):  # the report last: its form next
        await tab.open(site.base + path)
        assert tab.document_status == 200, path
        pages[path] = await serious_violations(tab)
    # The form sent back with its error (nothing ticked: the confirmation is asked for).
    await tab.page.check("#action-remove")
    async with tab.page.expect_navigation() as navigation:
        await tab.page.click("form[action$='/resolve'] button[type=submit]")
    tab.document_status = (await navigation.value).status
    assert tab.document_status == 422 and await tab.page.is_visible("#error")
    pages[report + " (refused)"] = await serious_violations(tab)
    # A reversal without the box ticked: the appeal comes back with its error.
    await tab.open(site.base + appeal)
    await tab.page.check("#outcome-reverse")
    await tab.page.fill("#explanation", "Geen reden meer")
    async with tab.page.expect_navigation() as navigation:
        await tab.page.click("form[action$='/decide'] button[type=submit]")
    tab.document_status = (await navigation.value).status
    assert tab.document_status == 422 and await tab.page.is_visible("#error")
    pages[appeal + " (refused)"] = await serious_violations(tab)
    # A ban without the box ticked: the room's page comes back with its error.
    await tab.open(site.base + room)
    await tab.page.fill(f"#reason-members-{site.scene.carol.id}-ban", "Spam")
    async with tab.page.expect_navigation() as navigation:
        await tab.page.click(f"form[action$='/members/{site.scene.carol.id}/ban'] button[type=submit]")
    tab.document_status = (await navigation.value).status
    assert tab.document_status == 422 and await tab.page.is_visible("#error")
    pages[room + " (refused)"] = await serious_violations(tab)
    # A suspension without the box ticked: the blocks page comes back with its error.
    await tab.open(site.base + "/admin/domain_blocks")
    await tab.page.fill("#domain", "ander.example")
    await tab.page.check("#severity-suspend")
    async with tab.page.expect_navigation() as navigation:
        await tab.page.click("#new-block button[type=submit]")
    tab.document_status = (await navigation.value).status
    assert tab.document_status == 422 and await tab.page.is_visible("#error")
    pages["/admin/domain_blocks (refused)"] = await serious_violations(tab)
    # A suspension of an account without the box ticked: the accounts page with its error.
    carol = site.scene.carol.id
    await tab.open(site.base + "/admin/accounts")
    await tab.page.select_option(f"#action-{carol}", "suspend")
    await tab.page.fill(f"#ground-{carol}", "Regel 1")
    async with tab.page.expect_navigation() as navigation:
        await tab.page.click(f"form[action='/admin/accounts/{carol}/action'] button[type=submit]")
    tab.document_status = (await navigation.value).status
    assert tab.document_status == 422 and await tab.page.is_visible("#error")
    pages["/admin/accounts (refused)"] = await serious_violations(tab)
    assert {path: found for path, found in pages.items() if found} == {}
    assert [p for p in await tab.problems() if "422" not in p] == []


async def test_the_main_actions_are_reached_with_the_keyboard_and_show_their_focus(site, tab):
    await tab.open(site.base + "/admin/sign_in")
    await reach(tab, "#username")
    await tab.page.keyboard.type("marit")
    assert await tab_to(tab, "#password", 1)
    await tab.page.keyboard.type(PASSWORD)
    await reach(tab, "button[type=submit]", 1)
    async with tab.page.expect_navigation():
        await tab.page.keyboard.press("Enter")
    assert tab.page.url.endswith("/admin")
    await reach(tab, "a[href$='/admin/reports']")
    async with tab.page.expect_navigation():
        await tab.page.keyboard.press("Enter")
    assert await tab_to(tab, f"a[href$='/admin/reports/{site.scene.report_id}']")
    async with tab.page.expect_navigation():
        await tab.page.keyboard.press("Enter")
    for control in ("#action-none", "#ground", "#law", "#facts", "#confirm"):
        await reach(tab, control)
    await reach(tab, "form[action$='/resolve'] button[type=submit]")
    assert await tab_to(tab, "form[action='/admin/sign_out'] button")
    assert await tab.problems() == []


async def test_the_appeal_decision_form_is_reached_with_the_keyboard_and_shows_its_focus(site, tab):
    await sign_in(site, tab)
    assert tab.page.url.endswith("/admin")
    await reach(tab, "a[href$='/admin/appeals']")
    async with tab.page.expect_navigation():
        await tab.page.keyboard.press("Enter")
    await reach(tab, f"a[href$='/admin/appeals/{site.appeal.appeal_id}']")
    async with tab.page.expect_navigation():
        await tab.page.keyboard.press("Enter")
    for control in ("#outcome-uphold", "#explanation", "#confirm", "form[action$='/decide'] button[type=submit]"):
        await reach(tab, control)
    assert await tab.problems() == []
