"""Notifications over HTTP: made by a remote peer's signed Like, Announce, Create (mention) and
Follow and by local accounts through the API, each once (a re-delivered activity adds none),
never of one's own action or of a status one may not see; listed with Mastodon's filters and
paging; dismissed and cleared only by their recipient."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from pubhub.store.models import Actor, Interaction, Notification, Object
from tests.support.store import count, one


@pytest.fixture
async def gemeente(instance):
    account = await instance.create_account("gemeente")
    return account, await instance.token_for(account, "read write follow")


async def notifications(instance, token, **params) -> list[dict]:
    status, body = await instance.request("GET", "/api/v1/notifications", token=token, params=params)
    assert status == 200, body
    return body


def mention(peer, author, target, text="Hallo", **extra) -> dict:
    note = peer.note(author, f"<p>@gemeente {text}</p>", cc=[author.followers, target.uri],
                     tag=[{"type": "Mention", "href": target.uri, "name": "@gemeente"}], **extra)
    return peer.create(author, note)


async def deliver(instance, peer, actor, *activities) -> None:
    for activity in activities:
        status, body = await peer.post(f"{instance.base}/inbox", activity, actor)
        assert status == 202, body
    await instance.settle()


async def test_a_remote_peer_s_like_boost_mention_and_follow_notify_once_each(instance, peer, alice, gemeente):
    account, token = gemeente
    post = await instance.post_status(token, status="Nieuw afvalbeleid")
    like, boost = peer.activity("Like", alice, post["uri"]), peer.activity("Announce", alice, post["uri"])
    mentioned, follow = mention(peer, alice, account), peer.activity("Follow", alice, account.uri)
    await deliver(instance, peer, alice, like, boost, mentioned, follow)

    found = await notifications(instance, token)
    assert [n["type"] for n in found] == ["follow", "mention", "reblog", "favourite"]
    assert {n["account"]["acct"] for n in found} == {f"alice@{peer.domain}"}
    assert [n["status"]["id"] for n in found[2:]] == [post["id"], post["id"]]
    assert found[1]["status"]["uri"] == mentioned["object"]["id"] and "status" not in found[0]

    # Re-delivered (the same ids), and a second Like of the same note under a new id: nothing new.
    await deliver(instance, peer, alice, like, boost, mentioned, follow, peer.activity("Like", alice, post["uri"]))
    assert [n["id"] for n in await notifications(instance, token)] == [n["id"] for n in found]
    assert await count(instance, Notification) == 4


async def test_a_follow_of_a_locked_account_is_a_follow_request(instance, peer, alice, gemeente):
    account, token = gemeente
    async with instance.runtime.db.write() as session:
        await session.execute(update(Actor).where(Actor.id == account.id).values(manually_approves=True))
    await deliver(instance, peer, alice, peer.activity("Follow", alice, account.uri))
    assert [n["type"] for n in await notifications(instance, token)] == ["follow_request"]


async def test_local_mentions_and_follows_notify_and_one_s_own_do_not(instance, gemeente):
    account, token = gemeente
    bob = await instance.create_account("bob")
    bob_token = await instance.token_for(bob)
    await instance.post_status(token, status="@gemeente een notitie voor mezelf")  # no self-notification
    said = await instance.post_status(bob_token, status="@gemeente wanneer komt de vuilnisauto?")
    status, _ = await instance.request("POST", f"/api/v1/accounts/{account.id}/follow", token=bob_token)
    assert status == 200
    found = await notifications(instance, token)
    assert [(n["type"], n["account"]["username"]) for n in found] == [("follow", "bob"), ("mention", "bob")]
    assert found[1]["status"]["id"] == said["id"]
    assert await notifications(instance, bob_token) == []


async def test_a_notification_whose_status_is_gone_is_not_shown(instance, peer, alice, gemeente):
    account, token = gemeente
    created = mention(peer, alice, account)
    await deliver(instance, peer, alice, created)
    assert [n["type"] for n in await notifications(instance, token)] == ["mention"]
    await deliver(instance, peer, alice, peer.activity("Delete", alice, created["object"]["id"]))
    assert await notifications(instance, token) == []


async def test_a_reply_that_does_not_mention_the_account_notifies_nobody(instance, peer, alice, gemeente):
    """As in Mastodon, a reply tells its parent's author through the mention replies carry; a
    direct reply to someone else, without one, is not the parent author's to see."""
    account, token = gemeente
    post = await instance.post_status(token, status="Inspraakavond")
    hidden = peer.note(alice, "<p>alleen voor mallory</p>", to=[f"{peer.base}/users/mallory"], cc=[],
                       in_reply_to=post["uri"])
    await deliver(instance, peer, alice, peer.create(alice, hidden))
    assert await notifications(instance, token) == []


