"""The sign-in and consent pages' own rules: every form needs the CSRF token of its cookie,
failed sign-ins are limited per account and per client address (in the database, on the
injected clock), the cookies are HttpOnly, SameSite=Lax and limited to /oauth, and a sign-in
ends with a new password or a suspension."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from pubhub.accounts import admin
from pubhub.accounts.sign_in import ACCOUNT_LIMIT, ADDRESS_LIMIT
from pubhub.store.models import Actor, OAuthCode, SignInAttempt, Token
from tests.support.oauth import Browser, account_with_password, register
from tests.support.store import count


async def test_the_sign_in_page_sets_a_csrf_cookie_with_safe_attributes(instance, browser):
    app = await register(instance)
    page = await browser.open_authorize(app)
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("pubhub_csrf=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/oauth" in cookie
    assert "Secure" not in cookie  # http here; https instances add it
    assert page.forms[0]["fields"]["authenticity_token"]
    assert "Access-Control-Allow-Origin" not in page.headers  # no CORS on the pages
    assert page.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("tamper", ["no token", "wrong token", "no cookie", "another browser's token"])
async def test_a_form_without_its_csrf_token_is_refused_and_nothing_happens(instance, browser, tamper):
    await account_with_password(instance, "jan")
    app = await register(instance)
    page = await browser.open_authorize(app)
    fields = {**page.forms[0]["fields"], "username": "jan", "password": "correct horse battery staple"}
    if tamper == "no token":
        del fields["authenticity_token"]
    elif tamper == "wrong token":
        fields["authenticity_token"] = "x" * 43
    elif tamper == "another browser's token":
        other = Browser(instance)
        try:
            fields["authenticity_token"] = (await other.open_authorize(app)).forms[0]["fields"]["authenticity_token"]
        finally:
            await other.close()
    if tamper == "no cookie":
        browser.http.cookie_jar.clear()
    answer = await browser.go("POST", "/oauth/sign_in", data=fields)
    assert answer.status == 403 and "Form expired" in answer.text
    assert "pubhub_signin" not in answer.headers.get("Set-Cookie", "")
    assert await count(instance, SignInAttempt) == 0


async def test_the_consent_form_needs_its_csrf_token_too(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    page = await browser.open_authorize(app)
    consent = await browser.go("GET", (await browser.sign_in(page, "jan")).location)
    form = next(f for f in consent.forms if f["action"] == "/oauth/authorize")
    answer = await browser.go("POST", "/oauth/authorize",
                              data={**form["fields"], "authenticity_token": "forged", "decision": "approve"})
    assert answer.status == 403 and answer.location is None
    assert await count(instance, OAuthCode) == 0


async def test_a_wrong_password_shows_the_page_again_with_one_message_for_every_reason(instance, browser):
    await account_with_password(instance, "jan")
    await instance.create_account("zonder")  # no password set
    app = await register(instance)
    page = await browser.open_authorize(app)
    for username, password in (("jan", "wrong password"), ("niemand", "whatever"), ("zonder", "")):
        answer = await browser.sign_in(page, username, password)
        assert answer.status == 401 and "Wrong name, e-mail address or password." in answer.text
        assert f'value="{username}"' in answer.text and "pubhub_signin" not in answer.headers.get("Set-Cookie", "")
    assert await count(instance, Token) == 0


async def test_failed_sign_ins_are_limited_per_account_even_for_the_right_password(instance, browser, clock):
    await account_with_password(instance, "jan")
    app = await register(instance)
    page = await browser.open_authorize(app)
    for n in range(ACCOUNT_LIMIT):
        # From different addresses (the proxy's X-Forwarded-For): the account's count still grows.
        answer = await browser.go("POST", "/oauth/sign_in", headers={"X-Forwarded-For": f"198.51.100.{n}"},
                                  data={**page.forms[0]["fields"], "username": "jan", "password": "nope"})
        assert answer.status == 401
    answer = await browser.sign_in(page, "jan")
    assert answer.status == 429 and "Too many failed sign-ins" in answer.text
    assert 0 < int(answer.headers["Retry-After"]) <= 15 * 60
    clock.advance(15 * 60)
    assert (await browser.sign_in(page, "jan")).status == 303


async def test_failed_sign_ins_are_limited_per_address(instance, browser, clock):
    await account_with_password(instance, "jan")
    app = await register(instance)
    page = await browser.open_authorize(app)
    fields = page.forms[0]["fields"]
    for n in range(ADDRESS_LIMIT):
        answer = await browser.go("POST", "/oauth/sign_in", headers={"X-Forwarded-For": "203.0.113.7"},
                                  data={**fields, "username": f"guess{n}", "password": "nope"})
        assert answer.status == 401
    blocked = await browser.go("POST", "/oauth/sign_in", headers={"X-Forwarded-For": "203.0.113.7"},
                               data={**fields, "username": "jan", "password": "correct horse battery staple"})
    assert blocked.status == 429
    # Another address is not held back by that one.
    elsewhere = await browser.go("POST", "/oauth/sign_in", headers={"X-Forwarded-For": "203.0.113.8"},
                                 data={**fields, "username": "jan", "password": "correct horse battery staple"})
    assert elsewhere.status == 303


async def test_a_new_password_or_a_suspension_ends_the_sign_in(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    page = await browser.open_authorize(app)
    signed_in = await browser.sign_in(page, "jan")
    cookie = signed_in.headers["Set-Cookie"]
    assert cookie.startswith("pubhub_signin=") and "HttpOnly" in cookie and "Path=/oauth" in cookie
    assert [f["action"] for f in (await browser.open_authorize(app)).forms][0] == "/oauth/authorize"
    async with instance.runtime.db.write() as session:
        await admin.set_password(session, await admin.account(session, "jan"), "a brand new password")
    assert [f["action"] for f in (await browser.open_authorize(app)).forms] == ["/oauth/sign_in"]
    signed_in = await browser.sign_in(await browser.open_authorize(app), "jan", "a brand new password")
    assert signed_in.status == 303
    async with instance.runtime.db.write() as session:
        await admin.suspend(session, await admin.account(session, "jan"), instance.runtime.clock.now())
    assert [f["action"] for f in (await browser.open_authorize(app)).forms] == ["/oauth/sign_in"]
    refused = await browser.sign_in(await browser.open_authorize(app), "jan", "a brand new password")
    assert refused.status == 401


@pytest.mark.parametrize("column", ["suspended_at", "disabled_at", "deleted_at"])
async def test_a_suspended_disabled_or_deleted_account_is_signed_out_and_cannot_sign_in(instance, browser, column):
    """Each of the three on its own is enough (accounts/principal.py: may_act)."""
    jan = await account_with_password(instance, "jan")
    app = await register(instance)
    assert (await browser.sign_in(await browser.open_authorize(app), "jan")).status == 303
    assert [f["action"] for f in (await browser.open_authorize(app)).forms][0] == "/oauth/authorize"
    async with instance.runtime.db.write() as session:
        await session.execute(update(Actor).where(Actor.id == jan.id).values({column: instance.runtime.clock.now()}))
    assert [f["action"] for f in (await browser.open_authorize(app)).forms] == ["/oauth/sign_in"]
    refused = await browser.sign_in(await browser.open_authorize(app), "jan")
    assert refused.status == 401 and "Wrong name, e-mail address or password." in refused.text
    assert await count(instance, Token) == 0


async def test_signing_out_forgets_the_sign_in(instance, browser):
    await account_with_password(instance, "jan")
    app = await register(instance)
    consent = await browser.go("GET", (await browser.sign_in(await browser.open_authorize(app), "jan")).location)
    answer = await browser.submit(consent, "/oauth/sign_out")
    assert answer.status == 303
    assert [f["action"] for f in (await browser.go("GET", answer.location)).forms] == ["/oauth/sign_in"]


async def test_an_expired_sign_in_goes_back_to_the_sign_in_page(instance, browser, clock):
    await account_with_password(instance, "jan")
    app = await register(instance)
    consent = await browser.go("GET", (await browser.sign_in(await browser.open_authorize(app), "jan")).location)
    clock.advance(31 * 60)
    answer = await browser.submit(consent, "/oauth/authorize", decision="approve")
    assert answer.status == 303 and answer.location.startswith("/oauth/authorize?")
    assert await count(instance, OAuthCode) == 0
