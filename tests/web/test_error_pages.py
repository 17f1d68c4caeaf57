"""Error pages: browsers navigating to a page that is not there (or not theirs to see) get an
HTML page with the status; API, ActivityPub and other clients keep `{"error": ...}` as JSON.
A post that exists but is not public gets exactly the page of one that never existed."""

from __future__ import annotations

import json

import aiohttp
import pytest
from aiohttp import web

from pubhub.http.keys import RUNTIME
from pubhub.http.middlewares import error_responses
from pubhub.web.errors import error_page
from tests.support.instance import served

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
AP_JSON = "application/activity+json"


async def get(instance, path: str, accept: str | None, method: str = "GET") -> tuple[int, str, str]:
    headers = {"Accept": accept} if accept is not None else {}
    async with instance.http.request(method, instance.base + path, headers=headers, allow_redirects=False) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


def is_page(content_type: str, body: str) -> bool:
    return content_type.startswith("text/html") and body.startswith("<!doctype html>")


def json_error_of(content_type: str, body: str) -> str:
    assert content_type.startswith("application/json"), body
    return json.loads(body)["error"]


@pytest.fixture
async def gemeente(instance):
    return await instance.token_for(await instance.create_account("gemeente"))


@pytest.mark.parametrize("accept, page", [
    (BROWSER, True),
    ("text/html", True),
    ("application/xhtml+xml", True),
    ("text/html, application/json", True),  # a tie goes to the one named first
    ("application/json, text/html", False),
    ("application/json;q=0.5, text/html;q=0.9", True),
    ("text/html;q=0.1, application/json", False),
    ("text/html;q=0", False),
    (AP_JSON, False),
    ('application/ld+json; profile="https://www.w3.org/ns/activitystreams"', False),
    ("application/json", False),
    ("*/*", False),  # curl and HTTP libraries: not a wish for a page
    (None, False),
])
async def test_an_unknown_path_is_a_page_only_for_clients_that_prefer_html(instance, accept, page):
    status, content_type, body = await get(instance, "/no/such/route", accept)
    assert status == 404
    if page:
        assert is_page(content_type, body) and "<h1>Page not found</h1>" in body
    else:
        assert json_error_of(content_type, body) == "Not Found"


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/v1/statuses/1", 401),  # a token is needed to read statuses
    ("GET", "/api/v1/no/such/route", 404),
    ("GET", "/api/v1/accounts/verify_credentials", 401),
    ("GET", "/.well-known/webfinger?resource=acct:niemand@127.0.0.1", 404),
    ("GET", "/nodeinfo/2.1/nope", 404),
    ("POST", "/inbox", 401),
    ("POST", "/no/such/route", 404),
])
async def test_api_machine_paths_and_writes_keep_json_errors_for_browsers(instance, method, path, status):
    got, content_type, body = await get(instance, path, BROWSER, method)
    assert got == status
    assert json_error_of(content_type, body)


async def test_a_browser_opening_an_inbox_is_told_it_is_not_a_page(instance):
    status, content_type, body = await get(instance, "/inbox", BROWSER)
    assert status == 405 and is_page(content_type, body) and "<h1>Not a page</h1>" in body
    status, content_type, body = await get(instance, "/inbox", AP_JSON)
    assert status == 405 and json_error_of(content_type, body) == "Method Not Allowed"


async def test_hidden_posts_look_exactly_like_missing_ones(instance, gemeente):
    hidden = [await instance.post_status(gemeente, status="Alleen volgers", visibility="private"),
              await instance.post_status(gemeente, status="Alleen jij", visibility="direct")]
    _, _, missing = await get(instance, "/@gemeente/1", BROWSER)
    for note in hidden:
        for path in (f"/@gemeente/{note['id']}", f"/users/gemeente/statuses/{note['id']}"):
            status, content_type, body = await get(instance, path, BROWSER)
            assert status == 404 and is_page(content_type, body)
            assert body == missing  # not a word more: nothing tells a hidden post from none
            status, content_type, body = await get(instance, path, AP_JSON)
            assert status == 404 and json_error_of(content_type, body) == "Record not found"


async def test_unknown_suspended_and_deleted_accounts_get_their_pages(instance, gemeente):
    status, content_type, body = await get(instance, "/@niemand", BROWSER)
    assert status == 404 and is_page(content_type, body)
    removed = await instance.post_status(gemeente, status="Weg")
    await instance.request("DELETE", f"/api/v1/statuses/{removed['id']}", token=gemeente)
    status, content_type, body = await get(instance, f"/@gemeente/{removed['id']}", BROWSER)
    assert status == 410 and is_page(content_type, body) and "<h1>Gone</h1>" in body and "Weg" not in body


async def test_a_server_error_is_a_page_for_browsers_and_json_for_programs(instance, caplog):
    """A handler that fails, behind the middleware and error page the server uses."""

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("the database went away")

    app = web.Application(middlewares=[error_responses(error_page)])
    app[RUNTIME] = instance.runtime
    app.router.add_get("/broken", broken)
    app.router.add_get("/api/v1/broken", broken)
    async with served(app) as base, aiohttp.ClientSession() as http:
        async with http.get(f"{base}/broken", headers={"Accept": BROWSER}) as response:
            page = await response.text()
            assert response.status == 500 and is_page(response.headers["Content-Type"], page)
            assert "<h1>Something went wrong</h1>" in page and "database" not in page
        for path, accept in (("/broken", "application/json"), ("/api/v1/broken", BROWSER)):
            async with http.get(base + path, headers={"Accept": accept}) as response:
                assert response.status == 500
                assert await response.json() == {"error": "internal server error"}
    assert "unhandled error" in caplog.text


@pytest.mark.parametrize("accept", [BROWSER, AP_JSON], ids=["page", "json"])
async def test_an_error_chosen_by_accept_says_so_to_caches(instance, accept):
    """The same address answers a browser with a page and a server with JSON: each answer names
    Accept in Vary, so a shared cache keeps them apart (the page names Accept-Language too)."""
    async with instance.http.get(instance.base + "/users/niemand", headers={"Accept": accept}) as response:
        assert response.status == 404
        named = {field.strip().lower() for field in response.headers.get("Vary", "").split(",")}
    assert "accept" in named
    async with instance.http.get(instance.base + "/api/v1/accounts/lookup?acct=niemand",
                                 headers={"Accept": accept}) as response:  # a machine path: always JSON
        assert response.status == 401 and "accept" not in response.headers.get("Vary", "").lower()
