"""Signing in to the console without a password, over real HTTP with the test Yivi server and
the test OpenID Connect provider: a moderator whose account is linked to the attribute gets a
console session; a proof linked to no account, or to a user's account, gets none and creates
nothing; a proof completed from another browser is refused; without PUBHUB_LOGIN_VERIFIER the
page offers the password only."""

from __future__ import annotations

import re

import pytest

from pubhub.accounts import admin
from pubhub.store.models import Actor, ConsoleSession, LoginLink
from tests.support import store
from tests.support.console import session_cookie
from tests.support.oauth import Browser, register
from tests.support.oidc import signing_in_by_subject, through_the_provider
from tests.support.yivi import EMAIL

ADDRESS = "m.jansen@gemeente.example"


@pytest.fixture
def site(yivi_login):
    """The instance that signs in by the e-mail address disclosed through the test Yivi server."""
    return yivi_login


async def linked_account(instance, yivi, username: str, role: str, address: str = ADDRESS) -> None:
    """An account made on the OAuth page by proving `address` (the way people get one), then
    given `role` by an admin."""
    browser = Browser(instance)
    try:
        page = await browser.open_authorize(await register(instance))
        started = await browser.submit(page, "/oauth/sign_in/attribute")
        yivi.disclose(list(yivi.sessions)[-1], {EMAIL: address})
        [form] = [f for f in started.forms if f["action"].endswith("/complete")]
        proved = await browser.submit(started, form["action"])
        [form] = [f for f in proved.forms if f["action"].endswith("/register")]
        made = await browser.submit(proved, form["action"], username=username)
        assert made.status == 303, made.text
    finally:
        await browser.close()
    async with instance.runtime.db.write() as session:
        (await admin.account(session, username)).role = role


async def prove_at_the_console(browser: Browser, yivi, address: str = ADDRESS):
    page = await browser.go("GET", "/admin/sign_in")
    assert page.status == 200 and "Sign in with Yivi" in page.text
    started = await browser.submit(page, "/admin/sign_in/attribute")
    assert started.status == 200 and "<svg" in started.text, started.text
    yivi.disclose(list(yivi.sessions)[-1], {EMAIL: address})
    [form] = [f for f in started.forms if f["action"].endswith("/complete")]
    return started, form


async def test_a_moderator_linked_to_the_attribute_signs_in_with_yivi(site, yivi):
    await linked_account(site, yivi, "mjansen", "moderator")
    browser = Browser(site)
    try:
        started, form = await prove_at_the_console(browser, yivi)
        answer = await browser.submit(started, form["action"])
        assert answer.status == 303 and answer.location == "/admin"
        assert session_cookie(browser) is not None
        dashboard = await browser.go("GET", "/admin")
        assert dashboard.status == 200 and "mjansen" in dashboard.text
        again = await browser.submit(started, form["action"])  # the same proof, once more
        assert again.status == 422  # a verifier session is used once
    finally:
        await browser.close()
    assert await store.count(site, ConsoleSession) == 1


async def test_a_users_proof_or_one_linked_to_nobody_gets_no_session_and_makes_nothing(site, yivi):
    await linked_account(site, yivi, "inwoner", "user", address="inwoner@example.org")
    accounts = await store.count(site, Actor)
    for address, said in (("inwoner@example.org", "for moderators and admins"),
                          ("nieuw@example.org", "No account is linked")):
        browser = Browser(site)
        try:
            started, form = await prove_at_the_console(browser, yivi, address)
            refused = await browser.submit(started, form["action"])
            assert refused.status == 403 and said in refused.text, address
            assert session_cookie(browser) is None
            assert (await browser.go("GET", "/admin")).status == 303
        finally:
            await browser.close()
    assert await store.count(site, ConsoleSession) == 0
    assert await store.count(site, Actor) == accounts and await store.count(site, LoginLink) == 1


async def test_a_proof_completed_from_another_browser_is_refused(site, yivi):
    await linked_account(site, yivi, "mjansen", "moderator")
    mine, other = Browser(site), Browser(site)
    try:
        started, form = await prove_at_the_console(mine, yivi)
        their_page = await other.go("GET", "/admin/sign_in")
        stolen = await other.go("POST", form["action"], data={
            "authenticity_token": their_page.forms[0]["fields"]["authenticity_token"]})
        assert stolen.status == 404 and session_cookie(other) is None
    finally:
        await mine.close()
        await other.close()
    assert await store.count(site, ConsoleSession) == 0