async def test_filters_and_paging(instance, peer, alice, mallory, gemeente):
    account, token = gemeente
    post = await instance.post_status(token, status="Peiling")
    await deliver(instance, peer, alice, peer.activity("Like", alice, post["uri"]), mention(peer, alice, account))
    await deliver(instance, peer, mallory, peer.activity("Like", mallory, post["uri"]),
                  peer.activity("Follow", mallory, account.uri))
    everything = await notifications(instance, token)
    assert [n["type"] for n in everything] == ["follow", "favourite", "mention", "favourite"]

    assert [n["type"] for n in await notifications(instance, token, **{"types[]": "favourite"})] == ["favourite"] * 2
    assert [n["type"] for n in await notifications(instance, token, **{"exclude_types[]": "favourite"})] == \
        ["follow", "mention"]
    alice_id = everything[2]["account"]["id"]
    assert [n["type"] for n in await notifications(instance, token, account_id=alice_id)] == ["mention", "favourite"]
    assert await notifications(instance, token, **{"types[]": "poll-nonsense"}) == []

    status, page = await instance.request("GET", "/api/v1/notifications", token=token, params={"limit": "2"})
    assert status == 200 and [n["id"] for n in page] == [n["id"] for n in everything[:2]]
    older = await notifications(instance, token, limit="2", max_id=page[-1]["id"])
    assert [n["id"] for n in older] == [n["id"] for n in everything[2:]]
    newer = await notifications(instance, token, min_id=everything[2]["id"])
    assert [n["id"] for n in newer] == [n["id"] for n in everything[:2]]
    async with instance.http.get(f"{instance.base}/api/v1/notifications?limit=2",
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        link = response.headers["Link"]
    assert f"max_id={page[-1]['id']}" in link and 'rel="next"' in link and f"min_id={page[0]['id']}" in link


async def test_dismiss_and_clear_only_by_the_recipient(instance, peer, alice, gemeente):
    account, token = gemeente
    post = await instance.post_status(token, status="Peiling")
    await deliver(instance, peer, alice, peer.activity("Like", alice, post["uri"]), mention(peer, alice, account))
    first, second = await notifications(instance, token)
    other = await instance.token_for(await instance.create_account("bob"))

    for method, path in (("GET", f"/api/v1/notifications/{first['id']}"),
                         ("POST", f"/api/v1/notifications/{first['id']}/dismiss")):
        assert await instance.request(method, path, token=other) == (404, {"error": "Record not found"})
    assert await instance.request("POST", "/api/v1/notifications/clear", token=other) == (200, {})
    assert await instance.request("POST", "/api/v1/notifications/999/dismiss", token=token) == \
        (404, {"error": "Record not found"})
    assert await count(instance, Notification) == 2  # none of that changed anything

    status, shown = await instance.request("GET", f"/api/v1/notifications/{first['id']}", token=token)
    assert status == 200 and shown == first
    assert await instance.request("POST", f"/api/v1/notifications/{first['id']}/dismiss", token=token) == (200, {})
    assert [n["id"] for n in await notifications(instance, token)] == [second["id"]]
    assert await instance.request("POST", "/api/v1/notifications/clear", token=token) == (200, {})
    assert await notifications(instance, token) == [] and await count(instance, Notification) == 0


async def test_what_is_taken_back_takes_its_notification_with_it(instance, peer, alice, mallory, gemeente):
    """As in Mastodon: an Undo of a Like or Follow, an unfollow, and an answered follow
    request remove the notification they made; a new follow after that notifies again."""
    account, token = gemeente
    post = await instance.post_status(token, status="Peiling")
    like, follow = peer.activity("Like", alice, post["uri"]), peer.activity("Follow", alice, account.uri)
    boost = peer.activity("Announce", mallory, post["uri"])
    await deliver(instance, peer, alice, like, follow)
    await deliver(instance, peer, mallory, boost, peer.activity("Undo", mallory, boost))  # in one batch, too
    assert [n["type"] for n in await notifications(instance, token)] == ["follow", "favourite"]
    await deliver(instance, peer, mallory, peer.activity("Undo", mallory, like))  # not hers: nothing goes
    assert [n["type"] for n in await notifications(instance, token)] == ["follow", "favourite"]

    await deliver(instance, peer, alice, peer.activity("Undo", alice, like), peer.activity("Undo", alice, follow))
    assert await notifications(instance, token) == []
    await deliver(instance, peer, alice, peer.activity("Follow", alice, account.uri))
    assert [n["type"] for n in await notifications(instance, token)] == ["follow"]

    bob = await instance.create_account("bob")
    bob_token = await instance.token_for(bob)
    await instance.request("POST", f"/api/v1/accounts/{account.id}/follow", token=bob_token)
    await instance.request("POST", f"/api/v1/accounts/{account.id}/unfollow", token=bob_token)
    assert [n["account"]["username"] for n in await notifications(instance, token)] == ["alice"]

    async with instance.runtime.db.write() as session:
        await session.execute(update(Actor).where(Actor.id == account.id).values(manually_approves=True))
    await instance.request("POST", f"/api/v1/accounts/{account.id}/follow", token=bob_token)
    assert [n["type"] for n in await notifications(instance, token)] == ["follow_request", "follow"]
    status, _ = await instance.request("POST", f"/api/v1/follow_requests/{bob.id}/authorize", token=token)
    assert status == 200
    assert [n["type"] for n in await notifications(instance, token)] == ["follow"]


async def test_an_edit_of_a_boosted_note_notifies_who_boosted_it_once_per_edit(instance, peer, alice, gemeente):
    """`update`, as Mastodon: those here who boosted a note hear of its edits (boosting through
    the API comes with the interactions endpoints: the boost is recorded directly here)."""
    account, token = gemeente
    created = mention(peer, alice, account, "eerste versie")
    await deliver(instance, peer, alice, created)
    note = await one(instance, Object, Object.uri == created["object"]["id"])
    async with instance.runtime.db.write() as session:
        session.add(Interaction(kind="Announce", activity_uri=f"{account.uri}#boost", actor_id=account.id,
                                object_id=note.id, created_at=instance.runtime.clock.now()))
    edited = {**created["object"], "content": "<p>@gemeente tweede versie</p>", "updated": "2026-11-23T11:00:00Z"}
    update_activity = peer.activity("Update", alice, edited)
    await deliver(instance, peer, alice, update_activity, update_activity)  # the second: a re-delivery
    found = await notifications(instance, token)
    assert [n["type"] for n in found] == ["update", "mention"]
    assert found[0]["status"]["content"] == "<p>@gemeente tweede versie</p>" and found[0]["status"]["edited_at"]
    await deliver(instance, peer, alice, peer.activity("Update", alice, {**edited, "content": "<p>derde</p>"}))
    assert [n["type"] for n in await notifications(instance, token)] == ["update", "update", "mention"]


async def test_a_local_favourite_and_boost_notify_the_author_and_taking_them_back_removes_them(instance, gemeente):
    account, token = gemeente
    bob_token = await instance.token_for(await instance.create_account("bob"))
    post = await instance.post_status(token, status="Open dag op het stadhuis")
    for action in ("favourite", "reblog"):
        status, _ = await instance.request("POST", f"/api/v1/statuses/{post['id']}/{action}", token=bob_token)
        assert status == 200
    shown = await notifications(instance, token)
    assert sorted(n["type"] for n in shown) == ["favourite", "reblog"]
    assert {n["account"]["username"] for n in shown} == {"bob"} and {n["status"]["id"] for n in shown} == {post["id"]}
    status, _ = await instance.request("POST", f"/api/v1/statuses/{post['id']}/unfavourite", token=bob_token)
    assert status == 200
    assert [n["type"] for n in await notifications(instance, token)] == ["reblog"]
    for action in ("favourite", "reblog"):  # one's own: no notification
        await instance.request("POST", f"/api/v1/statuses/{post['id']}/{action}", token=token)
    assert [n["type"] for n in await notifications(instance, token)] == ["reblog"]
