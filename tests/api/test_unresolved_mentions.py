"""A mention that cannot be resolved (its server's WebFinger fails, or nobody answers, or there is
no such account) refuses the post with a 422 naming each such handle; nothing is stored or sent;
the log gives the real cause, not "Record not found"."""

from __future__ import annotations

import logging

from pubhub.store.models import Delivery, Object
from tests.support.instance import bound_socket
from tests.support.store import count


async def test_a_mention_whose_webfinger_fails_refuses_the_post_and_names_it(instance, peer, caplog):
    token = await instance.token_for(await instance.create_account("gemeente"))
    bob = peer.add_actor("bob")
    peer.serve(f"/.well-known/webfinger?resource=acct:carol@{peer.domain}", {"error": "boom"}, status=500)
    closed = bound_socket()  # bound, never listening: connections to it are refused
    nowhere = f"127.0.0.1:{closed.getsockname()[1]}"
    try:
        status, body = await instance.request("POST", "/api/v1/statuses", token=token, json={
            "status": f"@bob@{peer.domain} @carol@{peer.domain} @dave@{nowhere} bedankt!", "visibility": "public"})
    finally:
        closed.close()
    assert status == 422, body
    error = body["error"]
    assert error.startswith("Validation failed: mentions could not be resolved, nothing was published: ")
    assert f"@carol@{peer.domain} (WebFinger for carol@{peer.domain} answered 500)" in error
    assert f"@dave@{nowhere} (GET http://{nowhere}/.well-known/webfinger" in error and "ClientConnector" in error
    assert "@bob@" not in error  # bob was found
    print(f"422 body: {body}")
    await instance.settle()
    assert await count(instance, Object) == 0 and await count(instance, Delivery) == 0
    assert peer.received == [] and bob  # nothing sent to anyone

    logged = [r.getMessage() for r in caplog.records if r.name == "pubhub.social.statuses"]
    assert any(f"acct=dave@{nowhere}" in m and "ClientConnector" in m and "Connect call failed" in m for m in logged), logged
    assert not any("Record not found" in m for m in logged)


async def test_a_local_mention_of_no_one_is_refused_too(instance):
    token = await instance.token_for(await instance.create_account("gemeente"))
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, data={"status": "Hoi @niemand"})
    assert status == 422 and f"@niemand@{instance.domain} (no account niemand@{instance.domain})" in body["error"]
    assert await count(instance, Object) == 0


async def test_a_lookup_that_fails_logs_the_real_cause(instance, caplog):
    token = await instance.token_for(await instance.create_account("gemeente"))
    closed = bound_socket()
    nowhere = f"127.0.0.1:{closed.getsockname()[1]}"
    try:
        status, body = await instance.request("GET", "/api/v1/accounts/lookup", token=token,
                                              params={"acct": f"dave@{nowhere}"})
    finally:
        closed.close()
    assert status == 404 and body == {"error": "Record not found"}  # Mastodon's answer to the client
    refused = [r.getMessage() for r in caplog.records if r.name == "pubhub.http" and "refused" in r.getMessage()]
    assert any("reason=Record not found cause=FetchError: GET" in m and "ClientConnector" in m for m in refused), refused