async def test_without_a_login_verifier_only_the_password_is_offered(instance):
    browser = Browser(instance)
    try:
        page = await browser.go("GET", "/admin/sign_in")
        assert page.status == 200 and "/admin/sign_in/attribute" not in page.text
        answer = await browser.go("POST", "/admin/sign_in/attribute",
                                  data={"authenticity_token": page.forms[0]["fields"]["authenticity_token"]})
        assert answer.status == 404
    finally:
        await browser.close()


@pytest.fixture
async def oidc_site(database_url):
    """An instance signing in through the test OpenID Connect provider, where the admin `beheer`
    made their account with the provider's subject `medewerker-42` (as people do, on the OAuth
    page); the provider's signed-in person is that admin until a test says otherwise."""
    async with signing_in_by_subject(database_url, sub="medewerker-42") as (instance, _):
        made = Browser(instance)
        page = await made.open_authorize(await register(instance))
        started = await made.submit(page, "/oauth/sign_in/attribute")
        landed = await through_the_provider(made, started.text)
        [form] = [f for f in landed.forms if f["action"].endswith("/register")]
        assert (await made.go("POST", form["action"], data={**form["fields"], "username": "beheer"})).status == 303
        await made.close()
        async with instance.runtime.db.write() as session:
            (await admin.account(session, "beheer")).role = "admin"
        yield instance


async def test_an_admin_signs_in_with_openid_connect(oidc_site):
    browser = Browser(oidc_site)
    try:
        page = await browser.go("GET", "/admin/sign_in")
        started = await browser.submit(page, "/admin/sign_in/attribute")
        landed = await through_the_provider(browser, started.text)
        assert landed.status == 200 and landed.url.endswith("/admin"), landed.url
        assert session_cookie(browser) is not None
    finally:
        await browser.close()


async def test_a_sign_in_someone_else_finishes_at_the_provider_signs_nobody_in(oidc_site):
    """An attacker starts a console sign-in and sends its link to the admin, who is signed in at
    the provider: the admin's browser does not hold the sign-in's cookie, so it is not proved
    there; the attacker, who never gets the provider's code, gets nothing either."""
    attacker, victim = Browser(oidc_site), Browser(oidc_site)
    try:
        page = await attacker.go("GET", "/admin/sign_in")
        started = await attacker.submit(page, "/admin/sign_in/attribute")
        landed = await through_the_provider(victim, started.text)
        assert landed.status == 404 and session_cookie(victim) is None
        state = re.search(r"state=([^&\"]+)", started.text).group(1)
        guessed = await attacker.go("GET", f"/admin/sign_in/attribute/oidc?state={state}&code=guess")
        assert guessed.status != 303 and session_cookie(attacker) is None
        for session_id in range(1, 6):  # where an earlier design let the starter pick the outcome up
            assert (await attacker.go("GET", f"/admin/sign_in/attribute/{session_id}")).status != 303
        assert (await attacker.go("GET", "/admin")).status == 303  # to the sign-in page
    finally:
        await attacker.close()
        await victim.close()
    assert await store.count(oidc_site, ConsoleSession) == 0


async def test_a_sign_in_the_oauth_page_started_is_not_finished_at_the_console(site, yivi):
    """The OAuth page's CSRF cookie is limited to /oauth, so a browser that has not opened a page
    setting a site-wide one (the verify page) holds another nonce at /admin: the console does not
    finish what the OAuth page started. (Where both pages share a nonce it is the same person's
    browser either way.)"""
    await linked_account(site, yivi, "mjansen", "moderator")
    browser = Browser(site)
    try:
        page = await browser.open_authorize(await register(site))
        started = await browser.submit(page, "/oauth/sign_in/attribute")
        yivi.disclose(list(yivi.sessions)[-1], {EMAIL: ADDRESS})
        [form] = [f for f in started.forms if f["action"].endswith("/complete")]
        console = await browser.go("GET", "/admin/sign_in")
        refused = await browser.go("POST", form["action"].replace("/oauth/", "/admin/"), data={
            "authenticity_token": console.forms[0]["fields"]["authenticity_token"]})
        assert refused.status == 404 and session_cookie(browser) is None, refused.text
    finally:
        await browser.close()
