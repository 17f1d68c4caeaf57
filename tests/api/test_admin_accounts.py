"""Mastodon's accounts admin, reading: the v1 and v2 lists with their filters and pages, one
account in Mastodon's Admin::Account shape, and who may read them."""

from __future__ import annotations

import pytest

from pubhub.moderation.permissions import grant_moderators

V1, V2 = "/api/v1/admin/accounts", "/api/v2/admin/accounts"
ADMIN_SCOPES = "read admin:read admin:write"
# Mastodon's REST::Admin::AccountSerializer.
ADMIN_ACCOUNT_KEYS = {"id", "username", "domain", "created_at", "email", "ip", "ips", "role", "confirmed", "suspended",
                      "silenced", "sensitized", "disabled", "approved", "locale", "invite_request", "account"}


@pytest.fixture
async def people(instance, peer, alice):
    """Local accounts of each role, one with an e-mail address, and alice (remote) following one."""
    made = {
        "gemeente": await instance.create_account("gemeente", display_name="Gemeente Oost", email="info@oost.example"),
        "griffie": await instance.create_account("griffie"),
        "moderator": await instance.create_account("moderator", role="moderator"),
        "beheerder": await instance.create_account("beheerder", role="admin"),
    }
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, made["gemeente"].uri), alice)
    assert status == 202
    await instance.settle()
    made["admin_token"] = await instance.token_for(made["beheerder"], ADMIN_SCOPES)
    made["moderator_token"] = await instance.token_for(made["moderator"], ADMIN_SCOPES)
    return made


async def _names(instance, token, path, **params) -> list[str]:
    status, body = await instance.request("GET", path, token=token, params=params)
    assert status == 200, body
    return [account["username"] if account["domain"] is None else f"{account['username']}@{account['domain']}"
            for account in body]


async def test_the_v2_list_filters_as_mastodon(instance, peer, people):
    token, remote = people["admin_token"], f"alice@{peer.domain}"
    assert await _names(instance, token, V2) == [remote, "beheerder", "moderator", "griffie", "gemeente"]
    assert await _names(instance, token, V2, origin="local") == ["beheerder", "moderator", "griffie", "gemeente"]
    assert await _names(instance, token, V2, origin="remote") == [remote]
    assert await _names(instance, token, V2, by_domain=peer.domain.upper()) == [remote]
    assert await _names(instance, token, V2, username="G") == ["griffie", "gemeente"]
    assert await _names(instance, token, V2, display_name="oost") == ["gemeente"]
    assert await _names(instance, token, V2, email="OOST.example") == ["gemeente"]
    assert await _names(instance, token, V2, permissions="staff") == ["beheerder", "moderator"]
    assert await _names(instance, token, V2, status="pending") == []
    for status in ("silenced", "suspended", "disabled"):
        assert await _names(instance, token, V2, status=status) == []
    assert len(await _names(instance, token, V2, status="active")) == 5


async def test_the_v1_list_takes_its_flags(instance, peer, people):
    token = people["admin_token"]
    assert await _names(instance, token, V1, local="true", staff="true") == ["beheerder", "moderator"]
    assert await _names(instance, token, V1, remote="true") == [f"alice@{peer.domain}"]
    assert await _names(instance, token, V1, suspended="true") == []
    assert await _names(instance, token, V1, username="gem", active="true") == ["gemeente"]


async def test_a_bad_filter_is_a_422(instance, people):
    status, body = await instance.request("GET", V2, token=people["admin_token"], params={"status": "banned"})
    assert status == 422 and "status" in body["error"]


async def test_pages_follow_the_link_header(instance, people):
    token = people["admin_token"]
    status, first = await instance.request("GET", V2, token=token, params={"limit": "2", "origin": "local"})
    assert status == 200 and [a["username"] for a in first] == ["beheerder", "moderator"]
    async with instance.http.get(f"{instance.base}{V2}", params={"limit": "2", "origin": "local"},
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        link = response.headers["Link"]
    assert f"max_id={first[-1]['id']}" in link and 'rel="next"' in link
    assert await _names(instance, token, V2, limit="2", origin="local", max_id=first[-1]["id"]) == ["griffie", "gemeente"]
    assert await _names(instance, token, V2, origin="local", since_id=first[-1]["id"]) == ["beheerder"]


async def test_one_account_in_mastodons_admin_shape(instance, peer, people):
    token, gemeente = people["admin_token"], people["gemeente"]
    status, shown = await instance.request("GET", f"{V1}/{gemeente.id}", token=token)
    assert status == 200 and set(shown) == ADMIN_ACCOUNT_KEYS
    assert (shown["id"], shown["username"], shown["domain"], shown["email"]) == (str(gemeente.id), "gemeente", None,
                                                                               "info@oost.example")
    assert (shown["ip"], shown["ips"], shown["confirmed"], shown["approved"]) == (None, [], True, True)
    assert (shown["suspended"], shown["silenced"], shown["sensitized"], shown["disabled"]) == (False,) * 4
    assert shown["role"]["name"] == "" and shown["account"]["acct"] == "gemeente"
    assert shown["account"]["followers_count"] == 1
    status, staff = await instance.request("GET", f"{V1}/{people['beheerder'].id}", token=token)
    assert staff["role"]["name"] == "Admin" and staff["role"]["permissions"] == "1"
    [remote] = await _account_rows(instance, token, origin="remote")
    assert (remote["domain"], remote["email"], remote["role"], remote["confirmed"]) == (peer.domain, None, None, False)


async def _account_rows(instance, token, **params) -> list[dict]:
    status, body = await instance.request("GET", V2, token=token, params=params)
    assert status == 200
    return body


async def test_an_unknown_or_malformed_id_is_404(instance, people):
    for missing in ("999999", "abc"):
        status, body = await instance.request("GET", f"{V1}/{missing}", token=people["admin_token"])
        assert (status, body) == (404, {"error": "Record not found"})


async def test_a_moderator_reads_while_granted_manage_users(instance, people):
    token = people["moderator_token"]
    assert len(await _names(instance, token, V2)) == 5
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_reports"])
    for path in (V1, V2, f"{V1}/{people['gemeente'].id}"):
        status, body = await instance.request("GET", path, token=token)
        assert (status, body) == (403, {"error": "This action is not allowed"}), path


@pytest.mark.parametrize("role, scopes", [
    ("user", "read write follow"),  # a user's token cannot carry admin scopes at all
    ("admin", "read write follow"),  # an admin's token without the admin scopes
    ("admin", "admin:write"),  # writing, not reading
])
async def test_others_are_refused(instance, people, role, scopes):
    token = await instance.token_for(await instance.create_account(f"{role}_2", role=role), scopes)
    for path in (V1, V2, f"{V1}/{people['gemeente'].id}"):
        status, body = await instance.request("GET", path, token=token)
        assert status == 403 and "error" in body, path
    assert (await instance.request("GET", V2))[0] == 401
    assert (await instance.request("GET", V2, params={"access_token": people["admin_token"]}))[0] == 401
