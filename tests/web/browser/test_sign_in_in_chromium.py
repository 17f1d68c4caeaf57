"""Signing in with an app in headless Chromium, as staff would: an app registers, sends the
browser to /oauth/authorize, the person signs in on the page and allows the app, the browser
goes back to the app's redirect URI with the code (through the consent page's
Content-Security-Policy, which must let exactly that through), the app exchanges the code and
calls the API. Nothing on the way is blocked or complained about."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from tests.support.instance import Instance, served
from tests.support.oauth import PASSWORD, account_with_password, pkce

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    url = await databases.new()
    server = await Instance(url).start()
    await account_with_password(server, "gemeente", display_name="Gemeente Oost", kind="organization")
    yield server
    await server.stop()
    await databases.drop(url)


@pytest_asyncio.fixture(loop_scope="session")
async def app_site():
    """The app's own web site, on another origin: its callback page says it got the code."""
    async def callback(request: web.Request) -> web.Response:
        return web.Response(text="<!doctype html><title>App</title><p>Signed in.</p>", content_type="text/html")

    async def favicon(request: web.Request) -> web.Response:
        return web.Response(status=204)

    app = web.Application()
    app.router.add_get("/callback", callback)
    app.router.add_get("/favicon.ico", favicon)
    async with served(app) as base:
        yield base


async def _register(site, redirect_uri: str) -> dict:
    async with aiohttp.ClientSession() as http:
        async with http.post(site.base + "/api/v1/apps", json={
                "client_name": "Elk", "redirect_uris": redirect_uri, "scopes": "read write follow",
                "website": "https://elk.zone"}) as response:
            assert response.status == 200
            return await response.json()


async def test_an_app_signs_in_through_the_pages_and_calls_the_api(site, app_site, visit):
    callback = app_site + "/callback"
    app = await _register(site, callback)
    verifier, challenge = pkce()
    query = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": callback,
             "scope": "read write", "state": "elk-42", "code_challenge": challenge, "code_challenge_method": "S256"}
    await visit.open(site.base + "/oauth/authorize?" + urlencode(query))
    assert await visit.page.inner_text("h1") == "Sign in to PubHub"
    await visit.page.get_by_label("Name or e-mail address").fill("gemeente")
    await visit.page.get_by_label("Password").fill("not the password")
    await visit.page.get_by_role("button", name="Sign in").click()
    await visit.page.wait_for_load_state()
    assert "Wrong name, e-mail address or password." in await visit.page.inner_text("[role=alert]")
    assert await visit.page.input_value("#username") == "gemeente"

    await visit.page.get_by_label("Password").fill(PASSWORD)
    await visit.page.get_by_role("button", name="Sign in").click()
    await visit.page.wait_for_selector("text=Allow Elk to use your account?")
    assert "@gemeente@" in await visit.page.inner_text("main")
    async with visit.page.expect_navigation(url=callback + "?*"):
        await visit.page.get_by_role("button", name="Allow").click()
    answer = parse_qs(urlsplit(visit.page.url).query)
    assert answer["state"] == ["elk-42"]
    # The 302 to the app passed the consent page's form-action; the app's page loaded.
    assert await visit.page.inner_text("p") == "Signed in."

    async with aiohttp.ClientSession() as http:
        async with http.post(site.base + "/oauth/token", data={
                "grant_type": "authorization_code", "code": answer["code"][0], "redirect_uri": callback,
                "client_id": app["client_id"], "client_secret": app["client_secret"],
                "code_verifier": verifier}) as response:
            grant = await response.json()
            assert response.status == 200, grant
        async with http.get(site.base + "/api/v1/accounts/verify_credentials",
                            headers={"Authorization": f"Bearer {grant['access_token']}"}) as response:
            me = await response.json()
    assert response.status == 200 and me["username"] == "gemeente" and grant["scope"] == "read write"
    # The one complaint is Chromium noting the wrong password's page came with its 401.
    assert await visit.problems() == [
        "console: Failed to load resource: the server responded with a status of 401 (Unauthorized)"]


async def test_the_oob_page_shows_the_code_to_copy(site, visit):
    app = await _register(site, "urn:ietf:wg:oauth:2.0:oob")
    query = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
             "scope": "read"}
    await visit.open(site.base + "/oauth/authorize?" + urlencode(query))
    await visit.page.get_by_label("Name or e-mail address").fill("gemeente")
    await visit.page.get_by_label("Password").fill(PASSWORD)
    await visit.page.get_by_role("button", name="Sign in").click()
    await visit.page.wait_for_selector("text=Allow Elk to use your account?")
    await visit.page.get_by_role("button", name="Allow").click()
    await visit.page.wait_for_selector("#code")
    assert len(await visit.page.inner_text("#code")) >= 40
    assert await visit.page.inner_text("h1") == "Authorization code"
    assert await visit.problems() == []
