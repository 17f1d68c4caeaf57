"""A moderator's day in headless Chromium: sign in to the console, open the report from the
dashboard, resolve it by removing the post on an instance rule with the facts found (ticking the
confirmation), and the post's author then reads that statement of reasons through the API."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.support.console import staff
from tests.support.console_reports import reported_post
from tests.support.instance import Instance
from tests.support.oauth import PASSWORD

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    url = await databases.new()
    server = await Instance(url, languages=("nl", "en")).start()
    server.scene = await reported_post(server)
    await staff(server, "marit")
    yield server
    await server.stop()
    await databases.drop(url)


async def test_a_moderator_resolves_a_report_and_the_author_reads_the_statement(site, dutch_visit):
    visit = dutch_visit
    scene, page = site.scene, visit.page
    await visit.open(site.base + "/admin")  # no session yet: on to the sign-in form
    assert page.url.endswith("/admin/sign_in")
    await page.get_by_label("Naam of e-mailadres").fill("marit")
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Aanmelden").click()
    assert await page.inner_text("h1") == "Overzicht" and "1 open melding" in await page.inner_text("main")

    async with page.expect_navigation():
        await page.get_by_role("link", name="1 open melding").click()
    async with page.expect_navigation():
        await page.get_by_role("link", name=f"Melding {scene.report_id}").click()
    assert "Koop horloges" in await page.inner_text("article.post")

    await page.get_by_label("De gemelde berichten verwijderen").check()
    await page.get_by_label("Grond (voor een beperking)").select_option(label="Regel van de server: No spam")
    await page.get_by_label("Feiten: wat u hebt vastgesteld (de auteur leest dit)").fill("Verkoopt horloges in de buurtgroep")
    await page.get_by_label("Ik bevestig").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="De melding afhandelen").click()
    assert page.url.endswith(f"/admin/reports/{scene.report_id}")
    assert "afgehandeld op" in await page.inner_text("#state")
    assert "Verkoopt horloges in de buurtgroep" in await page.inner_text("#statement")
    assert await visit.problems() == []

    status, decisions = await site.request("GET", "/api/v1/pubhub/decisions", token=scene.carol_token)
    assert status == 200 and len(decisions) == 1
    decision = decisions[0]
    assert (decision["action"], decision["ground_kind"], decision["ground"], decision["facts"]) == (
        "remove", "rule", "No spam", "Verkoopt horloges in de buurtgroep")
    assert decision["target"]["status_id"] == scene.post["id"] and decision["automated"] is False
    status, _ = await site.request("GET", f"/api/v1/statuses/{scene.post['id']}", token=scene.carol_token)
    assert status == 404  # removed
