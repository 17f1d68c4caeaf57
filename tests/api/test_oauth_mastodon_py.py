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

from tests.support.oauth import account_with_password, mastodon_py_signed_in

SCOPES = ["read", "write", "follow"]


async def test_mastodon_py_creates_an_app_signs_in_with_a_code_and_posts(instance):
    await account_with_password(instance, "gemeente", display_name="Gemeente Oost")

    api, token = await mastodon_py_signed_in(instance, "gemeente", SCOPES)

    def use_it():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
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
