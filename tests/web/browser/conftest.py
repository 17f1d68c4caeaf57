"""One Chromium for the whole run, and one seeded PubHub instance per module, on a session-wide
event loop (playwright's objects belong to the loop that made them). Without Chromium the
tests skip, saying why; under CI they fail instead, so a missing browser cannot pass unseen."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, Visit, chromium_missing, under_ci


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def chromium():
    reason = chromium_missing()
    if reason:
        if under_ci():
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def visit(chromium):
    """A fresh tab (its own cookies and cache) the size of a phone screen."""
    context = await chromium.new_context(viewport={"width": 390, "height": 844})
    yield await Visit(context).start()
    await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def dutch_visit(chromium):
    """A tab of a Dutch moderator's browser (it asks for Dutch pages)."""
    context = await chromium.new_context(locale="nl-NL", extra_http_headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    yield await Visit(context).start()
    await context.close()
