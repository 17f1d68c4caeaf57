"""Decisions taken in a room state their reasons too (DSA art. 17): a ban, a refused join, a
rejected or removed post each store a statement the local person concerned reads and may appeal;
a ban reversed on appeal is lifted in the room. Over real HTTP."""

from __future__ import annotations

from pubhub.store.models import Statement
from tests.support import store
from tests.support.rooms import join, make_moderator, make_room

DECISIONS, APPEALS = "/api/v1/pubhub/decisions", "/api/v1/pubhub/appeals"


async def _people(instance, room):
    member = await instance.create_account("burger")
    member_token = await instance.token_for(member)
    status, _ = await instance.request("POST", f"/api/v1/accounts/{room.actor.id}/follow", token=member_token)
    assert status == 200
    moderator = await make_moderator(instance, "anna")
    moderator_token = await instance.token_for(moderator, "admin:read admin:write")
    admin_token = await instance.token_for(await instance.create_account("beheerder", role="admin"),
                                           "admin:read admin:write")
    return member, member_token, moderator_token, admin_token


async def test_a_room_ban_states_its_reasons_and_is_lifted_when_reversed_on_appeal(instance):
    room = await make_room(instance)
    member, member_token, moderator_token, admin_token = await _people(instance, room)
    status, _ = await instance.request("POST", f"/api/v1/pubhub/rooms/{room.room.id}/members/{member.id}/ban",
                                       token=moderator_token, json={"reason": "Regel 2: geen scheldwoorden"})
    assert status == 200
    status, decisions = await instance.request("GET", DECISIONS, token=member_token)
    [ban] = [d for d in decisions if d["action"] == "ban"]
    assert (ban["ground_kind"], ban["ground"]) == ("room_rule", "Regel 2: geen scheldwoorden")
    assert "Wijkraad" in ban["facts"] and ban["automated"] is False

    status, appeal = await instance.request("POST", f"{DECISIONS}/{ban['id']}/appeal", token=member_token,
                                            json={"text": "Het was een citaat"})
    assert status == 200
    status, body = await instance.request("POST", f"{APPEALS}/{appeal['id']}/reverse", token=moderator_token,
                                          json={"explanation": "Toch niet"})
    assert status == 403  # who decided does not decide the appeal; nothing was lifted
    assert await store.count(instance, store.RoomBan) == 1
    status, body = await instance.request("POST", f"{APPEALS}/{appeal['id']}/reverse", token=admin_token,
                                          json={"explanation": "Een citaat is geen scheldpartij"})
    assert status == 200, body
    assert await store.count(instance, store.RoomBan) == 0
    status, shown = await instance.request("GET", f"{DECISIONS}/{ban['id']}", token=member_token)
    assert shown["reversed_at"] is not None  # the member reads that the ban was reversed
    status, relation = await instance.request("POST", f"/api/v1/accounts/{room.actor.id}/follow", token=member_token)
    assert status == 200 and relation["following"] is True


async def test_a_rejected_post_states_its_reasons_and_is_shared_when_reversed_on_appeal(instance, peer, alice):
    room = await make_room(instance, moderation="pre")
    await join(instance, peer, alice, room)
    member, member_token, moderator_token, admin_token = await _people(instance, room)
    posted = await instance.post_status(member_token, status="@wijkraad Gratis fiets af te halen")
    item = await store.one(instance, store.ModerationItem)
    status, _ = await instance.request("POST", f"/api/v1/pubhub/rooms/{room.room.id}/queue/{item.id}/reject",
                                       token=moderator_token, json={"reason": "Geen advertenties (regel 3)"})
    assert status == 200
    status, decisions = await instance.request("GET", DECISIONS, token=member_token)
    [rejected] = [d for d in decisions if d["action"] == "reject"]
    assert rejected["ground"] == "Geen advertenties (regel 3)" and rejected["target"]["type"] == "status"
    assert rejected["room_id"] == str(room.room.id)
    status, appeal = await instance.request("POST", f"{DECISIONS}/{rejected['id']}/appeal", token=member_token,
                                            json={"text": "Het is gratis"})
    peer.received.clear()
    status, body = await instance.request("POST", f"{APPEALS}/{appeal['id']}/reverse", token=admin_token,
                                          json={"explanation": "Gratis aanbod is geen reclame"})
    assert status == 200, body
    await instance.settle()
    [announce] = peer.received_of_type("Announce")
    assert announce.activity["object"] == posted["uri"]
    code, fate = await instance.request("GET", f"/api/v1/pubhub/statuses/{posted['id']}/moderation", token=member_token)
    assert [f["state"] for f in fate] == ["approved"]


async def test_a_rooms_automatic_refusal_states_its_reasons_too(instance, peer):
    room = await make_room(instance)  # members post here
    outsider = await instance.create_account("buitenstaander")
    token = await instance.token_for(outsider)
    await instance.post_status(token, status="@wijkraad Mag ik ook wat zeggen?")
    status, decisions = await instance.request("GET", DECISIONS, token=token)
    [refused] = decisions
    assert (refused["action"], refused["automated"], refused["ground_kind"]) == ("refuse", True, "room_rule")
    assert "only members post here" in refused["ground"] and refused["room_id"] == str(room.room.id)
    # A remote actor banned from the room is refused by its policy when it follows again: an
    # automated decision about its account.
    mallory = peer.add_actor("mallory")
    admin_token = await instance.token_for(await instance.create_account("beheerder", role="admin"),
                                           "admin:read admin:write")
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", mallory, room.actor.uri), mallory))[0] == 202
    await instance.settle()
    mallory_row = await store.actor(instance, mallory.uri)
    status, _ = await instance.request("POST", f"/api/v1/pubhub/rooms/{room.room.id}/members/{mallory_row.id}/ban",
                                       token=admin_token, json={"reason": "Spam"})
    assert status == 200
    await peer.post(f"{instance.base}/inbox", peer.activity("Follow", mallory, room.actor.uri), mallory)
    await instance.settle()
    kinds = sorted((s.action, s.automated) for s in await store.all_of(instance, Statement))
    assert kinds == [("ban", False), ("refuse", True), ("refuse_join", True)]
