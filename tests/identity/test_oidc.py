"""The OpenID Connect verifier over real HTTP, with a test provider: a person signs in at the
provider, comes back to PubHub's callback, and may join the room; every forged, stale or
misdirected ID token is refused and nothing is kept; a replayed callback is refused."""

from __future__ import annotations

import time

import aiohttp
import pytest

from pubhub.config import ConfigError
from pubhub.identity.oidc import OidcVerifier
from tests.support import store
from tests.support.instance import Instance
from tests.support.oidc import OidcTestProvider

EMAIL = "email"
RULE = {"attribute": EMAIL, "suffix": "@nijmegen.nl"}


@pytest.fixture
async def provider():
    server = await OidcTestProvider().start()
    server.claims = {"sub": "person-1", "email": "j.jansen@nijmegen.nl"}
    yield server
    await server.stop()


@pytest.fixture
async def gated(database_url, provider):
    config = {"PUBHUB_IDENTITY_VERIFIERS": "oidc", **provider.config("email=email")}
    server = await Instance(database_url, identity_verifiers=("oidc",), plugin_config=tuple(config.items())).start()
    admin = await server.token_for(await server.create_account("beheerder", role="admin"), "admin:read admin:write")
    status, hub = await server.request("POST", "/api/v1/pubhub/hubs", token=admin, json={"slug": "stad", "name": "Stad"})
    status, room = await server.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=admin,
                                        json={"slug": "medewerkers", "name": "Medewerkers", "join": "attributes",
                                              "rule": RULE})
    assert status == 200, room
    server.room = room
    yield server
    await server.stop()


async def _sign_in(gated) -> tuple[str, int, str]:
    """A citizen starts a verification and signs in at the provider in a browser, which follows
    the redirects back to PubHub: (token, status of the last page, the page)."""
    token = await gated.token_for(await gated.create_account("burger"))
    status, started = await gated.request("POST", f"/api/v1/pubhub/rooms/{gated.room['id']}/verifications", token=token)
    assert status == 200, started
    assert started["client"]["type"] == "oidc" and started["attributes"] == [EMAIL]
    async with aiohttp.ClientSession() as browser, browser.get(started["client"]["url"]) as page:
        return token, page.status, await page.text()


async def test_signing_in_at_the_provider_lets_the_person_join(gated):
    token, status, page = await _sign_in(gated)
    assert status == 200 and "<h1>Verified</h1>" in page and "Medewerkers" in page
    status, relation = await gated.request("POST", f"/api/v1/accounts/{gated.room['account']['id']}/follow", token=token)
    assert status == 200 and relation["following"] is True
    [kept] = await store.all_of(gated, store.AttributeVerification)
    assert kept.provider == "oidc"


SPOILED = {
    "another audience": ({"aud": "someone-else"}, "another client"),
    "another issuer": ({"iss": "https://evil.example"}, "another issuer"),
    "another nonce": ({"nonce": "replayed-nonce"}, "nonce is not this session"),
    "expired": ({"iat": int(time.time()) - 3600, "exp": int(time.time()) - 1800}, "expired"),
    "no subject": ({"sub": None}, "has no sub"),
    "signed with another key": ({"signing": "other-key"}, "signature does not verify"),
    "unsigned": ({"signing": "none"}, "algorithm none is not allowed"),
    "HMAC with the client secret": ({"signing": "hs256"}, "algorithm HS256 is not allowed"),
}


@pytest.mark.parametrize("spoil", SPOILED, ids=list(SPOILED))
async def test_a_spoiled_id_token_is_refused_and_nothing_kept(gated, provider, spoil):
    provider.spoil, reason = SPOILED[spoil]
    token, status, page = await _sign_in(gated)
    assert status == 422 and "Not verified" in page and reason in page
    assert await store.count(gated, store.AttributeVerification) == 0
    status, _ = await gated.request("POST", f"/api/v1/accounts/{gated.room['account']['id']}/follow", token=token)
    assert status == 403


async def test_the_wrong_attribute_value_does_not_satisfy_the_rule(gated, provider):
    provider.claims = {"sub": "person-2", "email": "j.jansen@arnhem.nl"}
    _token, status, page = await _sign_in(gated)
    assert status == 403 and "do not satisfy" in page
    assert await store.count(gated, store.AttributeVerification) == 0


async def test_a_replayed_or_forged_callback_is_refused(gated, provider):
    _token, status, page = await _sign_in(gated)
    assert status == 200
    [code] = provider.codes
    [row] = await store.all_of(gated, store.VerificationSession)
    async with aiohttp.ClientSession() as browser:
        callback = f"{gated.base}/identity/oidc/callback"
        async with browser.get(callback, params={"code": code, "state": row.reference}) as again:
            assert again.status == 422 and "used already" in await again.text()
        async with browser.get(callback, params={"code": code, "state": "guessed"}) as guessed:
            assert guessed.status == 404
        async with browser.get(callback, params={"error": "access_denied", "state": row.reference}) as declined:
            assert declined.status == 422 and "not completed" in await declined.text()
    assert await store.count(gated, store.AttributeVerification) == 1


def test_the_configuration_is_checked():
    with pytest.raises(ConfigError, match="PUBHUB_OIDC_CLAIMS"):
        OidcVerifier.from_config({"PUBHUB_OIDC_ISSUER": "https://idp.example", "PUBHUB_OIDC_CLIENT_ID": "x",
                                  "PUBHUB_OIDC_CLIENT_SECRET": "y"}, None)
    with pytest.raises(ConfigError, match="HS256 not allowed"):
        OidcVerifier.from_config({"PUBHUB_OIDC_ISSUER": "https://idp.example", "PUBHUB_OIDC_CLIENT_ID": "x",
                                  "PUBHUB_OIDC_CLIENT_SECRET": "y", "PUBHUB_OIDC_CLAIMS": "email=email",
                                  "PUBHUB_OIDC_ALGORITHMS": "RS256,HS256"}, None)
