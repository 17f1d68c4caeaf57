"""An attribute-gated room between two real PubHub instances over real HTTP with real
signatures: B's user follows A's room (the follow waits), proves the rule on the room's page on
A (the test Yivi server plays the Yivi app), and sends the room the code in a direct message from
B; A accepts the follow, and B's user is a member."""

from __future__ import annotations

import re

import aiohttp

from tests.federation.test_two_instances import lookup, relationship, settle
from tests.support import store
from tests.support.instance import Instance

EMAIL = "pbdf.sidn-pbdf.email.email"
RULE = {"attribute": EMAIL, "suffix": "@nijmegen.nl"}


def _field(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


async def _code_on_the_page(a: Instance, yivi, room: str) -> str:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(f"{a.base}/@{room}/verify") as page:
            text = await page.text()
        async with browser.post(f"{a.base}/@{room}/verify", data={"authenticity_token": _field(text, "authenticity_token")}) as page:
            text = await page.text()
        yivi.disclose(list(yivi.sessions)[-1], {EMAIL: "b.jansen@nijmegen.nl"})
        action = re.search(r'<form method="post" action="([^"]+)"', text).group(1)
        async with browser.post(f"{a.base}{action}", data={"authenticity_token": _field(text, "authenticity_token")}) as page:
            text = await page.text()
    return re.search(r'id="code">([A-Z0-9-]+)<', text).group(1)


async def test_a_user_on_another_instance_proves_the_rule_and_joins(make_database, yivi, tmp_path):
    config = {"PUBHUB_IDENTITY_VERIFIERS": "yivi", **yivi.config(tmp_path)}
    a = await Instance(await make_database(), identity_verifiers=("yivi",), plugin_config=tuple(config.items())).start()
    b = await Instance(await make_database()).start()
    try:
        admin = await a.token_for(await a.create_account("beheerder", role="admin"), "admin:read admin:write")
        status, hub = await a.request("POST", "/api/v1/pubhub/hubs", token=admin, json={"slug": "stad", "name": "Stad"})
        status, room = await a.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=admin, json={
            "slug": "wijkraad", "name": "Wijkraad", "join": "attributes", "rule": RULE})
        assert status == 200, room
        burger = await b.token_for(await b.create_account("burger"))
        remote_room = await lookup(b, burger, f"wijkraad@{a.domain}")
        status, rel = await b.request("POST", f"/api/v1/accounts/{remote_room['id']}/follow", token=burger)
        await settle(a, b)
        assert (await relationship(b, burger, remote_room["id"]))["requested"] is True  # waits for the proof

        code = await _code_on_the_page(a, yivi, "wijkraad")
        status, sent = await b.request("POST", "/api/v1/statuses", token=burger, json={
            "status": f"@wijkraad@{a.domain} mijn code is {code}", "visibility": "direct"})
        assert status == 200, sent
        await settle(a, b)

        assert (await relationship(b, burger, remote_room["id"]))["following"] is True
        [kept] = await store.all_of(a, store.AttributeVerification)
        assert kept.provider == "yivi"
    finally:
        await a.stop()
        await b.stop()
