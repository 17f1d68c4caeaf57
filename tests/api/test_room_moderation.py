"""A hub moderator works a room through the admin API, over real HTTP, with remote members on a
fake Mastodon-like server: approving a held post federates the room's Announce to the members'
(shared) inboxes; removing it an Undo of that Announce and Lemmy's removal; rejecting one sends
its remote author a direct message with the reason; a ban removes the member (a Reject of its
Follow) and refuses its later posts; join requests are answered with Accept or Reject. Every
decision is in the room's log with who, what and why."""

from __future__ import annotations

from tests.support import store
from tests.support.peer import PUBLIC
from tests.support.rooms import join, make_moderator, make_room, post_to, submit


async def _moderator(instance, **policy):
    room = await make_room(instance, **policy)
    anna = await make_moderator(instance, "anna")
    return room, anna, await instance.token_for(anna, "admin:read admin:write")


async def test_approve_then_remove_federates_announce_then_undo_and_lemmys_removal(instance, peer):
    room, anna, token = await _moderator(instance, moderation="pre")
    alice, bob = peer.add_actor("alice", key_index=1), peer.add_actor("bob", key_index=2)
    for actor in (alice, bob):
        await join(instance, peer, actor, room)
    peer.received.clear()
    note = await post_to(instance, peer, alice, room)
    await submit(instance, "wijkraad", note["id"])
    base = f"/api/v1/pubhub/rooms/{room.room.id}"

    status, queued = await instance.request("GET", f"{base}/queue", token=token)
    assert status == 200 and [q["status"]["uri"] for q in queued] == [note["id"]]
    assert queued[0]["state"] == "pending" and queued[0]["account"]["acct"] == f"alice@{peer.domain}"
    status, approved = await instance.request("POST", f"{base}/queue/{queued[0]['id']}/approve", token=token)
    assert status == 200 and approved["state"] == "approved"
    status, again = await instance.request("POST", f"{base}/queue/{queued[0]['id']}/approve", token=token)
    assert status == 422  # decided already
    await instance.settle()

    [announce] = peer.received_of_type("Announce")
    assert announce.path == "/inbox" and announce.verified  # one POST for alice and bob: their shared inbox
    assert announce.activity["object"] == note["id"] and announce.activity["actor"] == room.actor.uri
    assert set(announce.activity["to"]) == {room.actor.followers_url, PUBLIC}  # a public post in a public room
    status, shared = await instance.request("GET", f"{base}/posts", token=token)
    assert [p["status"]["uri"] for p in shared] == [note["id"]]
    status_id = shared[0]["status"]["id"]

    peer.received.clear()
    status, body = await instance.request("POST", f"{base}/posts/{status_id}/remove", token=token)
    assert status == 422 and "reason" in body["error"]  # a removal needs its reason
    status, removed = await instance.request("POST", f"{base}/posts/{status_id}/remove", token=token,
                                             json={"reason": "Persoonsgegevens van een buurman"})
    assert status == 200 and removed["state"] == "removed"
    await instance.settle()
    undo = [r.activity for r in peer.received if r.activity["type"] == "Undo"]
    assert [u["object"]["id"] for u in undo] == [announce.activity["id"]] and undo[0]["actor"] == room.actor.uri
    [passed_on] = [r.activity for r in peer.received if r.activity["type"] == "Announce"]
    removal = passed_on["object"]
    assert (removal["type"], removal["actor"], removal["object"]) == ("Delete", anna.uri, note["id"])
    assert removal["summary"] == "Persoonsgegevens van een buurman" and removal["cc"] == [room.actor.uri]
    status, shared = await instance.request("GET", f"{base}/posts", token=token)
    assert shared == []

    status, log = await instance.request("GET", f"{base}/log", token=token)
    assert [(d["action"], d["moderator"]["username"], d["reason"]) for d in log] == [
        ("remove", "anna", "Persoonsgegevens van een buurman"), ("approve", "anna", "")]
    assert log[0]["target_account"]["acct"] == f"alice@{peer.domain}" and log[0]["target_status_id"] == status_id


