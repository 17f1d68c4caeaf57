"""OAuth as Mastodon apps use it, over real HTTP: registering an app, signing in on the page,
consent, the authorization code grant with PKCE, client_credentials, revocation, and every
refusal (a near-miss redirect URI, a wrong verifier, a reused or expired code, scopes broader
than registered) changing nothing."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest

from pubhub.accounts import admin
from pubhub.store.models import OAuthApp, OAuthCode, Token
from tests.support.oauth import (OOB, Browser, account_with_password, code_from, exchange, pkce, query_of,
                                 register)
from tests.support.store import all_of, count, one

INVALID_GRANT = "invalid_grant"


# ---- registering --------------------------------------------------------------------------------

async def test_an_app_registers_with_a_form_and_gets_its_credentials_once(instance):
    status, body = await instance.request("POST", "/api/v1/apps", data={
        "client_name": "Elk", "redirect_uris": "https://elk.zone/callback\nurn:ietf:wg:oauth:2.0:oob",
        "scopes": "read write follow push", "website": "https://elk.zone"})
    assert status == 200, body
    assert body["name"] == "Elk" and body["website"] == "https://elk.zone"
    assert body["redirect_uris"] == ["https://elk.zone/callback", OOB]
    assert body["redirect_uri"] == "https://elk.zone/callback\n" + OOB
    assert body["scopes"] == ["read", "write", "follow", "push"]
    assert body["client_id"] and body["client_secret"] and body["client_secret_expires_at"] == 0
    stored = await one(instance, OAuthApp, OAuthApp.client_id == body["client_id"])
    assert stored.secret_hash != body["client_secret"] and body["client_secret"] not in stored.secret_hash


async def test_an_app_registers_with_json_and_a_list_of_redirect_uris_and_default_scopes(instance):
    status, body = await instance.request("POST", "/api/v1/apps", json={
        "client_name": "Phanpy", "redirect_uris": ["https://phanpy.social/", "com.example.app:/oauth"]})
    assert status == 200, body
    assert body["redirect_uris"] == ["https://phanpy.social/", "com.example.app:/oauth"]
    assert body["scopes"] == ["read"] and body["website"] is None


@pytest.mark.parametrize("fields, message", [
    ({"client_name": ""}, "Application name can't be blank"),
    ({"client_name": "x" * 61}, "Application name is too long"),
    ({"redirect_uris": ""}, "Redirect URI can't be blank"),
    ({"redirect_uris": "/callback"}, "Redirect URI must be an absolute URI"),
    ({"redirect_uris": "javascript:alert(1)"}, "Redirect URI may not use the javascript scheme"),
    ({"redirect_uris": "https://app.example/cb#frag"}, "Redirect URI may not contain a fragment"),
    ({"redirect_uris": "https:///nohost"}, "Redirect URI must name a host"),
    ({"scopes": "read sudo"}, "Scopes doesn't match configured on the server"),
    ({"website": "javascript:alert(1)"}, "Website is not a valid URL"),
    ({"client_name": ["a list"]}, "client_name"),
])
async def test_a_bad_registration_is_refused_with_422_and_stores_nothing(instance, fields, message):
    body = {"client_name": "App", "redirect_uris": "https://app.example/cb", **fields}
    status, answer = await instance.request("POST", "/api/v1/apps", json=body)
    assert status == 422 and message in answer["error"], answer
    assert await count(instance, OAuthApp) == 0


async def test_verify_app_credentials_with_the_apps_own_token_and_a_persons(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    status, grant = await instance.request("POST", "/oauth/token", data={
        "grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert status == 200 and grant["scope"] == "read", grant
    for token in (grant["access_token"], (await exchange(instance, app, await browser.authorize(app, "jan")))[1]["access_token"]):
        status, body = await instance.request("GET", "/api/v1/apps/verify_credentials", token=token)
        assert status == 200, body
        assert body["name"] == "Test app" and body["scopes"] == ["read", "write", "follow"]
        assert "client_secret" not in body and "client_id" not in body


# ---- the whole way through ----------------------------------------------------------------------

async def test_sign_in_consent_code_and_token_work_and_the_token_carries_the_scopes(instance, browser):
    jan = await account_with_password(instance, "jan", display_name="Jan")
    app = await register(instance)
    verifier, challenge = pkce()
    page = await browser.open_authorize(app, scope="read write:statuses", state="xyz", code_challenge=challenge,
                                        code_challenge_method="S256")
    assert page.status == 200 and "Test app" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert "form-action 'self';" in page.headers["Content-Security-Policy"]
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'none': no scripts at all
    signed_in = await browser.sign_in(page, "jan")
    assert signed_in.status == 303
    consent = await browser.go("GET", signed_in.location)
    assert consent.status == 200 and "@jan@" in consent.text and "write:statuses" in consent.text
    assert "form-action 'self' https://app.example;" in consent.headers["Content-Security-Policy"]
    answer = await browser.submit(consent, "/oauth/authorize", decision="approve")
    assert answer.status == 302 and answer.location.startswith("https://app.example/callback?")
    assert query_of(answer.location)["state"] == "xyz"
    status, grant = await exchange(instance, app, code_from(answer.location), code_verifier=verifier)
    assert status == 200, grant
    assert grant["token_type"] == "Bearer" and grant["scope"] == "read write:statuses"
    assert isinstance(grant["created_at"], int)
    status, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=grant["access_token"])
    assert status == 200 and me["id"] == str(jan.id)
    status, body = await instance.request("POST", f"/api/v1/accounts/{jan.id}/follow", token=grant["access_token"])
    assert status == 403  # `write` and `follow` were registered, not asked for: not granted
    stored = await all_of(instance, Token)
    assert [t.scopes for t in stored] == ["read write:statuses"] and stored[0].token_hash != grant["access_token"]
    assert stored[0].app_id is not None and stored[0].actor_id == jan.id and stored[0].name == "Test app"


async def test_the_e_mail_address_signs_in_too(instance, browser):
    await instance.create_account("marie", email="Marie@Gemeente.example")
    async with instance.runtime.db.write() as session:
        await admin.set_password(session, await admin.account(session, "marie"), "marie's password")
    app = await register(instance)
    code = await browser.authorize(app, "marie@gemeente.example", password="marie's password")
    status, grant = await exchange(instance, app, code)
    assert status == 200, grant


async def test_oob_shows_the_code_on_a_page(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance, redirect_uris=OOB)
    code = await browser.authorize(app, "jan")
    status, grant = await exchange(instance, app, code, redirect_uri=OOB)
    assert status == 200, grant


async def test_signed_in_the_next_app_asks_only_for_consent(instance, browser):
    await account_with_password(instance, "jan")
    first, second = await register(instance), await register(instance, client_name="Second")
    await browser.authorize(first, "jan")
    page = await browser.open_authorize(second)
    assert [f["action"] for f in page.forms] == ["/oauth/authorize", "/oauth/sign_out"]
    forced = await browser.open_authorize(second, force_login="true")
    assert [f["action"] for f in forced.forms] == ["/oauth/sign_in"]


async def test_deny_sends_access_denied_and_issues_nothing(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    page = await browser.open_authorize(app, state="s1")
    consent = await browser.go("GET", (await browser.sign_in(page, "jan")).location)
    answer = await browser.submit(consent, "/oauth/authorize", decision="deny")
    assert answer.status == 302 and query_of(answer.location)["error"] == "access_denied"
    assert query_of(answer.location)["state"] == "s1"
    assert await count(instance, OAuthCode) == 0 and await count(instance, Token) == 0


# ---- refusals at the authorization endpoint -------------------------------------------------------

@pytest.mark.parametrize("redirect_uri", [
    "https://app.example/callback/", "https://app.example/callback?x=1", "https://app.example/callbac",
    "https://APP.example/callback", "http://app.example/callback", "https://evil.example/callback",
])
async def test_a_near_miss_redirect_uri_is_refused_on_a_page_and_never_redirected_to(instance, browser, redirect_uri):
    app = await register(instance)
    page = await browser.open_authorize(app, redirect_uri=redirect_uri)
    assert page.status == 400 and page.location is None
    assert "redirect URI" in page.text and not page.forms


async def test_an_unknown_client_is_refused_on_a_page(instance, browser):
    page = await browser.go("GET", "/oauth/authorize?" + urlencode(
        {"response_type": "code", "client_id": "nope", "redirect_uri": "https://app.example/callback"}))
    assert page.status == 401 and page.location is None and not page.forms


async def test_scopes_broader_than_registered_are_refused_at_the_redirect_uri(instance, browser):
    app = await register(instance, scopes="read")
    page = await browser.open_authorize(app, scope="read write", state="s")
    assert page.status == 302
    assert query_of(page.location) == {"error": "invalid_scope", "error_description": query_of(page.location)["error_description"],
                                       "state": "s"}
    unknown = await browser.open_authorize(app, scope="read sudo")
    assert query_of(unknown.location)["error"] == "invalid_scope"


async def test_a_sub_scope_of_a_registered_scope_may_be_asked_for(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance, scopes="read write")
    code = await browser.authorize(app, "jan", scope="read:statuses write:statuses")
    status, grant = await exchange(instance, app, code)
    assert status == 200 and grant["scope"] == "read:statuses write:statuses"


async def test_admin_scopes_are_left_out_for_an_account_that_is_not_staff(instance, browser):
    await account_with_password(instance, "jan")
    await account_with_password(instance, "beheer", role="admin")
    app = await register(instance, scopes="read admin:read")
    status, grant = await exchange(instance, app, await browser.authorize(app, "jan", scope="read admin:read"))
    assert status == 200 and grant["scope"] == "read"
    other = Browser(instance)
    try:
        status, grant = await exchange(instance, app, await other.authorize(app, "beheer", scope="read admin:read"))
    finally:
        await other.close()
    assert status == 200 and grant["scope"] == "read admin:read"


@pytest.mark.parametrize("params, description", [
    ({"code_challenge": "a" * 43, "code_challenge_method": "plain"}, "must be S256"),
    ({"code_challenge": "a" * 43}, "must be S256"),  # no method means plain
    ({"code_challenge_method": "S256"}, "missing"),
    ({"code_challenge": "short", "code_challenge_method": "S256"}, "not an S256 challenge"),
    ({"response_type": "token"}, "does not support this response type"),
])
async def test_a_malformed_request_is_sent_back_with_the_reason(instance, browser, params, description):
    app = await register(instance)
    page = await browser.open_authorize(app, **params)
    assert page.status == 302 and description in query_of(page.location)["error_description"]


# ---- refusals at the token endpoint ------------------------------------------------------------------

async def test_a_wrong_or_missing_verifier_is_refused_and_the_code_survives_for_the_right_one(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    verifier, challenge = pkce()
    code = await browser.authorize(app, "jan", code_challenge=challenge, code_challenge_method="S256")
    for wrong in (pkce()[0], None, verifier[:-1]):
        status, body = await exchange(instance, app, code, code_verifier=wrong)
        assert (status, body["error"]) == (400, INVALID_GRANT), body
        assert "error_description" in body
    assert await count(instance, Token) == 0
    status, grant = await exchange(instance, app, code, code_verifier=verifier)
    assert status == 200, grant


async def test_a_verifier_for_a_code_without_a_challenge_is_refused(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    code = await browser.authorize(app, "jan")
    status, body = await exchange(instance, app, code, code_verifier=pkce()[0])
    assert (status, body["error"]) == (400, INVALID_GRANT)


async def test_a_code_works_once_and_its_replay_revokes_the_token(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    code = await browser.authorize(app, "jan")
    status, grant = await exchange(instance, app, code)
    assert status == 200
    status, body = await exchange(instance, app, code)
    assert (status, body["error"]) == (400, INVALID_GRANT)
    status, _ = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=grant["access_token"])
    assert status == 401
    assert await count(instance, Token) == 1


async def test_an_expired_code_is_refused(instance, browser, clock):
    await account_with_password(instance, "jan")
    app = await register(instance)
    code = await browser.authorize(app, "jan")
    clock.advance(10 * 60 + 1)
    status, body = await exchange(instance, app, code)
    assert (status, body["error"]) == (400, INVALID_GRANT)
    assert await count(instance, Token) == 0


async def test_a_code_is_bound_to_its_app_and_redirect_uri(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance, redirect_uris="https://app.example/callback\nhttps://app.example/other")
    other_app = await register(instance)
    code = await browser.authorize(app, "jan")
    for attempt in ({"redirect_uri": "https://app.example/other"}, {"redirect_uri": None},
                    {"client_id": other_app["client_id"], "client_secret": other_app["client_secret"]}):
        status, body = await exchange(instance, app, code, **attempt)
        assert (status, body["error"]) == (400, INVALID_GRANT), attempt
    status, _ = await exchange(instance, app, code)
    assert status == 200


@pytest.mark.parametrize("body, status, error", [
    ({"client_secret": "wrong"}, 401, "invalid_client"),
    ({"client_id": "nope"}, 401, "invalid_client"),
    ({"client_secret": None}, 401, "invalid_client"),
    ({"grant_type": "password", "username": "jan", "password": "x"}, 400, "unsupported_grant_type"),
    ({"grant_type": None}, 400, "invalid_request"),
    ({"code": "not-a-code"}, 400, INVALID_GRANT),
    ({"code": None}, 400, "invalid_request"),
])
async def test_token_endpoint_refusals_are_in_oauths_format(instance, body, status, error):
    app = await register(instance)
    request = {"grant_type": "authorization_code", "code": "x", "client_id": app["client_id"],
               "client_secret": app["client_secret"], "redirect_uri": app["redirect_uris"][0], **body}
    got, answer = await instance.request("POST", "/oauth/token", data={k: v for k, v in request.items() if v is not None})
    assert (got, answer["error"]) == (status, error), answer
    assert answer["error_description"]
    assert await count(instance, Token) == 0


async def test_token_endpoint_takes_the_client_in_basic_auth_and_json_bodies(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    code = await browser.authorize(app, "jan")
    basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    status, grant = await instance.request("POST", "/oauth/token", headers={"Authorization": f"Basic {basic}"},
                                           json={"grant_type": "authorization_code", "code": code,
                                                 "redirect_uri": app["redirect_uris"][0]})
    assert status == 200, grant
    status, body = await instance.request("POST", "/oauth/token", json={"grant_type": ["x"]})
    assert (status, body["error"]) == (400, "invalid_request")


# ---- client_credentials ------------------------------------------------------------------------------

async def test_client_credentials_give_an_app_level_token_only(instance):
    app = await register(instance, scopes="read write")
    status, grant = await instance.request("POST", "/oauth/token", data={
        "grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "scope": "read write"})
    assert status == 200 and grant["scope"] == "read write"
    token = grant["access_token"]
    assert (await instance.request("GET", "/api/v1/apps/verify_credentials", token=token))[0] == 200
    for method, path in (("GET", "/api/v1/accounts/verify_credentials"), ("POST", "/api/v1/statuses"),
                         ("GET", "/api/v1/preferences"), ("GET", "/api/v1/markers")):
        status, body = await instance.request(method, path, token=token, json={"status": "hoi"})
        assert (status, body) == (422, {"error": "This method requires an authenticated user"}), path
    stored = await one(instance, Token, Token.token_hash != "")
    assert stored.actor_id is None and stored.app_id is not None
    status, body = await instance.request("POST", "/oauth/token", data={
        "grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "scope": "read follow"})
    assert (status, body["error"]) == (400, "invalid_scope")
    assert await count(instance, Token) == 1


# ---- revoking --------------------------------------------------------------------------------------

async def test_revoke_ends_the_token_and_only_its_own_app_may(instance, browser):
    await account_with_password(instance, "jan")
    app, other = await register(instance), await register(instance, client_name="Other")
    status, grant = await exchange(instance, app, await browser.authorize(app, "jan"))
    token = grant["access_token"]
    status, body = await instance.request("POST", "/oauth/revoke", data={
        "client_id": other["client_id"], "client_secret": other["client_secret"], "token": token})
    assert (status, body["error"]) == (403, "unauthorized_client")
    status, body = await instance.request("POST", "/oauth/revoke", data={
        "client_id": app["client_id"], "client_secret": "wrong", "token": token})
    assert (status, body["error"]) == (401, "invalid_client")
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token))[0] == 200
    status, body = await instance.request("POST", "/oauth/revoke", data={
        "client_id": app["client_id"], "client_secret": app["client_secret"], "token": token})
    assert (status, body) == (200, {})
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token))[0] == 401
    status, body = await instance.request("POST", "/oauth/revoke", data={
        "client_id": app["client_id"], "client_secret": app["client_secret"], "token": "unknown"})
    assert (status, body) == (200, {})


# ---- metadata ---------------------------------------------------------------------------------------

async def test_the_authorization_server_metadata_names_the_endpoints(instance):
    status, body = await instance.request("GET", "/.well-known/oauth-authorization-server")
    assert status == 200
    assert body["issuer"] == instance.base + "/"
    assert body["authorization_endpoint"] == instance.base + "/oauth/authorize"
    assert body["token_endpoint"] == instance.base + "/oauth/token"
    assert body["revocation_endpoint"] == instance.base + "/oauth/revoke"
    assert body["app_registration_endpoint"] == instance.base + "/api/v1/apps"
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["grant_types_supported"] == ["authorization_code", "client_credentials"]
    assert {"read", "write", "follow", "push", "read:statuses"} <= set(body["scopes_supported"])
