"""A post submitted to a room (`submit_post_to_room`, what the inbound side calls for a post that
mentions or addresses a room): shared at once (moderation none or post) as an Announce from the
room to its followers' servers, one delivery per shared inbox; held in the queue (pre) until a
moderator approves it; refused (and logged) for non-members, banned authors and direct
messages. Remote members on a fake server receive what the room sends, signed by the room."""

from __future__ import annotations

from pubhub.rooms.submissions import QUEUED, REFUSED, SHARED
from tests.support import store
from tests.support.peer import PUBLIC
from tests.support.rooms import join, make_room, post_to, submit


async def test_a_members_post_in_an_open_room_is_announced_to_the_followers_servers(instance, peer, other_peer):
    room = await make_room(instance)
    alice, bob = peer.add_actor("alice", key_index=1), peer.add_actor("bob", key_index=2)
    carol = other_peer.add_actor("carol", key_index=3)
    for remote, actor in ((peer, alice), (peer, bob), (other_peer, carol)):
        await join(instance, remote, actor, room)
    assert [r.activity["type"] for r in peer.received + other_peer.received] == ["Accept"] * 3
    peer.received.clear(), other_peer.received.clear()

    note = await post_to(instance, peer, alice, room)
    submission = await submit(instance, "wijkraad", note["id"])
    assert submission.outcome == SHARED
    await instance.settle()

    announces = peer.received_of_type("Announce")
    assert [r.path for r in announces] == ["/inbox"]  # alice and bob share their server's inbox
    assert [r.path for r in other_peer.received_of_type("Announce")] == ["/inbox"]
    announce = announces[0].activity
    assert announces[0].verified and announce["actor"] == room.actor.uri
    assert announce["object"] == note["id"] and announce["audience"] == room.actor.uri
    assert announce["to"] == [room.actor.followers_url, PUBLIC] and announce["cc"] == [alice.uri]
    item = await store.one(instance, store.ModerationItem)
    assert (item.state, item.announce_uri) == ("approved", announce["id"])


async def test_a_post_in_a_pre_moderated_room_waits_in_the_queue(instance, peer):
    room = await make_room(instance, moderation="pre")
    alice = peer.add_actor("alice")
    await join(instance, peer, alice, room)
    peer.received.clear()
    note = await post_to(instance, peer, alice, room)

    submission = await submit(instance, "wijkraad", note["id"])
    assert (submission.outcome, submission.item.state) == (QUEUED, "pending")
    await instance.settle()
    assert peer.received == []
    status, _ = await peer.post(f"{instance.base}/inbox", peer.create(alice, note), alice)  # re-sent, new id
    assert status == 202
    await instance.settle()
    assert peer.received == [] and await store.count(instance, store.ModerationItem) == 1


async def test_a_non_member_a_direct_message_and_staff_only_rooms_are_refused_and_logged(instance, peer):
    room = await make_room(instance)
    alice = peer.add_actor("alice")
    note = await post_to(instance, peer, alice, room)  # alice never joined
    submission = await submit(instance, "wijkraad", note["id"])
    assert submission.outcome == REFUSED and "only members" in submission.reason
    await instance.settle()
    assert peer.received_of_type("Announce") == []
    decision = await store.one(instance, store.RoomDecision)
    assert (decision.action, decision.moderator_id, decision.reason) == ("post_refused", None, submission.reason)

    await join(instance, peer, alice, room)
    direct = await post_to(instance, peer, alice, room, "Alleen voor de wijkraad", to=[room.actor.uri], cc=[])
    assert (await submit(instance, "wijkraad", direct["id"])).outcome == REFUSED

    staff_room = await make_room(instance, "raad", post="staff")
    await join(instance, peer, alice, staff_room)
    public = await post_to(instance, peer, alice, staff_room)
    refused = await submit(instance, "raad", public["id"])
    assert refused.outcome == REFUSED and "post: staff" in refused.reason
    await instance.settle()
    assert peer.received_of_type("Announce") == []


async def test_anyone_may_post_in_an_anyone_room(instance, peer):
    await make_room(instance, post="anyone", moderation="post")
    room = await make_room(instance, "vragen", post="anyone")
    alice = peer.add_actor("alice")
    note = await post_to(instance, peer, alice, room)
    assert (await submit(instance, "vragen", note["id"])).outcome == SHARED


async def test_a_members_only_room_announces_to_its_followers_only(instance, peer):
    room = await make_room(instance, visibility="members")
    alice = peer.add_actor("alice")
    await join(instance, peer, alice, room)
    note = await post_to(instance, peer, alice, room, to=[alice.followers], cc=[room.actor.uri])  # followers-only
    assert (await submit(instance, "wijkraad", note["id"])).outcome == SHARED
    await instance.settle()
    [announce] = peer.received_of_type("Announce")
    assert announce.activity["to"] == [room.actor.followers_url] and announce.activity["cc"] == [alice.uri]
