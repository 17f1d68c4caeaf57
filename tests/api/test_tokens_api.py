"""PubHub's token endpoints: an account lists and revokes its own tokens, an admin anyone's;
nobody else learns or touches someone's token (404, as for one that does not exist)."""

from __future__ import annotations

import pytest

from tests.support import store

TOKENS = "/api/v1/pubhub/tokens"
EVERYONES = {"error": "only an admin with admin:write may list every account's tokens"}


@pytest.fixture
async def people(instance):
    alice = await instance.create_account("alice")
    bob = await instance.create_account("bob")
    return alice, bob


async def _works(instance, token: str) -> bool:
    return (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token))[0] == 200


async def test_an_account_lists_and_revokes_its_own_tokens(instance, people):
    alice, _ = people
    laptop, phone = await instance.token_for(alice), await instance.token_for(alice)
    status, listed = await instance.request("GET", TOKENS, token=phone)
    assert status == 200 and len(listed) == 2
    assert [entry["current"] for entry in listed] == [True, False]  # newest first: the phone's own
    assert all(laptop not in str(entry) and phone not in str(entry) for entry in listed)
    lost = listed[1]
    assert len(lost["fingerprint"]) == 12 and lost["acct"] == "alice"

    status, _ = await instance.request("DELETE", f"{TOKENS}/{lost['id']}", token=phone)
    assert status == 200
    assert not await _works(instance, laptop) and await _works(instance, phone)
    status, body = await instance.request("DELETE", f"{TOKENS}/{lost['id']}", token=phone)
    assert status == 404 and body == {"error": "Record not found"}  # revoked already
    assert [entry["id"] for entry in (await instance.request("GET", TOKENS, token=phone))[1]] == [listed[0]["id"]]


async def test_nobody_else_sees_or_revokes_a_token(instance, people):
    alice, bob = people
    alices, bobs = await instance.token_for(alice), await instance.token_for(bob)
    [bob_entry] = (await instance.request("GET", TOKENS, token=bobs))[1]
    status, body = await instance.request("DELETE", f"{TOKENS}/{bob_entry['id']}", token=alices)
    assert status == 404 and body == {"error": "Record not found"}  # the same as no such token
    for missing in ("999999", "abc", "1" * 30):
        assert (await instance.request("DELETE", f"{TOKENS}/{missing}", token=alices))[0] == 404
    assert await instance.request("GET", TOKENS, token=alices, params={"all": "true"}) == (403, EVERYONES)
    assert await _works(instance, bobs)
    # A moderator, even with admin scopes, manages only their own.
    moderator = await instance.token_for(await instance.create_account("moderatie", role="moderator"),
                                         "read write admin:read admin:write")
    assert (await instance.request("DELETE", f"{TOKENS}/{bob_entry['id']}", token=moderator))[0] == 404
    assert await _works(instance, bobs)


async def test_an_admin_lists_everyones_tokens_and_revokes_one(instance, people):
    _, bob = people
    bobs = await instance.token_for(bob)
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"),
                                     "read write admin:read admin:write")
    status, everyone = await instance.request("GET", TOKENS, token=admin, params={"all": "true"})
    assert status == 200 and sorted(entry["acct"] for entry in everyone) == ["beheerder", "bob"]
    [bob_entry] = [entry for entry in everyone if entry["acct"] == "bob"]
    assert (await instance.request("DELETE", f"{TOKENS}/{bob_entry['id']}", token=admin))[0] == 200
    assert not await _works(instance, bobs)
    [row] = await store.all_of(instance, store.Token, store.Token.actor_id == bob.id)
    assert row.revoked_at is not None


async def test_an_admin_token_without_the_admin_scope_manages_only_its_own(instance, people):
    _, bob = people
    bobs = await instance.token_for(bob)
    [bob_entry] = (await instance.request("GET", TOKENS, token=bobs))[1]
    plain = await instance.token_for(await instance.create_account("beheerder", role="admin"), "read write")
    assert await instance.request("GET", TOKENS, token=plain, params={"all": "true"}) == (403, EVERYONES)
    assert (await instance.request("DELETE", f"{TOKENS}/{bob_entry['id']}", token=plain))[0] == 404
    assert await _works(instance, bobs)


async def test_without_a_fitting_scope_or_token_it_is_refused(instance, people):
    alice, _ = people
    reader = await instance.token_for(alice, "read:statuses")
    assert (await instance.request("GET", TOKENS, token=reader))[0] == 403
    writer = await instance.token_for(alice, "read:accounts")
    [entry, *_] = (await instance.request("GET", TOKENS, token=writer))[1]
    assert (await instance.request("DELETE", f"{TOKENS}/{entry['id']}", token=writer))[0] == 403
    assert (await instance.request("GET", TOKENS))[0] == 401
    assert await _works(instance, writer)
