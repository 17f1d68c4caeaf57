"""Local accounts in rooms, through the client API over real HTTP: following a room is joining
it (a banned account is refused); a status that mentions a room is submitted to it in the same
transaction (shared at once, queued, or refused by the room's policy); the author reads what the
rooms made of the post, with the reason of a refusal, at /api/v1/pubhub/statuses/:id/moderation."""

from __future__ import annotations

from tests.support import store
from tests.support.rooms import join, make_moderator, make_room


async def _member(instance, room):
    burger = await instance.create_account("burger")
    token = await instance.token_for(burger)
    status, relation = await instance.request("POST", f"/api/v1/accounts/{room.actor.id}/follow", token=token)
    assert status == 200, relation
    return burger, token, relation


async def test_a_local_members_mention_of_the_room_is_shared_to_the_remote_members(instance, peer):
    room = await make_room(instance)
    alice = peer.add_actor("alice")
    await join(instance, peer, alice, room)
    peer.received.clear()
    burger, token, relation = await _member(instance, room)
    assert relation["following"] is True

    status = await instance.post_status(token, status="@wijkraad Wie helpt zaterdag met opruimen?")
    await instance.settle()
    [announce] = peer.received_of_type("Announce")
    assert announce.activity["object"] == status["uri"] and announce.activity["actor"] == room.actor.uri
    code, fate = await instance.request("GET", f"/api/v1/pubhub/statuses/{status['id']}/moderation", token=token)
    assert code == 200 and [(f["room"]["acct"], f["state"]) for f in fate] == [(f"wijkraad@{instance.domain}", "approved")]


async def test_a_held_local_post_rejected_by_a_moderator_shows_its_author_the_reason(instance, peer):
    room = await make_room(instance, moderation="pre")
    moderator = await make_moderator(instance, "anna")
    burger, token, _ = await _member(instance, room)
    status = await instance.post_status(token, status="@wijkraad Koop mijn fiets!")
    [item] = [i for i in [await store.one(instance, store.ModerationItem)] if i is not None]
    assert item.state == "pending"

    mod_token = await instance.token_for(moderator, "admin:read admin:write")
    code, body = await instance.request("POST", f"/api/v1/pubhub/rooms/{room.room.id}/queue/{item.id}/reject",
                                        token=mod_token, json={"reason": "Geen advertenties (regel 3)"})
    assert code == 200, body
    code, fate = await instance.request("GET", f"/api/v1/pubhub/statuses/{status['id']}/moderation", token=token)
    assert code == 200 and [(f["state"], f["reason"]) for f in fate] == [("rejected", "Geen advertenties (regel 3)")]
    other = await instance.token_for(await instance.create_account("buur"))
    code, body = await instance.request("GET", f"/api/v1/pubhub/statuses/{status['id']}/moderation", token=other)
    assert (code, body) == (404, {"error": "Record not found"})
    assert await store.count(instance, store.Object, store.Object.author_id == room.actor.id) == 0  # no DM to a local


async def test_a_non_member_is_refused_and_a_banned_account_cannot_join_again(instance):
    room = await make_room(instance)
    outsider = await instance.create_account("buitenstaander")
    token = await instance.token_for(outsider)
    status = await instance.post_status(token, status="@wijkraad Hallo")
    code, fate = await instance.request("GET", f"/api/v1/pubhub/statuses/{status['id']}/moderation", token=token)
    assert [(f["state"], f["reason"]) for f in fate] == [
        ("rejected", "only members post here: follow the room first (post: members)")]

    moderator = await make_moderator(instance, "anna")
    mod_token = await instance.token_for(moderator, "admin:write")
    code, _ = await instance.request("POST", f"/api/v1/pubhub/rooms/{room.room.id}/members/{outsider.id}/ban",
                                     token=mod_token, json={"reason": "Spam"})
    assert code == 200
    code, body = await instance.request("POST", f"/api/v1/accounts/{room.actor.id}/follow", token=token)
    assert (code, body) == (403, {"error": "banned from this room"})
    assert await store.count(instance, store.Follow) == 0
