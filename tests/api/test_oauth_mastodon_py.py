"""Mastodon.py (a real client, in a thread, over HTTP) signs in the way its documentation
says: create_app, auth_request_url (read from our /.well-known/oauth-authorization-server),
the person signs in and allows the app on the page (the oob code page; form posts here, the
browser test does it in Chromium), log_in with the code; then it works with the token it got,
and revokes it."""

from __future__ import annotations

import asyncio
import warnings

from mastodon import Mastodon
from mastodon.errors import MastodonUnauthorizedError

from tests.support.oauth import OOB, Browser, account_with_password, oob_code

SCOPES = ["read", "write", "follow"]


async def test_mastodon_py_creates_an_app_signs_in_with_a_code_and_posts(instance):
    await account_with_password(instance, "gemeente", display_name="Gemeente Oost")

    def register_and_ask():
        client_id, client_secret = Mastodon.create_app("PubHub-test", scopes=SCOPES, redirect_uris=OOB,
                                                       website="https://example.org", api_base_url=instance.base)
        api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=instance.base,
                       version_check_mode="none", request_timeout=10)
        return api, api.auth_request_url(redirect_uris=OOB, scopes=SCOPES, state="mpy", allow_http=True)

    api, url = await asyncio.to_thread(register_and_ask)
    assert url.startswith(instance.base + "/oauth/authorize?")

    person = Browser(instance)
    try:
        page = await person.go("GET", url)
        assert page.status == 200, page.text
        signed_in = await person.sign_in(page, "gemeente")
        consent = await person.go("GET", signed_in.location)
        shown = await person.submit(consent, "/oauth/authorize", decision="approve")
        assert shown.status == 200
        code = oob_code(shown.text)
    finally:
        await person.close()

    def use_it():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            token = api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
            me = api.account_verify_credentials()
            app = api.app_verify_credentials()
            posted = api.status_post("Hallo vanuit een app")
            markers = api.markers_set(["home"], [posted["id"]])
            api.revoke_access_token(allow_http=True)
        try:
            Mastodon(access_token=token, api_base_url=instance.base, version_check_mode="none",
                     request_timeout=10).account_verify_credentials()
            still_works = True
        except MastodonUnauthorizedError:
            still_works = False
        return me, app, posted, markers, still_works

    me, app, posted, markers, still_works = await asyncio.to_thread(use_it)
    assert me["username"] == "gemeente" and me["display_name"] == "Gemeente Oost"
    assert app["name"] == "PubHub-test" and app["website"] == "https://example.org"
    assert posted["content"] == "<p>Hallo vanuit een app</p>"
    assert markers["home"]["last_read_id"] == str(posted["id"])
    assert still_works is False
