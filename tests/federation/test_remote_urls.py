"""URLs and names that come from remote JSON are passed on only when they are what they claim:
links only as http(s), and a mention only as the account its href really is (a mention of an
actor we don't know is not presented as anyone, least of all as one of our own accounts).
Remote notes arrive as signed Creates that concern a local account, and are read back through
the client API and the HTML pages."""

from __future__ import annotations

import re

import pytest

from tests.support.inbox import received_note
from tests.support.peer import PUBLIC

SCRIPT_URLS = ["javascript:alert(document.domain)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
               "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x", "/users/beheerder"]


@pytest.fixture
async def admin(instance):
    account = await instance.create_account("beheerder", role="admin")
    return account, await instance.token_for(account)


async def lookup(instance, token, acct: str) -> dict:
    """Resolve a remote account through the API (WebFinger, then its actor document)."""
    status, body = await instance.request("GET", "/api/v1/accounts/lookup", token=token, params={"acct": acct})
    assert status == 200, body
    return body


async def status_of(instance, token, note) -> dict:
    status, body = await instance.request("GET", f"/api/v1/statuses/{note.id}", token=token)
    assert status == 200, body
    return body


def urls_in(value) -> list[str]:
    """Every string under a key that names a URL, anywhere in a JSON answer."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in ("url", "uri", "avatar", "avatar_static", "header") and isinstance(v, str)]
        return found + [u for v in value.values() for u in urls_in(v)]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v)]
    return []


def assert_only_web_urls(body: dict) -> None:
    for url in urls_in(body):
        assert url == "" or re.match(r"^https?://[^\s/]", url), url


@pytest.mark.parametrize("href", SCRIPT_URLS)
async def test_script_urls_in_mention_and_hashtag_tags_are_not_passed_on(instance, peer, alice, admin, href):
    account, token = admin
    note = peer.note(alice, "<p>Hallo</p>", to=[PUBLIC], cc=[alice.followers, account.uri], tag=[
        {"type": "Mention", "href": href, "name": f"@beheerder@{instance.domain}"},
        {"type": "Hashtag", "href": href, "name": "#pwn"},
    ])
    stored = await received_note(instance, peer, alice, note, "public")
    body = await status_of(instance, token, stored)
    assert body["mentions"] == []  # names no actor: not presented as anyone
    assert body["tags"] == []  # a hashtag without a web link is not passed on as one
    assert_only_web_urls(body)
    assert href not in str(stored.tags)  # not even kept


async def test_a_mention_is_presented_as_the_actor_its_href_is_whatever_its_name_says(instance, peer, alice, mallory,
                                                                                         admin):
    account, token = admin
    mallory_account = await lookup(instance, token, f"mallory@{peer.domain}")  # known here; nobody at evil.example is
    note = peer.note(alice, "<p>Hallo</p>", to=[PUBLIC], cc=[alice.followers], tag=[
        {"type": "Mention", "href": account.uri, "name": "@someone@elsewhere.example"},
        {"type": "Mention", "href": mallory.uri, "name": f"@beheerder@{instance.domain}"},
        {"type": "Mention", "href": "https://evil.example/users/x", "name": f"@beheerder@{instance.domain}"},
        {"type": "Hashtag", "href": f"{peer.base}/tags/afval", "name": "#Afval"},
    ])
    stored = await received_note(instance, peer, alice, note, "public")
    body = await status_of(instance, token, stored)
    assert body["mentions"] == [
        {"id": str(account.id), "username": "beheerder", "url": account.uri, "acct": "beheerder"},
        {"id": mallory_account["id"], "username": "mallory", "url": mallory.uri, "acct": f"mallory@{peer.domain}"},
    ]
    assert body["tags"] == [{"name": "afval", "url": f"{peer.base}/tags/afval"}]  # a web link is kept as it came


async def test_tags_typed_as_arrays_are_read_like_plain_ones(instance, peer, alice, admin):
    """ActivityStreams lets `type` be an array; a tag typed ["Mention"] is still a mention."""
    account, token = admin
    note = peer.note(alice, "<p>Hallo</p>", to=[PUBLIC], cc=[alice.followers], tag=[
        {"type": ["Mention"], "href": account.uri, "name": f"@beheerder@{instance.domain}"},
        {"type": ["Link", "Hashtag"], "href": f"{peer.base}/tags/afval", "name": "#Afval"},
    ])
    stored = await received_note(instance, peer, alice, note, "public")
    body = await status_of(instance, token, stored)
    assert [mention["acct"] for mention in body["mentions"]] == ["beheerder"]
    assert body["tags"] == [{"name": "afval", "url": f"{peer.base}/tags/afval"}]


async def test_a_mention_of_an_actor_that_is_gone_or_of_the_instance_actor_is_not_presented(instance, peer, alice,
                                                                                          mallory, admin):
    account, token = admin
    await lookup(instance, token, f"mallory@{peer.domain}")
    peer.serve("/users/mallory", {"type": "Tombstone"}, status=410)
    delete = peer.activity("Delete", mallory, mallory.uri)
    assert (await peer.post(f"{instance.base}/inbox", delete, mallory))[0] == 202
    note = peer.note(alice, "<p>Hallo</p>", to=[PUBLIC], cc=[alice.followers, account.uri], tag=[
        {"type": "Mention", "href": mallory.uri, "name": f"@mallory@{peer.domain}"},
        {"type": "Mention", "href": f"{instance.base}/actor", "name": f"@beheerder@{instance.domain}"},
    ])
    stored = await received_note(instance, peer, alice, note, "public")
    assert (await status_of(instance, token, stored))["mentions"] == []


@pytest.mark.parametrize("href", SCRIPT_URLS)
async def test_a_remote_notes_own_url_and_its_authors_urls_are_web_links_or_left_out(instance, peer, admin, href):
    account, token = admin
    eve = peer.add_actor("eve", key_index=3, url=href, icon={"type": "Image", "url": href},
                         image={"type": "Image", "url": href})
    note = peer.note(eve, "<p>Hallo</p>", to=[PUBLIC], cc=[eve.followers, account.uri], url=href)
    stored = await received_note(instance, peer, eve, note, "public")
    body = await status_of(instance, token, stored)
    assert body["url"] == note["id"]  # the note's id (a web link on its author's origin) stands in
    assert body["account"]["url"] == eve.uri
    assert body["account"]["avatar"] == body["account"]["avatar_static"] == ""
    assert body["account"]["header"] == body["account"]["header_static"] == ""
    assert_only_web_urls(body)


async def test_pages_link_nothing_but_web_urls_from_remote_replies(instance, peer, alice, admin):
    account, token = admin
    status, ours = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Vraag"})
    assert status == 200
    reply = peer.note(alice, '<p><a href="javascript:alert(1)">klik</a> <a href="mailto:a@b.example">mail</a> '
                             '<a href="https://ok.example/">ok</a></p>', to=[PUBLIC], cc=[alice.followers],
                      in_reply_to=ours["uri"], url="javascript:alert(3)",
                      tag=[{"type": "Mention", "href": "javascript:alert(2)", "name": f"@beheerder@{instance.domain}"}])
    await received_note(instance, peer, alice, reply, "public")
    async with instance.http.get(f"{instance.base}/@beheerder/{ours['id']}") as response:
        page = await response.text()
    assert "klik" in page  # the reply is shown
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert hrefs and all(re.match(r"^(https?://|mailto:)", h) for h in hrefs), hrefs
    assert "javascript:" not in page


async def test_a_remote_accounts_header_is_shown_by_its_url(instance, peer, admin):
    account, token = admin
    eve = peer.add_actor("eve", key_index=3, image={"type": "Image", "url": f"{peer.base}/media/header.png"})
    note = peer.note(eve, "<p>Hallo</p>", to=[PUBLIC], cc=[eve.followers, account.uri])
    stored = await received_note(instance, peer, eve, note, "public")
    body = await status_of(instance, token, stored)
    assert body["account"]["header"] == body["account"]["header_static"] == f"{peer.base}/media/header.png"
