"""What reaches a room through the inbox, from a fake Mastodon-like server over real HTTP:
a Follow is a request to join (accepted at once, left for a moderator, or refused with a
Reject for a banned actor), an Undo of it leaves; a note that mentions or addresses the room
is kept and submitted to it (shared, queued or refused, the refused author told why)."""

from __future__ import annotations

from pubhub.rooms import members, queue
from pubhub.rooms.directory import room_named
from tests.support import store
from tests.support.inbox import assert_done, assert_dropped
from tests.support.peer import PUBLIC
from tests.support.rooms import join, make_moderator, make_room, post_to


async def _members(instance, room) -> list[tuple[str, str]]:
    return [(state, follower) for state, follower, target in await store.follows(instance) if target == room.actor.uri]


async def _ban(instance, room, actor_uri: str, reason: str = "Spam") -> None:
    rt = instance.runtime
    banned = await store.actor(instance, actor_uri)
    async with rt.db.write() as session:
        await members.ban(rt, session, None, await room_named(session, room.slug), banned.id, reason)


async def test_a_follow_of_an_open_room_is_accepted_at_once_echoing_the_follow(instance, peer, alice):
    room = await make_room(instance)
    follow = await join(instance, peer, alice, room)
    [accept] = peer.received_of_type("Accept")
    assert accept.verified and accept.path == "/users/alice/inbox"
    assert accept.activity["actor"] == room.actor.uri
    assert accept.activity["object"]["id"] == follow["id"]  # Mastodon matches the Accept by the Follow's id
    assert await _members(instance, room) == [("accepted", alice.uri)]


async def test_a_follow_of_an_approval_room_waits_for_a_moderator(instance, peer, alice, mallory):
    room = await make_room(instance, join="approval")
    follow = await join(instance, peer, alice, room)
    await join(instance, peer, mallory, room)
    assert peer.received == []
    assert await _members(instance, room) == [("pending", alice.uri), ("pending", mallory.uri)]

    rt = instance.runtime
    async with rt.db.write() as session:
        target = await room_named(session, room.slug)
        await members.accept_join(rt, session, None, target, (await store.actor(instance, alice.uri)).id)
        await members.refuse_join(rt, session, None, target, (await store.actor(instance, mallory.uri)).id, "Not now")
    await instance.settle()
    [accept], [reject] = peer.received_of_type("Accept"), peer.received_of_type("Reject")
    assert accept.activity["object"]["id"] == follow["id"] and reject.path == "/users/mallory/inbox"
    assert await _members(instance, room) == [("accepted", alice.uri)]


async def test_a_banned_actor_s_follow_is_answered_with_a_reject_and_logged(instance, peer, alice):
    room = await make_room(instance)
    await join(instance, peer, alice, room)
    await _ban(instance, room, alice.uri)
    await instance.settle()
    assert [r.activity["type"] for r in peer.received] == ["Accept", "Reject"]  # the ban removed her
    assert await _members(instance, room) == []
    peer.received.clear()

    follow = await join(instance, peer, alice, room)
    await assert_done(instance, follow)
    [reject] = peer.received
    assert reject.activity["type"] == "Reject" and reject.activity["object"]["id"] == follow["id"]
    assert await _members(instance, room) == []
    logged = await store.one(instance, store.RoomDecision, store.RoomDecision.action == "join_refused")
    assert "banned" in logged.reason


async def test_undo_of_the_follow_leaves_the_room(instance, peer, alice):
    room = await make_room(instance)
    follow = await join(instance, peer, alice, room)
    undo = peer.activity("Undo", alice, follow)
    assert (await peer.post(f"{instance.base}/inbox", undo, alice))[0] == 202
    await assert_done(instance, undo)
    assert await _members(instance, room) == []


async def test_a_mastodon_members_mention_is_kept_and_shared_though_nobody_here_follows_the_author(
        instance, peer, other_peer, alice):
    room = await make_room(instance)
    carol = other_peer.add_actor("carol", key_index=3)
    await join(instance, peer, alice, room)
    await join(instance, other_peer, carol, room)
    peer.received.clear(), other_peer.received.clear()

    # What Mastodon sends: the room and its followers in cc, a Mention tag.
    note = await post_to(instance, peer, alice, room, cc=[alice.followers, room.actor.uri, room.actor.followers_url])
    await instance.settle()
    [announce] = [r.activity for r in other_peer.received_of_type("Announce")]
    assert announce["object"] == note["id"] and announce["actor"] == room.actor.uri
    assert announce["to"] == [room.actor.followers_url, PUBLIC] and announce["audience"] == room.actor.uri
    item = await store.one(instance, store.ModerationItem)
    assert (item.state, item.announce_uri) == ("approved", announce["id"])