async def test_reject_sends_the_remote_author_a_direct_message_with_the_reason(instance, peer):
    room, anna, token = await _moderator(instance, moderation="pre")
    alice = peer.add_actor("alice")
    await join(instance, peer, alice, room)
    peer.received.clear()
    note = await post_to(instance, peer, alice, room)
    item = (await submit(instance, "wijkraad", note["id"])).item
    path = f"/api/v1/pubhub/rooms/{room.room.id}/queue/{item.id}/reject"

    status, body = await instance.request("POST", path, token=token, json={"reason": "   "})
    assert (status, body) == (422, {"error": "Validation failed: reason: can't be blank"})
    assert (await store.one(instance, store.ModerationItem)).state == "pending"
    status, body = await instance.request("POST", path, token=token, json={"reason": "Niet over de wijk (regel 2)"})
    assert status == 200 and (body["state"], body["reason"]) == ("rejected", "Niet over de wijk (regel 2)")
    await instance.settle()

    assert peer.received_of_type("Announce") == []
    [message] = [r for r in peer.received if r.activity["type"] == "Create"]
    assert message.path == "/users/alice/inbox" and message.verified
    dm = message.activity["object"]
    assert message.activity["actor"] == room.actor.uri and dm["to"] == [alice.uri] and dm["cc"] == []
    assert dm["inReplyTo"] == note["id"] and "Niet over de wijk (regel 2)" in dm["content"]
    assert dm["tag"] == [{"type": "Mention", "href": alice.uri, "name": f"@alice@{peer.domain}"}]


async def test_a_ban_removes_the_member_and_refuses_its_later_posts(instance, peer):
    room, anna, token = await _moderator(instance)
    alice, bob = peer.add_actor("alice", key_index=1), peer.add_actor("bob", key_index=2)
    for actor in (alice, bob):
        await join(instance, peer, actor, room)
    peer.received.clear()
    base = f"/api/v1/pubhub/rooms/{room.room.id}"
    status, listed = await instance.request("GET", f"{base}/members", token=token)
    assert status == 200 and sorted(m["acct"] for m in listed) == [f"alice@{peer.domain}", f"bob@{peer.domain}"]
    alice_id = next(m["id"] for m in listed if m["username"] == "alice")

    status, body = await instance.request("POST", f"{base}/members/{alice_id}/ban", token=token)
    assert status == 422 and await store.count(instance, store.RoomBan) == 0
    status, banned = await instance.request("POST", f"{base}/members/{alice_id}/ban", token=token,
                                            json={"reason": "Scheldt buren uit"})
    assert status == 200 and (banned["account"]["id"], banned["reason"]) == (alice_id, "Scheldt buren uit")
    status, moderator_ban = await instance.request("POST", f"{base}/members/{anna.id}/ban", token=token,
                                                   json={"reason": "x"})
    assert status == 422  # the hub's own moderators cannot be banned
    await instance.settle()
    [reject] = peer.received_of_type("Reject")
    assert reject.path == "/users/alice/inbox" and reject.activity["object"]["actor"] == alice.uri
    status, listed = await instance.request("GET", f"{base}/members", token=token)
    assert [m["username"] for m in listed] == ["bob"]
    status, bans = await instance.request("GET", f"{base}/bans", token=token)
    assert [b["account"]["id"] for b in bans] == [alice_id]

    # What she sends the room now is dropped by the policy seam before it is applied...
    later = peer.note(alice, "<p>@wijkraad Nog eentje</p>", cc=[room.actor.uri],
                      tag=[{"type": "Mention", "href": room.actor.uri}])
    create = peer.create(alice, later)
    assert (await peer.post(f"{instance.base}/inbox", create, alice))[0] == 202
    await instance.settle()
    dropped = await store.inbox_activity(instance, create["id"])
    assert (dropped.state, dropped.error) == ("dropped", f"banned from the room {room.actor.uri}")
    assert await store.note(instance, later["id"]) is None
    assert peer.received_of_type("Announce") == []

    peer.received.clear()
    follow = peer.activity("Follow", alice, room.actor.uri)  # and she cannot join again: a Reject
    assert (await peer.post(f"{instance.base}/inbox", follow, alice))[0] == 202
    await instance.settle()
    [refusal] = peer.received_of_type("Reject")
    assert refusal.activity["object"]["id"] == follow["id"] and refusal.activity["actor"] == room.actor.uri
    assert [m["username"] for m in (await instance.request("GET", f"{base}/members", token=token))[1]] == ["bob"]

    status, _ = await instance.request("POST", f"{base}/members/{alice_id}/unban", token=token, json={"reason": "Excuses"})
    assert status == 200 and await store.count(instance, store.RoomBan) == 0
    status, _ = await instance.request("POST", f"{base}/members/{alice_id}/unban", token=token)
    assert status == 404
    status, log = await instance.request("GET", f"{base}/log", token=token)
    assert [(d["action"], d["reason"]) for d in log] == [
        ("unban", "Excuses"), ("join_refused", "banned from this room"), ("ban", "Scheldt buren uit")]
    assert log[1]["moderator"] is None  # the room's policy, not a person


