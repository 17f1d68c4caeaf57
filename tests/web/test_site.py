"""The front page (the instance and its official accounts), robots.txt and the favicon."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from pubhub.accounts import admin
from tests.support.instance import Instance

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


async def get(instance, path: str, accept: str | None = None, **headers) -> tuple[int, CIMultiDict, bytes]:
    if accept is not None:
        headers["Accept"] = accept
    async with instance.http.get(instance.base + path, headers=headers, allow_redirects=False) as response:
        return response.status, CIMultiDict(response.headers), await response.read()


async def test_the_front_page_shows_the_instance_and_its_public_accounts(instance):
    await instance.create_account("gemeente", display_name="Gemeente <Oost>", kind="organization")
    await instance.create_account("afval", display_name="Afvalservice")
    await instance.create_account("stil")
    await instance.create_account("weg")
    async with instance.runtime.db.write() as session:  # as the operator's CLI does
        await admin.suspend(session, await admin.account(session, "stil"), instance.runtime.clock.now())
        await admin.delete(instance.runtime, session, await admin.account(session, "weg"))

    for accept in (BROWSER, None, "*/*", "text/*"):
        status, headers, body = await get(instance, "/", accept)
        assert status == 200 and headers["Content-Type"].startswith("text/html"), accept
    page = body.decode()
    assert "<title>PubHub</title>" in page and "<h1>PubHub</h1>" in page
    assert "PubHub, a PubHub server." in page
    assert '<a href="' + instance.base + '/@gemeente"><strong>Gemeente &lt;Oost&gt;</strong></a>' in page
    assert f'<a href="{instance.base}/@afval"><strong>Afvalservice</strong></a>' in page
    assert f"@afval@{instance.domain}" in page
    assert page.index("Afvalservice") < page.index("Gemeente")  # by name
    for hidden in ("@stil@", "@weg@", f"@{instance.domain}@"):  # suspended, deleted, the instance actor
        assert hidden not in page


async def test_the_front_page_says_what_the_operator_configured(database_url):
    server = await Instance(database_url, instance_name="Gemeente Oost", languages=("nl", "en"),
                            instance_description="Nieuws & berichten van de gemeente.").start()
    try:
        status, _, body = await get(server, "/", BROWSER)
        page = body.decode()
        assert status == 200 and '<html lang="nl">' in page
        assert "<title>Gemeente Oost</title>" in page and "<h1>Gemeente Oost</h1>" in page
        assert "<p>Nieuws &amp; berichten van de gemeente.</p>" in page
        assert "Nog geen accounts." in page  # in the instance's language
        status, body = await server.request("GET", "/api/v2/instance")
        assert body["description"] == "Nieuws & berichten van de gemeente."
    finally:
        await server.stop()


@pytest.mark.parametrize("accept", ["application/json", "application/activity+json", "text/html;q=0, */*"])
async def test_the_front_page_is_not_acceptable_to_clients_that_take_no_html(instance, accept):
    """As Mastodon answers them: 406 with a JSON error."""
    status, headers, body = await get(instance, "/", accept)
    assert status == 406 and headers["Content-Type"].startswith("application/json")
    assert body == b'{"error":"Not Acceptable"}'


async def test_robots_txt_lets_crawlers_read_pages_but_not_the_api_or_inboxes(instance):
    status, headers, body = await get(instance, "/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=86400" and headers["X-Content-Type-Options"] == "nosniff"
    rules = [line.split(":", 1) for line in body.decode().splitlines() if line and not line.startswith("#")]
    assert rules[0] == ["User-agent", " *"]
    disallowed = {value.strip() for name, value in rules if name == "Disallow"}
    assert {"/api/", "/inbox", "/users/"} <= disallowed
    for page in ("/", "/@gemeente", "/@gemeente/1", "/@gemeente.rss", "/tags/afval"):
        assert not any(page.startswith(prefix) for prefix in disallowed), page


@pytest.mark.parametrize("path, content_type, magic", [
    ("/favicon.ico", "image/x-icon", b"\x00\x00\x01\x00"),
    ("/favicon.svg", "image/svg+xml", b"<svg "),
])
async def test_the_favicon_is_served_with_its_type_and_cached(instance, path, content_type, magic):
    status, headers, body = await get(instance, path)
    assert status == 200 and headers["Content-Type"] == content_type and body.startswith(magic)
    assert headers["Cache-Control"] == "public, max-age=604800"
    assert len(body) < 2048
    status, _, body = await get(instance, path, **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""  # a browser that has it is told so
