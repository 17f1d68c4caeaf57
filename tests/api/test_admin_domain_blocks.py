"""Mastodon's admin domain-block endpoints: who may use them, their shapes and checks, the public
list, and Mastodon.py driving them."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from mastodon import Mastodon

from tests.support import store

BLOCKS = "/api/v1/admin/domain_blocks"


@pytest.fixture
async def admin(instance) -> str:
    return await instance.token_for(await instance.create_account("beheerder", role="admin"), "read admin:read admin:write")


async def test_an_admin_blocks_changes_and_lifts_a_domain(instance, admin):
    status, block = await instance.request("POST", BLOCKS, token=admin, json={
        "domain": "Spam.Example.", "severity": "silence", "public_comment": "spam", "private_comment": "tickets 12, 14"})
    assert status == 200, block
    assert block["domain"] == "spam.example" and block["digest"] == hashlib.sha256(b"spam.example").hexdigest()
    assert (block["severity"], block["public_comment"], block["private_comment"]) == ("silence", "spam", "tickets 12, 14")
    assert (block["reject_media"], block["reject_reports"], block["obfuscate"]) == (False, False, False)

    status, changed = await instance.request("PUT", f"{BLOCKS}/{block['id']}", token=admin,
                                             data={"severity": "suspend", "reject_media": "true"})
    assert status == 200 and (changed["severity"], changed["reject_media"]) == ("suspend", True)
    status, listed = await instance.request("GET", BLOCKS, token=admin)
    assert status == 200 and [b["domain"] for b in listed] == ["spam.example"]
    status, shown = await instance.request("GET", f"{BLOCKS}/{block['id']}", token=admin)
    assert status == 200 and shown == changed

    status, _ = await instance.request("DELETE", f"{BLOCKS}/{block['id']}", token=admin)
    assert status == 200
    status, body = await instance.request("GET", f"{BLOCKS}/{block['id']}", token=admin)
    assert status == 404 and body == {"error": "Record not found"}


@pytest.mark.parametrize("payload, problem", [
    ({"domain": "https://spam.example/"}, "not a domain name"),
    ({"domain": "spam.example:8443"}, "not a domain name"),
    ({"domain": ""}, "a domain is required"),
    ({"domain": "spam.example", "severity": "ban"}, "severity"),
    ({"domain": "spam.example", "public_comment": "x" * 1001}, "public_comment"),
    ({"domain": "spam.example", "obfuscate": "maybe"}, "obfuscate"),
])
async def test_a_bad_block_is_refused_and_changes_nothing(instance, admin, payload, problem):
    status, body = await instance.request("POST", BLOCKS, token=admin, json=payload)
    assert status in (400, 422) and problem in body["error"]
    assert await store.count(instance, store.DomainBlock) == 0


async def test_a_domain_blocked_already_is_a_422_naming_the_block(instance, admin):
    status, block = await instance.request("POST", BLOCKS, token=admin, json={"domain": "spam.example"})
    status, body = await instance.request("POST", BLOCKS, token=admin, json={"domain": "SPAM.example."})
    assert status == 422 and f"block {block['id']}" in body["error"]
    assert await store.count(instance, store.DomainBlock) == 1


@pytest.mark.parametrize("who, scopes, expected", [
    ("moderator", "admin:read admin:write", 403),  # Manage Federation is the admins'
    ("user", "read write follow", 403),  # (a user's token cannot carry admin scopes at all)
    ("admin", "read write follow", 403),  # a token without the admin scopes
    ("admin", "admin:read", 403),  # reading, not writing
])
async def test_only_an_admin_token_with_the_scope_may_block(instance, who, scopes, expected):
    account = await instance.create_account(f"{who}_1", role=who)
    token = await instance.token_for(account, scopes)
    status, body = await instance.request("POST", BLOCKS, token=token, json={"domain": "spam.example"})
    assert status == expected and "error" in body
    assert await store.count(instance, store.DomainBlock) == 0


async def test_without_a_token_or_with_one_in_the_query_string_it_is_401(instance, admin):
    assert (await instance.request("GET", BLOCKS))[0] == 401
    assert (await instance.request("GET", f"{BLOCKS}?access_token={admin}"))[0] == 401


async def test_the_public_list_obfuscates_when_asked_and_hides_private_comments(instance, admin):
    for domain, obfuscate in (("spam.example", False), ("verylongdomainname.example", True)):
        status, _ = await instance.request("POST", BLOCKS, token=admin, json={
            "domain": domain, "severity": "suspend", "obfuscate": obfuscate, "public_comment": "spam",
            "private_comment": "intern"})
        assert status == 200
    status, _ = await instance.request("POST", BLOCKS, token=admin, json={"domain": "noted.example", "severity": "noop"})
    status, shown = await instance.request("GET", "/api/v1/instance/domain_blocks")
    assert status == 200
    assert [entry["domain"] for entry in shown] == ["spam.example", "verylon***********.*xample"]
    assert shown[1]["digest"] == hashlib.sha256(b"verylongdomainname.example").hexdigest()
    assert all(entry["comment"] == "spam" and "intern" not in str(entry) for entry in shown)


async def test_mastodon_py_manages_domain_blocks(instance, admin):
    def session():
        api = Mastodon(access_token=admin, api_base_url=instance.base, version_check_mode="none", request_timeout=10)
        created = api.admin_create_domain_block("spam.example", severity="suspend", public_comment="spam")
        listed = api.admin_domain_blocks()
        api.admin_update_domain_block(created["id"], severity="silence")
        one = api.admin_domain_blocks(id=created["id"])
        api.admin_delete_domain_block(created["id"])
        return created, listed, one, api.admin_domain_blocks()

    created, listed, one, after = await asyncio.to_thread(session)
    assert created["domain"] == "spam.example" and created["severity"] == "suspend"
    assert [block["domain"] for block in listed] == ["spam.example"]
    assert one["severity"] == "silence"
    assert after == []