async def test_join_requests_of_an_approval_room_are_answered_with_accept_or_reject(instance, peer):
    room, anna, token = await _moderator(instance, join="approval")
    actors = [peer.add_actor(name, key_index=i) for i, name in enumerate(("alice", "bob", "carol"), 1)]
    for actor in actors:
        await join(instance, peer, actor, room)
    assert peer.received == []  # held for a moderator
    base = f"/api/v1/pubhub/rooms/{room.room.id}"
    async with instance.http.get(f"{instance.base}{base}/follow_requests?limit=2",
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        first, link = await response.json(), response.headers["Link"]
    assert [a["username"] for a in first] == ["carol", "bob"] and 'rel="next"' in link
    status, rest = await instance.request("GET", link.split(">;", 1)[0].lstrip("<").removeprefix(instance.base), token=token)
    assert [a["username"] for a in rest] == ["alice"]

    status, _ = await instance.request("POST", f"{base}/follow_requests/{rest[0]['id']}/authorize", token=token)
    assert status == 200
    status, _ = await instance.request("POST", f"{base}/follow_requests/{first[1]['id']}/reject", token=token,
                                       json={"reason": "Woont niet in Oost"})
    assert status == 200
    status, _ = await instance.request("POST", f"{base}/follow_requests/{first[1]['id']}/authorize", token=token)
    assert status == 404  # answered already
    await instance.settle()
    answers = {r.path: r.activity["type"] for r in peer.received}
    assert answers == {"/users/alice/inbox": "Accept", "/users/bob/inbox": "Reject"}
    status, log = await instance.request("GET", f"{base}/log", token=token)
    assert [(d["action"], d["target_account"]["username"], d["reason"]) for d in log] == [
        ("join_refused", "bob", "Woont niet in Oost"), ("join_accepted", "alice", "")]
    status, members = await instance.request("GET", f"{base}/members", token=token)
    assert [m["username"] for m in members] == ["alice"]


async def test_members_are_paged_with_link_headers(instance, peer):
    room, anna, token = await _moderator(instance)
    for i, name in enumerate(("a1", "a2", "a3"), 1):
        await join(instance, peer, peer.add_actor(name, key_index=i), room)
    async with instance.http.get(f"{instance.base}/api/v1/pubhub/rooms/{room.room.id}/members?limit=2",
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        first, link = await response.json(), response.headers["Link"]
    assert [m["username"] for m in first] == ["a3", "a2"]
    status, rest = await instance.request("GET", link.split(">;", 1)[0].lstrip("<").removeprefix(instance.base), token=token)
    assert [m["username"] for m in rest] == ["a1"]
    status, body = await instance.request("GET", f"/api/v1/pubhub/rooms/{room.room.id}/members?limit=500", token=token)
    assert status == 422
