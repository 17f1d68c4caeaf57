"""Sign-in without passwords, over real HTTP with a test Yivi server and a test OpenID Connect
provider: the first proof creates an account whose handle the person chooses, the next proof
signs in to it, the app gets its code and token; only the attribute's keyed hash is kept; a
proof from another browser, or for a taken handle, is refused."""

from __future__ import annotations

from pubhub.store.models import LoginLink
from tests.support import store
from tests.support.oauth import Browser, code_from, exchange, pkce, register
from tests.support.oidc import signing_in_by_subject, through_the_provider
from tests.support.yivi import EMAIL

ADDRESS = "j.de.vries.4417@gemeente.example"


async def _sign_in_with_yivi(instance, yivi, browser: Browser, app: dict, challenge: str, address: str = ADDRESS):
    page = await browser.open_authorize(app, code_challenge=challenge, code_challenge_method="S256")
    assert any(f["action"] == "/oauth/sign_in/attribute" for f in page.forms), page.text
    started = await browser.submit(page, "/oauth/sign_in/attribute")
    assert started.status == 200 and "<svg" in started.text, started.text
    yivi.disclose(list(yivi.sessions)[-1], {EMAIL: address})
    [form] = [f for f in started.forms if f["action"].endswith("/complete")]
    return await browser.submit(started, form["action"])


async def _consent_and_token(instance, browser: Browser, app: dict, signed_in, verifier: str) -> dict:
    assert signed_in.status == 303, signed_in.text
    consent = await browser.go("GET", signed_in.location)
    answer = await browser.submit(consent, "/oauth/authorize", decision="approve")
    status, token = await exchange(instance, app, code_from(answer.location), code_verifier=verifier)
    assert status == 200, token
    status, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token["access_token"])
    assert status == 200
    return me


async def test_the_first_proof_makes_an_account_and_the_next_signs_in_to_it(yivi_login, yivi):
    instance = yivi_login
    app = await register(instance)
    browser = Browser(instance)
    try:
        verifier, challenge = pkce()
        proved = await _sign_in_with_yivi(instance, yivi, browser, app, challenge)
        assert proved.status == 200 and "choose the name of your new account" in proved.text
        [form] = [f for f in proved.forms if f["action"].endswith("/register")]
        taken = await instance.create_account("bestaand")
        refused = await browser.submit(proved, form["action"], username=taken.username)
        assert refused.status == 422 and "already exists" in refused.text
        made = await browser.submit(proved, form["action"], username="jdevries")
        me = await _consent_and_token(instance, browser, app, made, verifier)
        assert me["username"] == "jdevries"
    finally:
        await browser.close()

    again = Browser(instance)  # another day, another browser: the same proof, the same account
    try:
        verifier, challenge = pkce()
        signed_in = await _sign_in_with_yivi(instance, yivi, again, app, challenge)
        me_again = await _consent_and_token(instance, again, app, signed_in, verifier)
        assert me_again["id"] == me["id"]
    finally:
        await again.close()
    [link] = await store.all_of(instance, LoginLink)
    assert ADDRESS not in link.key_hash and len(link.key_hash) == 64
    assert await store.count(instance, store.Actor, store.Actor.username == "jdevries") == 1


async def test_a_proof_completed_from_another_browser_is_refused(yivi_login, yivi):
    instance = yivi_login
    app = await register(instance)
    mine, other = Browser(instance), Browser(instance)
    try:
        page = await mine.open_authorize(app)
        started = await mine.submit(page, "/oauth/sign_in/attribute")
        yivi.disclose(list(yivi.sessions)[-1], {EMAIL: ADDRESS})
        [form] = [f for f in started.forms if f["action"].endswith("/complete")]
        their_page = await other.open_authorize(app)
        fields = {**form["fields"], "authenticity_token": their_page.forms[0]["fields"]["authenticity_token"]}
        stolen = await other.go("POST", form["action"], data=fields)
        assert stolen.status == 404 and "no sign-in is waiting" in stolen.text
    finally:
        await mine.close()
        await other.close()
    assert await store.count(instance, LoginLink) == 0


async def test_signing_in_with_openid_connect_by_subject(database_url):
    async with signing_in_by_subject(database_url, sub="bsn-hash-123", email="a@b.example") as (instance, _):
        browser = Browser(instance)
        try:
            app = await register(instance)
            verifier, challenge = pkce()
            page = await browser.open_authorize(app, code_challenge=challenge, code_challenge_method="S256")
            started = await browser.submit(page, "/oauth/sign_in/attribute")
            assert started.status == 200 and "Sign in at your login provider" in started.text
            landed = await through_the_provider(browser, started.text)  # provider → callback → 303 → our page
            assert landed.status == 200 and "choose the name of your new account" in landed.text, (
                landed.status, landed.url, landed.text[-1500:])
            [form] = [f for f in landed.forms if f["action"].endswith("/register")]
            made = await browser.go("POST", form["action"], data={**form["fields"], "username": "burger"})
            me = await _consent_and_token(instance, browser, app, made, verifier)
            assert me["username"] == "burger"
        finally:
            await browser.close()


async def test_the_sign_in_page_offers_no_attribute_without_the_configuration(instance):
    app = await register(instance)
    browser = Browser(instance)
    try:
        page = await browser.open_authorize(app)
        assert not any(f["action"] == "/oauth/sign_in/attribute" for f in page.forms)
        refused = await browser.go("POST", "/oauth/sign_in/attribute", data=page.forms[0]["fields"])
        assert refused.status == 404
    finally:
        await browser.close()


async def test_an_oidc_sign_in_someone_else_finishes_at_the_provider_signs_nobody_in(database_url):
    """An attacker starts a sign-in for their app and sends the provider link to someone signed in
    at the provider whose account is linked: the proof is not taken in a browser that did not start
    it, and the attacker never holds the provider's code, so no one is signed in as that person."""
    async with signing_in_by_subject(database_url, sub="bsn-hash-456") as (instance, _):
        attacker, victim = Browser(instance), Browser(instance)
        try:
            app = await register(instance)
            page = await victim.open_authorize(app)  # the victim's account, made once with this subject
            started = await victim.submit(page, "/oauth/sign_in/attribute")
            [form] = [f for f in (await through_the_provider(victim, started.text)).forms
                      if f["action"].endswith("/register")]
            made = await victim.go("POST", form["action"], data={**form["fields"], "username": "slachtoffer"})
            assert made.status == 303

            page = await attacker.open_authorize(app)
            started = await attacker.submit(page, "/oauth/sign_in/attribute")
            landed = await through_the_provider(victim, started.text)  # the victim follows the attacker's link
            assert landed.status == 404, landed.text
            for session_id in range(1, 6):  # where an earlier design let the starter pick the outcome up
                picked = await attacker.go("GET", f"/oauth/sign_in/attribute/{session_id}")
                assert picked.status != 303
            assert not [c for c in attacker.http.cookie_jar if c.key == "pubhub_signin"]
        finally:
            await attacker.close()
            await victim.close()
