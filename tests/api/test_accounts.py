"""Accounts through the client API: lookup and local search (names in any case), and the
relationship an account has with another (following, requested, followed_by)."""

from __future__ import annotations

import pytest


@pytest.fixture
async def gemeente(instance):
    return await instance.create_account("gemeente", display_name="Gemeente Nijmegen")


@pytest.fixture
async def token(instance, gemeente):
    return await instance.token_for(gemeente)


async def test_usernames_are_folded_to_lower_case_everywhere(instance, token):
    account = await instance.create_account("WijkRaad")
    assert account.username == "wijkraad" and account.uri == f"{instance.base}/users/wijkraad"
    for acct in ("wijkraad", "WIJKRAAD", f"WijkRaad@{instance.domain}", "@wijkraad"):
        status, body = await instance.request("GET", f"/api/v1/accounts/lookup?acct={acct}", token=token)
        assert (status, body.get("username")) == (200, "wijkraad"), acct
    status, body = await instance.request("GET", f"/.well-known/webfinger?resource=acct:WIJKRAAD@{instance.domain}")
    assert status == 200 and body["subject"] == f"acct:wijkraad@{instance.domain}"
    status, _ = await instance.get_ap("/users/WijkRaad")
    assert status == 200
    with pytest.raises(Exception, match="already exists"):
        await instance.create_account("WIJKRAAD")


async def test_local_search_finds_an_account_by_name(instance, token):
    await instance.create_account("wijkraad")
    for query in ("wijkraad", "@wijkraad", "WijkRaad"):
        status, body = await instance.request("GET", f"/api/v2/search?q={query}", token=token)
        assert status == 200
        assert [a["acct"] for a in body["accounts"]] == ["wijkraad"], query
        assert body["statuses"] == [] and body["hashtags"] == []
    status, body = await instance.request("GET", "/api/v2/search?q=niemand", token=token)
    assert (status, body["accounts"]) == (200, [])
    status, body = await instance.request("GET", "/api/v2/search?q=", token=token)
    assert status == 422


async def test_a_remote_handle_is_searched_only_when_asked_to_resolve(instance, peer, token):
    peer.add_actor("alice")
    status, body = await instance.request("GET", f"/api/v2/search?q=alice@{peer.domain}", token=token)
    assert (status, body["accounts"]) == (200, [])
    assert peer.fetches == []
    status, body = await instance.request("GET", f"/api/v2/search?q=alice@{peer.domain}&resolve=true", token=token)
    assert [a["acct"] for a in body["accounts"]] == [f"alice@{peer.domain}"]


async def test_relationships_say_who_follows_whom(instance, peer, gemeente, token):
    alice = peer.add_actor("alice")
    status, account = await instance.request("GET", f"/api/v1/accounts/lookup?acct=alice@{peer.domain}", token=token)
    alice_id = account["id"]

    async def relationship() -> dict:
        status, body = await instance.request("GET", f"/api/v1/accounts/relationships?id[]={alice_id}", token=token)
        assert status == 200 and len(body) == 1 and body[0]["id"] == alice_id
        return {k: body[0][k] for k in ("following", "requested", "followed_by")}

    assert await relationship() == {"following": False, "requested": False, "followed_by": False}
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, gemeente.uri), alice))[0] == 202
    await instance.settle()
    assert await relationship() == {"following": False, "requested": False, "followed_by": True}
    status, body = await instance.request("POST", f"/api/v1/accounts/{alice_id}/follow", token=token)
    assert status == 200 and body["requested"] is True and body["followed_by"] is True
    assert await relationship() == {"following": False, "requested": True, "followed_by": True}
