"""The public pages with the keyboard alone, in Dutch: from the front page to an official
account and its post by Tab and Enter, then report the post through the notice form (a choice
picked with the arrow keys, the box ticked with the space bar, sent with Enter); and the OAuth
sign-in form. Every control reached shows where the focus is."""

from __future__ import annotations

import pytest
import pytest_asyncio

from pubhub.store.models import Report
from tests.support.instance import Instance
from tests.support.keyboard import press_and_wait, reach
from tests.support.oauth import register
from tests.support.store import one

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    url = await databases.new()
    server = await Instance(url, languages=("nl", "en")).start()
    token = await server.token_for(await server.create_account("gemeente", display_name="Gemeente Oost"))
    server.post = await server.post_status(token, status="Het afval wordt dinsdag opgehaald")
    yield server
    await server.stop()
    await databases.drop(url)


async def test_a_post_is_found_and_reported_with_the_keyboard_alone(site, dutch_visit):
    visit = dutch_visit
    await visit.open(site.base + "/")
    await reach(visit, "a[href$='/@gemeente']")
    await press_and_wait(visit)
    await reach(visit, f"a[href='{site.post['url']}']")
    await press_and_wait(visit)
    await reach(visit, "a[href*='/report?url=']")
    await press_and_wait(visit)
    assert await visit.page.inner_text("h1") == "Inhoud melden"

    await reach(visit, "#url")
    await reach(visit, "input[name=category]")  # the group's first choice; arrows pick another
    await visit.page.keyboard.press("ArrowDown")
    chosen = await visit.page.evaluate("document.querySelector('input[name=category]:checked').value")
    await reach(visit, "#explanation")
    await visit.page.keyboard.type("Dit klopt niet.")
    await reach(visit, "#name")
    await visit.page.keyboard.type("Anna de Vries")
    await reach(visit, "#good_faith")
    await visit.page.keyboard.press("Space")
    await reach(visit, "button[type=submit]")
    await press_and_wait(visit)
    report = await one(site, Report, Report.id == int(await visit.page.inner_text("#reference")))
    assert (report.url, report.reporter_name, report.category) == (site.post["url"], "Anna de Vries", chosen)
    assert await visit.problems() == []


async def test_the_sign_in_form_is_reached_with_the_keyboard(site, dutch_visit):
    visit = dutch_visit
    app = await register(site)
    await visit.open(f"{site.base}/oauth/authorize?response_type=code&client_id={app['client_id']}"
                     f"&redirect_uri={app['redirect_uris'][0]}&scope=read")
    for control in ("#username", "#password", "button[type=submit]"):
        await reach(visit, control)
    assert await visit.problems() == []
