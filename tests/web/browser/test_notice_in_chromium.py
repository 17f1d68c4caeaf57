"""Reporting a post without an account, in headless Chromium and without JavaScript doing
anything: open the post's page, follow its report link, fill the form, send it, read the
receipt with its reference; the report is there for moderators. Nothing on the way is blocked
or complained about (CSP, console, failed requests)."""

from __future__ import annotations

import pytest
import pytest_asyncio

from pubhub.store.models import Report
from tests.support.instance import Instance
from tests.support.store import one

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    url = await databases.new()
    server = await Instance(url).start()
    token = await server.token_for(await server.create_account("gemeente", display_name="Gemeente Oost"))
    server.post = await server.post_status(token, status="Het afval wordt dinsdag opgehaald")
    yield server
    await server.stop()
    await databases.drop(url)


async def test_someone_without_an_account_reports_a_post_from_its_page(site, visit):
    await visit.open(site.post["url"])
    await visit.page.get_by_role("link", name="Report this post").click()
    await visit.page.wait_for_load_state()
    assert await visit.page.inner_text("h1") == "Report content"
    assert await visit.page.get_by_label("Exact address (URL) of the content").input_value() == site.post["url"]
    await visit.page.get_by_role("radio", name="Illegal content").check()
    await visit.page.get_by_label("The law concerned (for illegal content)").fill("Wetboek van Strafrecht, art. 137d")
    await visit.page.get_by_label("Why is it illegal or against the rules?").fill("Dit zet aan tot haat.")
    await visit.page.get_by_label("Your name").fill("Anna de Vries")
    await visit.page.get_by_label("I declare in good faith").check()
    await visit.page.get_by_role("button", name="Send report").click()
    await visit.page.wait_for_selector("text=Report received")
    reference = await visit.page.inner_text("#reference")
    report = await one(site, Report, Report.id == int(reference))
    assert (report.source, report.url, report.reporter_name) == ("notice", site.post["url"], "Anna de Vries")
    assert await visit.page.evaluate("document.querySelectorAll('h1').length") == 1
    assert await visit.problems() == []


async def test_the_transparency_page_counts_the_notice_and_draws_its_bars(site, visit):
    """After the notice above (the module's site keeps it): linked from the front page's footer."""
    await visit.open(site.base + "/")
    await visit.page.get_by_role("link", name="Transparency report").click()
    await visit.page.wait_for_load_state()
    assert await visit.page.inner_text("h1") == "Transparency report"
    assert await visit.page.inner_text("#instance-reports") == "Reports received: 1"
    notice_row = visit.page.locator("#instance-sources tr", has_text="Through the report form")
    assert await notice_row.locator("td.num").inner_text() == "1"
    # The bar is drawn by the page's own style (no script, no inline style attribute).
    widths = await visit.page.evaluate("""() => [...document.querySelectorAll('#instance-sources .bar')]
        .map((bar) => bar.getBoundingClientRect().width)""")
    assert widths[2] > 0 and widths[0] == widths[1] == 0
    await visit.page.screenshot(path="/tmp/notices-transparency.png", full_page=True)
    assert await visit.problems() == []
