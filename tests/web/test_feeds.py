"""The RSS 2.0 feed of an account, `/@name.rss`: its recent public posts, escaped so that any
text survives, with a link, a permanent guid and an RFC 822 date each; found from the profile."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import datetime
from email.utils import parsedate_to_datetime

import pytest

from pubhub.accounts import admin


@pytest.fixture
async def gemeente(instance):
    account = await instance.create_account("gemeente", display_name="Gemeente & Co")
    return await instance.token_for(account)


async def feed_of(instance, name: str) -> tuple[int, dict, bytes]:
    async with instance.http.get(f"{instance.base}/@{name}.rss") as response:
        return response.status, response.headers, await response.read()


async def test_the_feed_lists_public_posts_newest_first_with_link_guid_and_date(instance, gemeente):
    first = await instance.post_status(gemeente, status="Eerste bericht #afval")
    await instance.post_status(gemeente, status="Stil bericht", visibility="unlisted")
    await instance.post_status(gemeente, status="Alleen volgers", visibility="private")
    await instance.post_status(gemeente, status="Alleen jij @gemeente", visibility="direct")
    removed = await instance.post_status(gemeente, status="Verwijderd bericht")
    await instance.request("DELETE", f"/api/v1/statuses/{removed['id']}", token=gemeente)
    second = await instance.post_status(gemeente, status="Tweede bericht", spoiler_text="Let op: <geen> HTML")

    status, headers, body = await feed_of(instance, "gemeente")
    assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=60" and headers["X-Content-Type-Options"] == "nosniff"
    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    rss = ElementTree.fromstring(body)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("title") == f"Gemeente & Co (@gemeente@{instance.domain})"
    assert channel.findtext("link") == f"{instance.base}/@gemeente"
    assert channel.findtext("language") == "en" and channel.findtext("description")
    items = channel.findall("item")
    assert [item.findtext("link") for item in items] == [second["url"], first["url"]]
    for item, created in zip(items, (second, first)):
        guid = item.find("guid")
        assert guid.text == created["url"] and guid.get("isPermaLink") == "true"
        published = datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
        assert parsedate_to_datetime(item.findtext("pubDate")) == published.replace(microsecond=0)
        assert item.findtext("description") == created["content"]  # the post's HTML, as text
    assert items[0].findtext("title") == "Let op: <geen> HTML"  # the content warning, as written
    assert items[1].find("title") is None and [c.text for c in items[1].findall("category")] == ["afval"]
    assert b"Stil bericht" not in body and b"Alleen" not in body and b"Verwijderd" not in body


async def test_text_that_means_something_in_xml_or_html_comes_through_as_text(instance, gemeente):
    text = "a < b && c > d ]]> <![CDATA[ x ]]> <script>alert(1)</script> \"quoted\" 'single'"
    created = await instance.post_status(gemeente, status=text, spoiler_text="<b>]]></b> &amp;")
    status, _, body = await feed_of(instance, "gemeente")
    assert status == 200
    assert b"<script>" not in body and b"<b>" not in body  # escaped, never markup in the feed
    [item] = ElementTree.fromstring(body).find("channel").findall("item")
    assert item.findtext("description") == created["content"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in created["content"]  # escaped once more inside
    assert item.findtext("title") == "<b>]]></b> &amp;"


async def test_characters_xml_cannot_carry_are_left_out_not_breaking_the_feed(instance, gemeente):
    await instance.post_status(gemeente, status="bel\x07 en tab\tbericht")
    status, _, body = await feed_of(instance, "gemeente")
    [item] = ElementTree.fromstring(body).find("channel").findall("item")
    assert status == 200 and "bel en tab\tbericht" in item.findtext("description")


async def test_no_feed_for_unknown_suspended_or_deleted_accounts(instance, gemeente):
    for name in ("stil", "weg"):
        await instance.create_account(name)
    async with instance.runtime.db.write() as session:
        await admin.suspend(session, await admin.account(session, "stil"), instance.runtime.clock.now())
        await admin.delete(instance.runtime, session, await admin.account(session, "weg"))
    for name, expected in (("niemand", 404), ("stil", 404), ("weg", 410), (instance.domain, 404)):
        status, _, _ = await feed_of(instance, name)
        assert status == expected, name


async def test_the_profile_page_links_its_feed(instance, gemeente):
    async with instance.http.get(f"{instance.base}/@gemeente", headers={"Accept": "text/html"}) as response:
        page = await response.text()
    assert ('<link rel="alternate" type="application/rss+xml" title="Gemeente &amp; Co (RSS)" '
            f'href="{instance.base}/@gemeente.rss">') in page
    assert f'<a href="{instance.base}/@gemeente.rss">RSS feed</a>' in page
