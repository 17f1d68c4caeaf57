"""Signing in to the moderator console: the OAuth page's checks (password, rate limits, CSRF),
staff only, a session cookie that is HttpOnly, SameSite=Strict, limited to /admin, kept only as
a hash, ended by signing out or by time, and never taken by the API."""

from __future__ import annotations

import hashlib
import pytest
from yarl import URL

from pubhub.accounts import admin
from pubhub.accounts.console_sessions import LIFETIME
from pubhub.accounts.sign_in import ACCOUNT_LIMIT
from pubhub.store.models import ConsoleSession, SignInAttempt
from tests.support.console import post_form, session_cookie, sign_in, signed_in, staff
from tests.support.oauth import Browser
from tests.support.store import all_of, count


async def test_a_moderator_signs_in_and_gets_a_strict_session_cookie_kept_only_as_a_hash(instance, browser):
    await staff(instance, "marit")
    answer = await sign_in(browser, "marit")
    assert answer.status == 303 and answer.location == "/admin"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("pubhub_console=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert f"Max-Age={int(LIFETIME.total_seconds())}" in cookie and "Secure" not in cookie  # http here
    token = session_cookie(browser)
    [row] = await all_of(instance, ConsoleSession)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    dashboard = await browser.go("GET", "/admin")
    assert dashboard.status == 200 and "Dashboard" in dashboard.text and "marit" in dashboard.text
    assert dashboard.headers["Cache-Control"] == "no-store"
    policy = dashboard.headers["Content-Security-Policy"]
    assert "script-src" not in policy and "default-src 'none'" in policy and "form-action 'self'" in policy
    assert "<script" not in dashboard.text


async def test_an_admin_signs_in_too(instance, browser):
    await staff(instance, "beheer", role="admin")
    await signed_in(browser, "beheer")
    assert (await browser.go("GET", "/admin")).status == 200


async def test_a_user_is_refused_with_a_page_and_gets_no_session(instance, browser):
    await staff(instance, "jan", role="user")
    answer = await sign_in(browser, "jan")
    assert answer.status == 403 and "for moderators and admins" in answer.text
    assert "pubhub_console" not in answer.headers.get("Set-Cookie", "")
    assert await count(instance, ConsoleSession) == 0


async def test_a_wrong_password_is_refused_and_counted_by_the_same_rate_limit(instance, browser):
    await staff(instance, "marit")
    for _ in range(ACCOUNT_LIMIT):
        answer = await sign_in(browser, "marit", "wrong password")
        assert answer.status == 401 and "Wrong name, e-mail address or password." in answer.text
    assert await count(instance, SignInAttempt) == ACCOUNT_LIMIT
    answer = await sign_in(browser, "marit")  # the right password, now refused too
    assert answer.status == 429 and "Retry-After" in answer.headers and "Too many failed sign-ins" in answer.text
    assert await count(instance, ConsoleSession) == 0


@pytest.mark.parametrize("tamper", ["no token", "another browser's token", "no cookie"])
async def test_a_sign_in_without_its_csrf_token_is_refused_and_nothing_happens(instance, browser, tamper):
    await staff(instance, "marit")
    form = await browser.go("GET", "/admin/sign_in")
    fields = {**form.forms[0]["fields"], "username": "marit", "password": "correct horse battery staple"}
    if tamper == "no token":
        del fields["authenticity_token"]
    elif tamper == "another browser's token":
        other = Browser(instance)
        try:
            fields["authenticity_token"] = (await other.go("GET", "/admin/sign_in")).forms[0]["fields"][
                "authenticity_token"]
        finally:
            await other.close()
    else:
        browser.http.cookie_jar.clear()
    answer = await browser.go("POST", "/admin/sign_in", data=fields)
    assert answer.status == 403 and "Form expired" in answer.text
    assert await count(instance, ConsoleSession) == 0 and await count(instance, SignInAttempt) == 0


async def test_without_a_session_the_pages_send_to_the_sign_in_form(instance, browser):
    answer = await browser.go("GET", "/admin")
    assert answer.status == 303 and answer.location == "/admin/sign_in"
    form = await browser.go("GET", "/admin/sign_in")
    assert form.status == 200 and form.forms[0]["action"] == "/admin/sign_in"


async def test_signing_out_ends_the_session_here_and_in_the_browser(instance, browser):
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    token = session_cookie(browser)
    answer = await post_form(browser, "/admin", "/admin/sign_out")
    assert answer.status == 303 and answer.location == "/admin/sign_in"
    assert 'pubhub_console=""' in answer.headers["Set-Cookie"]
    assert await count(instance, ConsoleSession) == 0
    # The old cookie, sent again, signs nobody in.
    browser.http.cookie_jar.update_cookies({"pubhub_console": token}, response_url=URL(instance.base + "/admin"))
    assert (await browser.go("GET", "/admin")).status == 303


async def test_signing_out_needs_the_csrf_token(instance, browser):
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    answer = await browser.go("POST", "/admin/sign_out", data={"authenticity_token": "forged"})
    assert answer.status == 403
    assert await count(instance, ConsoleSession) == 1
    assert (await browser.go("GET", "/admin")).status == 200


async def test_a_session_expires_after_its_lifetime(instance, browser, clock):
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    clock.advance(LIFETIME.total_seconds() - 1)
    assert (await browser.go("GET", "/admin")).status == 200
    clock.advance(1)
    assert (await browser.go("GET", "/admin")).status == 303


async def test_a_new_password_or_a_suspension_ends_the_session(instance, browser):
    await staff(instance, "marit")
    await signed_in(browser, "marit")
    async with instance.runtime.db.write() as session:
        await admin.set_password(session, await admin.account(session, "marit"), "a new password for marit")
    assert (await browser.go("GET", "/admin")).status == 303


async def test_a_moderator_made_a_user_is_refused_at_the_next_page(instance, browser):
    moderator = await staff(instance, "marit")
    await signed_in(browser, "marit")
    async with instance.runtime.db.write() as session:
        (await admin.account(session, "marit")).role = "user"
    answer = await browser.go("GET", "/admin")
    assert answer.status == 403 and moderator.username


async def test_the_session_cookie_alone_gets_401_from_the_admin_api(instance, browser):
    await staff(instance, "beheer", role="admin")
    await signed_in(browser, "beheer")
    for path in ("/api/v1/admin/reports", "/api/v1/admin/accounts", "/api/v1/pubhub/hubs"):
        answer = await browser.go("GET", path)
        assert answer.status == 401, (path, answer.text)
    # ... even when sent as a bearer token.
    answer = await browser.go("GET", "/api/v1/admin/reports",
                              headers={"Authorization": f"Bearer {session_cookie(browser)}"})
    assert answer.status == 401
