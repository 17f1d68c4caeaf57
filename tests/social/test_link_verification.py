"""Profile links verified by rel="me" back-links, as Mastodon verifies them, over real HTTP: the
agency's website links back and its field shows `verified_at`; a page that does not, a page that
links elsewhere, and a changed field do not."""

from __future__ import annotations

import asyncio

from aiohttp import web

from pubhub.social.link_verification import rel_me_targets
from tests.support.instance import served


def site(pages: dict[str, str]) -> web.Application:
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=pages[request.path], content_type="text/html")

    for path in pages:
        app.router.add_get(path, page)
    return app


async def _fields_when_settled(instance, token: str) -> list[dict]:
    for _ in range(100):
        await asyncio.gather(*instance.runtime.background)
        if not instance.runtime.background:
            break
    status, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token)
    assert status == 200
    return me["fields"]


async def test_a_website_that_links_back_is_verified_and_others_are_not(instance):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    profile = f"{instance.base}/@gemeente"
    pages = {
        "/": f'<html><head><link rel="me" href="{profile}"></head><body>Gemeente Oost</body></html>',
        "/anchor": f'<p>Volg ons: <a rel="nofollow me" href="{instance.base}/users/gemeente">Mastodon</a></p>',
        "/nolink": f'<p><a href="{profile}">no rel=me</a></p>',
        "/elsewhere": '<p><a rel="me" href="https://mastodon.example/@someone">elsewhere</a></p>',
    }
    async with served(site(pages)) as base:
        status, _ = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token, data={
            "fields_attributes[0][name]": "Website", "fields_attributes[0][value]": f"{base}/",
            "fields_attributes[1][name]": "Ook", "fields_attributes[1][value]": f"{base}/anchor",
            "fields_attributes[2][name]": "Niet", "fields_attributes[2][value]": f"{base}/nolink",
            "fields_attributes[3][name]": "Elders", "fields_attributes[3][value]": f"{base}/elsewhere"})
        assert status == 200
        fields = await _fields_when_settled(instance, token)
        assert [field["verified_at"] is not None for field in fields] == [True, True, False, False]
        assert fields[0]["verified_at"].endswith("Z")

        # A changed field starts unverified again, and is checked again.
        status, _ = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token, data={
            "fields_attributes[0][name]": "Website", "fields_attributes[0][value]": f"{base}/nolink"})
        assert [field["verified_at"] for field in await _fields_when_settled(instance, token)] == [None]


async def test_a_private_address_is_not_fetched(instance):
    """The guard holds: a link to a private address is never fetched (the instance in the tests
    may reach 127.0.0.0/8 only; 10.0.0.1 is refused before any connection)."""
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    status, _ = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token, data={
        "fields_attributes[0][name]": "Intern", "fields_attributes[0][value]": "http://10.0.0.1/"})
    assert [field["verified_at"] for field in await _fields_when_settled(instance, token)] == [None]


def test_rel_me_targets_are_read_from_hostile_html():
    html = ('<a rel="me" href="/@gemeente">rel</a><a rel="ME author" href="https://x.example/@a ">x</a>'
            '<link rel="stylesheet me" href="//y.example/u"><a rel="me">no href</a><a href="https://z.example">z</a>'
            '<a rel="me" href="https://w.example/unclosed')  # an unfinished tag counts for nothing
    assert rel_me_targets(html, "https://gemeente.example/contact") == [
        "https://gemeente.example/@gemeente", "https://x.example/@a", "https://y.example/u"]
