"""Mastodon's accounts admin, acting: each action and its reversal over HTTP, what it does to
the account, its statement of reasons and audit entries; every refusal changes nothing; and
Mastodon.py drives the endpoints."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from mastodon import Mastodon

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import AuditEntry, Statement
from tests.support import store

ACCOUNTS = "/api/v1/admin/accounts"
ADMIN_SCOPES = "read write admin:read admin:write"


@dataclass
class Scene:
    gemeente: object  # the local account acted on
    token: str  # its own token
    post: dict  # its public post
    follower: str  # the token of a local account following it
    stranger: str  # the token of a local account that does not
    admin: object
    admin_token: str
    moderator: object
    moderator_token: str


@pytest.fixture
async def scene(instance, peer, alice) -> Scene:
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    follower = await instance.token_for(await instance.create_account("volger"))
    stranger = await instance.token_for(await instance.create_account("vreemde"))
    status, _ = await instance.request("POST", f"/api/v1/accounts/{gemeente.id}/follow", token=follower)
    assert status == 200
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, gemeente.uri), alice)
    assert status == 202
    post = await instance.post_status(token, status="Nieuw beleid")
    await instance.settle()
    admin = await instance.create_account("beheerder", role="admin")
    moderator = await instance.create_account("moderator", role="moderator")
    return Scene(gemeente, token, post, follower, stranger, admin, await instance.token_for(admin, ADMIN_SCOPES),
                 moderator, await instance.token_for(moderator, ADMIN_SCOPES))


async def _act(instance, token, account_id, **body) -> tuple[int, dict]:
    return await instance.request("POST", f"{ACCOUNTS}/{account_id}/action", token=token, json=body)


async def _states(instance, account_id) -> tuple:
    row = await store.one(instance, store.Actor, store.Actor.id == account_id)
    return None if row is None else (row.suspended_at, row.silenced_at, row.sensitized_at, row.disabled_at)


async def _records(instance) -> tuple[list, list]:
    return await store.all_of(instance, Statement), await store.all_of(instance, AuditEntry)


async def test_suspending_a_local_account_hides_it_stops_it_and_tells_its_followers(instance, peer, scene):
    peer.inbox_status = 503  # a delivery of its next post waits for a retry
    waiting = await instance.post_status(scene.token, status="Nog onderweg")
    await instance.settle()
    peer.received.clear()
    peer.inbox_status = 202

    status, body = await _act(instance, scene.admin_token, scene.gemeente.id, type="suspend",
                              text="Dreigementen in drie berichten", ground="2. Geen intimidatie")
    assert (status, body) == (200, {})
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=scene.token))[0] == 401
    assert (await instance.request("GET", f"/api/v1/accounts/{scene.gemeente.id}", token=scene.stranger))[0] == 404
    assert (await instance.get_ap(scene.gemeente.uri))[0] == 404
    assert (await instance.request("GET", f"/api/v1/statuses/{scene.post['id']}", token=scene.stranger))[0] == 404
    await instance.settle()
    [deleted] = peer.received_of_type("Delete")
    assert deleted.verified and deleted.activity["object"] == deleted.activity["actor"] == scene.gemeente.uri
    assert not [r for r in peer.received if r.activity.get("type") == "Create"]  # the waiting post never went
    failed = await store.all_of(instance, store.Delivery, store.Delivery.last_error == "account suspended")
    assert failed and all(row.state == "failed" for row in failed)

    [statement], [entry] = await _records(instance)
    assert (statement.action, statement.account_id, statement.moderator_id) == ("suspend", scene.gemeente.id, scene.admin.id)
    assert (statement.ground_kind, statement.ground, statement.facts) == ("rule", "2. Geen intimidatie",
                                                                         "Dreigementen in drie berichten")
    assert (entry.action, entry.target_id, entry.statement_id) == ("account.suspend", str(scene.gemeente.id), statement.id)
    status, shown = await instance.request("GET", f"{ACCOUNTS}/{scene.gemeente.id}", token=scene.admin_token)
    assert shown["suspended"] is True

    status, shown = await instance.request("POST", f"{ACCOUNTS}/{scene.gemeente.id}/unsuspend", token=scene.admin_token)
    assert status == 200 and shown["suspended"] is False
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=scene.token))[0] == 200
    assert (await instance.request("GET", f"/api/v1/statuses/{waiting['id']}", token=scene.stranger))[0] == 200
    await instance.settle()
    assert peer.received_of_type("Update")  # the profile is back for its followers' servers
    _, entries = await _records(instance)
    assert [e.action for e in entries] == ["account.suspend", "account.unsuspend"]


async def test_suspending_a_remote_account_severs_it_and_refuses_what_it_sends(instance, peer, alice, scene):
    reply = peer.note(alice, "<p>Antwoord</p>", in_reply_to=scene.post["uri"])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, reply), alice))[0] == 202
    await instance.settle()
    alice_row = await store.actor(instance, alice.uri)

    status, _ = await _act(instance, scene.moderator_token, alice_row.id, type="suspend", text="Spam",
                           ground_kind="law", ground="Wetboek van Strafrecht art. 137d")
    assert status == 200
    assert (await store.note(instance, reply["id"])).deleted_at is not None
    assert await store.count(instance, store.Follow, store.Follow.follower_id == alice_row.id) == 0
    again = peer.note(alice, "<p>Toch nog</p>", in_reply_to=scene.post["uri"])
    status, body = await peer.post(f"{instance.base}/inbox", peer.create(alice, again), alice)
    assert status == 403 and "suspended" in body["error"]
    [statement], _ = await _records(instance)
    assert (statement.ground_kind, statement.moderator_id) == ("law", scene.moderator.id)

    status, shown = await instance.request("POST", f"{ACCOUNTS}/{alice_row.id}/unsuspend", token=scene.moderator_token)
    assert status == 200 and shown["suspended"] is False and shown["domain"] == peer.domain
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, again), alice))[0] == 202


async def test_a_silenced_account_reaches_only_its_followers(instance, scene):
    path = f"/api/v1/statuses/{scene.post['id']}"
    assert (await instance.request("GET", path, token=scene.stranger))[0] == 200
    status, _ = await _act(instance, scene.admin_token, scene.gemeente.id, type="silence", text="Reclame")
    assert status == 200
    assert (await instance.request("GET", path, token=scene.stranger))[0] == 404
    assert (await instance.request("GET", path, token=scene.follower))[0] == 200
    assert (await instance.request("GET", path, token=scene.token))[0] == 200
    async with instance.http.get(f"{instance.base}/@gemeente") as page:
        assert "Nieuw beleid" not in await page.text()
    status, shown = await instance.request("POST", f"{ACCOUNTS}/{scene.gemeente.id}/unsilence", token=scene.admin_token)
    assert status == 200 and shown["silenced"] is False
    assert (await instance.request("GET", path, token=scene.stranger))[0] == 200
    async with instance.http.get(f"{instance.base}/@gemeente") as page:
        assert "Nieuw beleid" in await page.text()


async def test_a_sensitive_mark_shows_its_posts_as_sensitive_until_lifted(instance, scene):
    path = f"/api/v1/statuses/{scene.post['id']}"
    status, _ = await _act(instance, scene.admin_token, scene.gemeente.id, type="sensitive", text="Schokkende beelden")
    assert status == 200
    assert (await instance.request("GET", path, token=scene.stranger))[1]["sensitive"] is True
    status, shown = await instance.request("POST", f"{ACCOUNTS}/{scene.gemeente.id}/unsensitive", token=scene.admin_token)
    assert status == 200 and shown["sensitized"] is False
    assert (await instance.request("GET", path, token=scene.stranger))[1]["sensitive"] is False


async def test_a_disabled_account_cannot_use_its_tokens_until_enabled(instance, scene):
    status, _ = await _act(instance, scene.admin_token, scene.gemeente.id, type="disable", text="Gehackt")
    assert status == 200
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=scene.token))[0] == 401
    assert (await instance.request("GET", f"/api/v1/statuses/{scene.post['id']}", token=scene.stranger))[0] == 200
    status, shown = await instance.request("POST", f"{ACCOUNTS}/{scene.gemeente.id}/enable", token=scene.admin_token)
    assert status == 200 and shown["disabled"] is False
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=scene.token))[0] == 200
    statements, entries = await _records(instance)
    assert [s.action for s in statements] == ["disable"]
    assert [e.action for e in entries] == ["account.disable", "account.enable"]


async def test_a_warning_is_audited_without_a_statement(instance, scene):
    status, _ = await _act(instance, scene.admin_token, scene.gemeente.id, type="none", text="Let op de toon")
    assert status == 200
    statements, entries = await _records(instance)
    assert statements == [] and [(e.action, e.reason) for e in entries] == [("account.warn", "Let op de toon")]
    assert await _states(instance, scene.gemeente.id) == (None, None, None, None)


# ---- refusals: each changes nothing ------------------------------------------------------------

async def _refused(instance, token, account_id, expected: int, path: str = "action", **body) -> None:
    """The request is answered `expected`, and the account's states, the statements and the
    audit log are as they were."""
    before = await _states(instance, account_id), await _ids(instance)
    status, answer = await instance.request("POST", f"{ACCOUNTS}/{account_id}/{path}", token=token,
                                            json=body or {"type": "suspend", "text": "Spam"})
    assert status == expected and "error" in answer, (status, answer)
    assert (await _states(instance, account_id), await _ids(instance)) == before


async def _ids(instance) -> tuple[list[int], list[int]]:
    statements, entries = await _records(instance)
    return [row.id for row in statements], [row.id for row in entries]


@pytest.mark.parametrize("who, scopes", [
    ("user", "read write follow"),
    ("admin", "read write follow"),  # without the admin scopes
    ("admin", "admin:read"),  # reading, not writing
])
async def test_who_may_not_act_is_refused(instance, scene, who, scopes):
    token = await instance.token_for(await instance.create_account(f"{who}_2", role=who), scopes)
    for path in ("action", "unsuspend", "unsilence", "unsensitive", "enable"):
        await _refused(instance, token, scene.gemeente.id, 403, path)


async def test_a_moderator_without_manage_users_is_refused(instance, scene):
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_reports"])
    await _refused(instance, scene.moderator_token, scene.gemeente.id, 403)


async def test_a_moderator_cannot_act_on_staff_and_nobody_on_themselves(instance, scene):
    await _refused(instance, scene.moderator_token, scene.admin.id, 403)
    await _refused(instance, scene.moderator_token, scene.moderator.id, 403)
    await _refused(instance, scene.admin_token, scene.admin.id, 403)


async def test_unknown_ids_bad_types_missing_grounds_and_repeats_are_refused(instance, peer, alice, scene):
    await _refused(instance, scene.admin_token, 999999, 404)
    await _refused(instance, scene.admin_token, scene.gemeente.id, 422, type="ban", text="Spam")
    await _refused(instance, scene.admin_token, scene.gemeente.id, 422, type="suspend")  # no ground
    await _refused(instance, scene.admin_token, scene.gemeente.id, 422, type="silence", ground_kind="treaty", text="x")
    await _refused(instance, scene.admin_token, scene.gemeente.id, 422, "unsuspend")  # not suspended
    alice_row = await store.actor(instance, alice.uri)
    await _refused(instance, scene.admin_token, alice_row.id, 422, type="disable", text="Gehackt")
    assert (await _act(instance, scene.admin_token, scene.gemeente.id, type="silence", text="Reclame"))[0] == 200
    await _refused(instance, scene.admin_token, scene.gemeente.id, 422, type="silence", text="Reclame")


async def test_mastodon_py_moderates_accounts(instance, scene):
    gemeente_id = scene.gemeente.id

    def session():
        api = Mastodon(access_token=scene.admin_token, api_base_url=instance.base, version_check_mode="none",
                       request_timeout=10)
        listed = api.admin_accounts_v2(origin="local", username="gemeente")
        one = api.admin_account(gemeente_id)
        api.admin_account_moderate(gemeente_id, action="silence", text="Reclame")
        silenced = api.admin_accounts_v2(status="silenced")
        api.admin_account_unsilence(gemeente_id)
        api.admin_account_moderate(gemeente_id, action="suspend", text="Spam")
        suspended = api.admin_account(gemeente_id)
        api.admin_account_unsuspend(gemeente_id)
        api.admin_account_moderate(gemeente_id, action="disable", text="Gehackt")
        api.admin_account_enable(gemeente_id)
        api.admin_account_moderate(gemeente_id, action="sensitive", text="Beelden")
        api.admin_account_unsensitive(gemeente_id)
        return listed, one, silenced, suspended, api.admin_account(gemeente_id)

    listed, one, silenced, suspended, after = await asyncio.to_thread(session)
    assert [account["username"] for account in listed] == ["gemeente"] and one["account"]["acct"] == "gemeente"
    assert [str(account["id"]) for account in silenced] == [str(gemeente_id)] and suspended["suspended"] is True
    assert (after["suspended"], after["silenced"], after["disabled"], after["sensitized"]) == (False,) * 4
    statements, entries = await _records(instance)
    assert [s.action for s in statements] == ["silence", "suspend", "disable", "sensitive"]
    assert len(entries) == 8


async def test_a_silenced_remote_account_is_not_shown_to_those_who_do_not_follow_it(instance, peer, alice, scene):
    reply = peer.note(alice, "<p>Antwoord</p>", in_reply_to=scene.post["uri"])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, reply), alice))[0] == 202
    await instance.settle()
    stored = await store.note(instance, reply["id"])
    path = f"/api/v1/statuses/{stored.id}"
    assert (await instance.request("GET", path, token=scene.stranger))[0] == 200
    alice_row = await store.actor(instance, alice.uri)
    assert (await _act(instance, scene.moderator_token, alice_row.id, type="silence", text="Reclame"))[0] == 200
    assert (await instance.request("GET", path, token=scene.stranger))[0] == 404
    status, context = await instance.request("GET", f"/api/v1/statuses/{scene.post['id']}/context", token=scene.stranger)
    assert status == 200 and context["descendants"] == []
    assert (await instance.request("POST", f"{ACCOUNTS}/{alice_row.id}/unsilence", token=scene.moderator_token))[0] == 200
    assert (await instance.request("GET", path, token=scene.stranger))[0] == 200