async def test_a_note_addressing_the_room_only_by_audience_is_submitted(instance, peer, alice):
    room = await make_room(instance)
    await join(instance, peer, alice, room)
    peer.received.clear()
    note = peer.note(alice, "<p>Lemmy-style</p>", to=[PUBLIC], cc=[], audience=room.actor.uri)
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, note), alice))[0] == 202
    await instance.settle()
    assert await store.note(instance, note["id"]) is not None
    assert [r.activity["object"] for r in peer.received_of_type("Announce")] == [note["id"]]


async def test_a_reply_in_a_shared_thread_that_mentions_the_room_is_shared(instance, peer, alice, mallory):
    room = await make_room(instance)
    await join(instance, peer, alice, room)
    await join(instance, peer, mallory, room)
    first = await post_to(instance, peer, alice, room)
    reply = await post_to(instance, peer, mallory, room, "Eens!", in_reply_to=first["id"])
    await instance.settle()
    assert [r.activity["object"] for r in peer.received_of_type("Announce")] == [first["id"], reply["id"]]
    stored = await store.note(instance, reply["id"])
    assert stored.in_reply_to_id == (await store.note(instance, first["id"])).id


async def test_a_queued_post_waits_and_a_moderator_approves_it(instance, peer, alice):
    room = await make_room(instance, moderation="pre")
    moderator = await make_moderator(instance, "moderator")
    await join(instance, peer, alice, room)
    peer.received.clear()
    note = await post_to(instance, peer, alice, room)
    await instance.settle()
    assert peer.received == []
    item = await store.one(instance, store.ModerationItem)
    assert item.state == "pending"

    rt = instance.runtime
    async with rt.db.write() as session:
        moderator_actor = await store.actor(instance, moderator.uri)
        await queue.approve(rt, session, moderator_actor, await room_named(session, room.slug), item.id)
    await instance.settle()
    [announce] = peer.received_of_type("Announce")
    assert announce.activity["object"] == note["id"]


async def test_a_refused_post_is_answered_with_a_direct_message_and_never_shared(instance, peer, alice):
    room = await make_room(instance)
    note = await post_to(instance, peer, alice, room)  # alice is not a member
    await instance.settle()
    assert peer.received_of_type("Announce") == []
    [create] = peer.received_of_type("Create")
    message = create.activity["object"]
    assert create.activity["actor"] == room.actor.uri and message["to"] == [alice.uri]
    assert message["inReplyTo"] == note["id"] and "only members post here" in message["content"]
    assert (await store.one(instance, store.ModerationItem)).state == "rejected"


async def test_a_refused_room_on_another_server_is_not_told(instance, peer):
    """Two rooms refusing each other's direct messages must not write to each other forever."""
    room = await make_room(instance)
    other_room = peer.add_actor("buren", kind="Group")
    await post_to(instance, peer, other_room, room, to=[room.actor.uri], cc=[])
    await instance.settle()
    assert peer.received == []
    assert (await store.one(instance, store.ModerationItem)).state == "rejected"


async def test_a_forged_post_in_a_members_name_is_dropped_and_nothing_shared(instance, peer, alice, mallory):
    room = await make_room(instance)
    await join(instance, peer, alice, room)
    peer.received.clear()
    forged = peer.note(alice, f"<p>@{room.slug} forged</p>", cc=[room.actor.uri],
                       tag=[{"type": "Mention", "href": room.actor.uri}])
    create = peer.create(mallory, forged)
    assert (await peer.post(f"{instance.base}/inbox", create, mallory))[0] == 202
    await assert_dropped(instance, create, "created object is attributed to someone else")
    assert await store.note(instance, forged["id"]) is None
    assert await store.count(instance, store.ModerationItem) == 0 and peer.received == []


async def test_a_banned_members_later_posts_are_not_shared(instance, peer, alice):
    room = await make_room(instance)
    await join(instance, peer, alice, room)
    await _ban(instance, room, alice.uri)
    peer.received.clear()
    note = peer.note(alice, f"<p>@{room.slug} na de ban</p>", cc=[room.actor.uri],
                     tag=[{"type": "Mention", "href": room.actor.uri}])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, note), alice))[0] == 202
    await instance.settle()
    assert peer.received_of_type("Announce") == []
    item = await store.one(instance, store.ModerationItem)
    assert item is None or item.state == "rejected"  # the seam drops it, or the room refuses it


async def test_a_like_of_a_room_post_in_the_same_batch_finds_the_post(instance, peer, alice, mallory):
    room = await make_room(instance)
    await join(instance, peer, alice, room)
    note = peer.note(alice, f"<p>@{room.slug} hallo</p>", cc=[room.actor.uri],
                     tag=[{"type": "Mention", "href": room.actor.uri}])
    like = peer.activity("Like", alice, note["id"])
    for activity in (peer.create(alice, note), like):  # applied together, in one batch
        assert (await peer.post(f"{instance.base}/inbox", activity, alice))[0] == 202
    await instance.settle()
    assert await store.count(instance, store.Interaction, store.Interaction.kind == "Like") == 1
    assert await store.count(instance, store.ModerationItem) == 1
