"""Someone on another fediverse server joins an attribute-gated room, over real HTTP: their
follow waits; they prove the rule on the room's web page (Yivi's QR code, then Continue) and get
a one-time code; they send it to the room in a direct message from their own account, and the
room accepts their follow. A code works once, for its room, and wrong codes are limited."""

from __future__ import annotations

import re

import aiohttp
import pytest

from tests.support import store
from tests.support.instance import Instance

EMAIL = "pbdf.sidn-pbdf.email.email"
RULE = {"attribute": EMAIL, "suffix": "@nijmegen.nl"}
AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@pytest.fixture
async def gated(database_url, yivi, tmp_path):
    config = {"PUBHUB_IDENTITY_VERIFIERS": "yivi", **yivi.config(tmp_path)}
    server = await Instance(database_url, identity_verifiers=("yivi",), plugin_config=tuple(config.items())).start()
    admin = await server.token_for(await server.create_account("beheerder", role="admin"), "admin:read admin:write")
    status, hub = await server.request("POST", "/api/v1/pubhub/hubs", token=admin, json={"slug": "stad", "name": "Stad"})
    for slug in ("wijkraad", "andere"):
        status, room = await server.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=admin,
                                            json={"slug": slug, "name": slug.title(), "join": "attributes", "rule": RULE})
        assert status == 200, room
    yield server
    await server.stop()


def _field(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


async def _code_from_the_page(gated, yivi, room: str = "wijkraad", email: str = "a.de.boer@nijmegen.nl") -> str:
    """A browser proves the rule on the room's page and reads the code it is shown."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(f"{gated.base}/@{room}") as page:
            assert f'href="{gated.base}/@{room}/verify"' in await page.text()
        async with browser.get(f"{gated.base}/@{room}/verify") as page:
            text = await page.text()
            assert page.status == 200 and EMAIL in text
        async with browser.post(f"{gated.base}/@{room}/verify",
                                data={"authenticity_token": _field(text, "authenticity_token")}) as page:
            text = await page.text()
            assert page.status == 200 and "<svg" in text and "Yivi app" in text
        yivi.disclose(list(yivi.sessions)[-1], {EMAIL: email})
        action = re.search(r'<form method="post" action="([^"]+)"', text).group(1)
        async with browser.post(f"{gated.base}{action}",
                                data={"authenticity_token": _field(text, "authenticity_token")}) as page:
            text = await page.text()
            assert page.status == 200, text
    return re.search(r'<strong class="code" id="code">([A-Z0-9-]+)</strong>', text).group(1)


async def _follow(gated, peer, actor, room: str = "wijkraad") -> None:
    follow = peer.activity("Follow", actor, f"{gated.base}/users/{room}")
    assert (await peer.post(f"{gated.base}/inbox", follow, actor))[0] == 202
    await gated.settle()


async def _send_code(gated, peer, actor, code: str, room: str = "wijkraad") -> None:
    room_uri = f"{gated.base}/users/{room}"
    note = peer.note(actor, f"<p>@{room} Mijn code: {code}</p>", to=[room_uri], cc=[],
                     tag=[{"type": "Mention", "href": room_uri, "name": f"@{room}@{gated.domain}"}])
    assert (await peer.post(f"{gated.base}/inbox", peer.create(actor, note), actor))[0] == 202
    await gated.settle()


async def _follow_state(gated, actor, room: str = "wijkraad") -> str | None:
    rows = [row for row in await store.follows(gated) if row.follower_uri == actor.uri and row.target_uri.endswith(room)]
    return rows[0].state if rows else None


async def test_a_member_elsewhere_proves_the_rule_on_the_page_and_links_their_account(gated, yivi, peer):
    alice = peer.add_actor("alice")
    await _follow(gated, peer, alice)
    assert await _follow_state(gated, alice) == "pending" and peer.received_of_type("Accept") == []

    code = await _code_from_the_page(gated, yivi)
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    await _send_code(gated, peer, alice, code)

    assert await _follow_state(gated, alice) == "accepted"
    [accept] = peer.received_of_type("Accept")
    assert accept.activity["actor"] == f"{gated.base}/users/wijkraad"
    [kept] = await store.all_of(gated, store.AttributeVerification)
    assert kept.actor_id == (await store.actor(gated, alice.uri)).id and kept.provider == "yivi"
    assert await store.count(gated, store.ModerationItem) == 0  # the message itself is not shared
    raw = "".join(str(row.code_hash) for row in await store.all_of(gated, store.LinkCode))
    assert code not in raw  # only its hash is kept


async def test_a_code_works_once_and_only_for_its_room(gated, yivi, peer):
    alice, mallory = peer.add_actor("alice"), peer.add_actor("mallory")
    code = await _code_from_the_page(gated, yivi)
    await _follow(gated, peer, mallory, "andere")
    await _send_code(gated, peer, mallory, code, "andere")  # another room's code
    assert await _follow_state(gated, mallory, "andere") == "pending"

    await _send_code(gated, peer, alice, code)
    await _follow(gated, peer, mallory)
    await _send_code(gated, peer, mallory, code)  # used already
    assert await _follow_state(gated, mallory) == "pending"
    assert await store.count(gated, store.AttributeVerification) == 1


async def test_wrong_codes_are_limited(gated, yivi, peer):
    mallory = peer.add_actor("mallory")
    await _follow(gated, peer, mallory)
    for attempt in range(5):
        await _send_code(gated, peer, mallory, f"AAAA{attempt + 2}-BBBBB")
    code = await _code_from_the_page(gated, yivi)
    await _send_code(gated, peer, mallory, code)  # a right one, after too many wrong ones this hour
    assert await _follow_state(gated, mallory) == "pending"
    assert await store.count(gated, store.AttributeVerification) == 0


async def test_a_proof_that_does_not_satisfy_the_rule_gives_no_code(gated, yivi):
    with pytest.raises(AssertionError):
        await _code_from_the_page(gated, yivi, email="a.de.boer@arnhem.nl")
    assert await store.count(gated, store.LinkCode) == 0


async def test_the_continue_form_needs_the_browser_that_started(gated, yivi):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(f"{gated.base}/@wijkraad/verify") as page:
            text = await page.text()
        async with browser.post(f"{gated.base}/@wijkraad/verify",
                                data={"authenticity_token": _field(text, "authenticity_token")}) as page:
            text = await page.text()
        action = re.search(r'<form method="post" action="([^"]+)"', text).group(1)
    yivi.disclose(list(yivi.sessions)[-1], {EMAIL: "a.de.boer@nijmegen.nl"})
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        async with other.get(f"{gated.base}/@wijkraad/verify") as page:
            token = _field(await page.text(), "authenticity_token")
        async with other.post(f"{gated.base}{action}", data={"authenticity_token": token}) as page:
            assert page.status == 404 and "Not verified" in await page.text()
    assert await store.count(gated, store.LinkCode) == 0
