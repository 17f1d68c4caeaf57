"""Proving a room's attribute rule in headless Chromium, without JavaScript doing anything: from
the room's page to its verify page, Start, the Yivi QR code drawn by the server, Continue after
the (test) Yivi app shared the attributes, and the one-time code. Nothing on the way is blocked
or complained about (CSP, console, failed requests)."""

from __future__ import annotations

import re

import pytest
import pytest_asyncio

from tests.support.instance import Instance
from tests.support.yivi import YiviTestServer

pytestmark = pytest.mark.asyncio(loop_scope="session")
EMAIL = "pbdf.sidn-pbdf.email.email"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases, tmp_path_factory):
    yivi = await YiviTestServer().start()
    config = {"PUBHUB_IDENTITY_VERIFIERS": "yivi", **yivi.config(tmp_path_factory.mktemp("yivi"))}
    url = await databases.new()
    server = await Instance(url, identity_verifiers=("yivi",), plugin_config=tuple(config.items())).start()
    admin = await server.token_for(await server.create_account("beheerder", role="admin"), "admin:read admin:write")
    status, hub = await server.request("POST", "/api/v1/pubhub/hubs", token=admin, json={"slug": "stad", "name": "Stad"})
    status, room = await server.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=admin, json={
        "slug": "wijkraad", "name": "Wijkraad", "join": "attributes", "rule": {"attribute": EMAIL, "suffix": "@nijmegen.nl"}})
    assert status == 200, room
    server.yivi = yivi
    yield server
    await server.stop()
    await yivi.stop()
    await databases.drop(url)


async def test_someone_elsewhere_proves_the_rule_and_gets_a_code(site, visit):
    await visit.open(f"{site.base}/@wijkraad")
    await visit.page.get_by_role("link", name="prove them here").click()
    await visit.page.wait_for_load_state()
    assert await visit.page.inner_text("h1") == "Prove it for Wijkraad"
    await visit.page.get_by_role("button", name="Start").click()
    await visit.page.wait_for_load_state()
    qr = visit.page.get_by_role("img", name="QR code for the Yivi app")
    assert await qr.locator("svg").count() == 1
    site.yivi.disclose(list(site.yivi.sessions)[-1], {EMAIL: "a.de.boer@nijmegen.nl"})
    await visit.page.get_by_role("button", name="I have shared it: continue").click()
    await visit.page.wait_for_selector("#code")
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", await visit.page.inner_text("#code"))
    assert await visit.problems() == []
