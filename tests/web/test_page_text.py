"""What the pages say: counts with correct plurals, titles that name the instance once, `lang`
from the post or the instance, content warnings in <details>, and one <h1> in a <main>."""

from __future__ import annotations

import re

import pytest

from tests.support.instance import Instance


@pytest.fixture
async def gemeente(instance):
    return await instance.token_for(await instance.create_account("gemeente", display_name="Gemeente"))


async def page(instance, path: str) -> str:
    async with instance.http.get(instance.base + path, headers={"Accept": "text/html"}) as response:
        assert response.status == 200, path
        return await response.text()


def counts_line(html: str) -> str:
    return re.search(r'<p class="meta">(.*?) · <a href="', html).group(1)


async def test_counts_on_the_profile_use_the_right_plural(instance, gemeente):
    assert counts_line(await page(instance, "/@gemeente")) == "0 posts · 0 followers · 0 following"
    await instance.post_status(gemeente, status="Een")
    burger = await instance.token_for(await instance.create_account("burger"))
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=burger, params={"acct": "gemeente"})
    status, _ = await instance.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=burger)
    assert status == 200
    assert counts_line(await page(instance, "/@gemeente")) == "1 post · 1 follower · 0 following"
    await instance.post_status(gemeente, status="Twee")
    assert counts_line(await page(instance, "/@gemeente")).startswith("2 posts · ")


async def test_titles_name_the_instance_once(instance, gemeente):
    created = await instance.post_status(gemeente, status="Ophalen #afval op dinsdag")
    titles = {}
    for path in ("/", "/@gemeente", f"/@gemeente/{created['id']}", "/tags/afval", "/no/such/page"):
        async with instance.http.get(instance.base + path, headers={"Accept": "text/html"}) as response:
            html = await response.text()
        [titles[path]] = re.findall(r"<title>(.*?)</title>", html)
        assert "PubHub · PubHub" not in html, path
    assert titles == {
        "/": "PubHub",
        "/@gemeente": f"Gemeente (@gemeente@{instance.domain}) · PubHub",
        f"/@gemeente/{created['id']}": "Gemeente: Ophalen #afval op dinsdag · PubHub",
        "/tags/afval": "#afval · PubHub",
        "/no/such/page": "Page not found · PubHub",
    }


async def test_every_page_has_one_h1_inside_main_between_header_and_footer(instance, gemeente):
    created = await instance.post_status(gemeente, status="Een bericht #afval")
    for path in ("/", "/@gemeente", f"/@gemeente/{created['id']}", "/tags/afval"):
        html = await page(instance, path)
        body = html[html.index("<body>"):]
        assert body.count("<h1") == 1 and body.count("<main>") == 1, path
        assert body.index("<header>") < body.index("<main>") < body.index("<h1") < body.index("</main>") \
            < body.index("<footer")


async def test_the_page_is_in_the_readers_language_and_a_post_says_its_own(database_url):
    """<html lang> is the language of the page's own words (the instance's, or the one the
    browser asks for); a post in another language says so on its <article>."""
    server = await Instance(database_url, languages=("nl", "en")).start()
    try:
        token = await server.token_for(await server.create_account("gemeente"))
        english = await server.post_status(token, status="In English", language="en")
        dutch = await server.post_status(token, status="In het Nederlands")
        odd = await server.post_status(token, status="Onbekend", language="x<y")  # not a language tag
        assert '<html lang="nl">' in await page(server, "/@gemeente")
        html = await page(server, f"/@gemeente/{english['id']}")
        assert '<html lang="nl">' in html and '<article class="post" lang="en">' in html
        for unmarked in (dutch, odd):
            html = await page(server, f"/@gemeente/{unmarked['id']}")
            assert '<html lang="nl">' in html and '<article class="post">' in html
    finally:
        await server.stop()


async def test_a_content_warning_wraps_the_text_in_details_and_hides_it_from_the_title(instance, gemeente):
    created = await instance.post_status(gemeente, status="Het verborgen besluit", spoiler_text="Let op: <ingrijpend> & zo")
    for path in ("/@gemeente", f"/@gemeente/{created['id']}"):
        html = await page(instance, path)
        details = re.search(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", html, re.DOTALL)
        assert details.group(1) == "Let op: &lt;ingrijpend&gt; &amp; zo"  # the warning, as its author wrote it
        assert "Het verborgen besluit" in details.group(2)
        assert html.count("Het verborgen besluit") == 1  # nowhere outside the details
    assert "<title>Gemeente: Let op: &lt;ingrijpend&gt; &amp; zo · PubHub</title>" in html


async def test_pages_under_users_name_their_canonical_address_under_the_handle(instance, gemeente):
    """/users/ is left to programs in robots.txt: its pages point search engines to the /@ ones."""
    created = await instance.post_status(gemeente, status="Een bericht")
    for path, canonical in (("/users/gemeente", "/@gemeente"),
                            (f"/users/gemeente/statuses/{created['id']}", f"/@gemeente/{created['id']}")):
        for shown in (path, canonical):
            assert f'<link rel="canonical" href="{instance.base}{canonical}">' in await page(instance, shown)
