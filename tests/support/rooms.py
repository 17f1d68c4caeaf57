"""Hubs and rooms in tests: made through the domain (as the CLI makes them), joined and posted
to by a fake remote server over real HTTP. The inbound side submits a post that names a room
when it arrives; `submit` answers what became of it (and submits a stored post that was not)."""

from __future__ import annotations

from pubhub.rooms import members, queue
from pubhub.rooms.directory import RoomActor, RoomPolicy, create_room, room_named
from pubhub.rooms.hubs import add_moderator, create_hub, hub_named
from pubhub.rooms.submissions import QUEUED, REFUSED, SHARED, Submission, submit_post_to_room
from tests.support import store
from tests.support.peer import PUBLIC


async def make_hub(session, instance, slug: str):
    """The hub `slug`, made if it is not there yet."""
    found = await store.one(instance, store.Hub, store.Hub.slug == slug)
    return found or await create_hub(session, None, slug, name=slug.title(), now=instance.runtime.clock.now())


async def make_room(instance, slug: str = "wijkraad", *, hub: str = "oost", **policy) -> RoomActor:
    rt = instance.runtime
    async with rt.db.write() as session:
        return await create_room(rt, session, None, await make_hub(session, instance, hub), slug, name=slug.title(),
                                 policy=RoomPolicy(**policy))


async def make_moderator(instance, name: str, hub: str = "oost"):
    account = await instance.create_account(name, role="moderator")
    async with instance.runtime.db.write() as session:
        await add_moderator(session, None, await make_hub(session, instance, hub), account.id,
                            instance.runtime.clock.now())
    return account


async def join(instance, peer, actor, room: RoomActor) -> dict:
    follow = peer.activity("Follow", actor, room.actor.uri)
    status, body = await peer.post(f"{instance.base}/inbox", follow, actor)
    assert status == 202, body
    await instance.settle()
    return follow


async def post_to(instance, peer, actor, room: RoomActor, text: str = "Wanneer wordt de straat gemaakt?",
                  **note_fields) -> dict:
    """A remote post mentioning the room, delivered to our shared inbox and stored."""
    mention = {"type": "Mention", "href": room.actor.uri, "name": f"@{room.slug}@{instance.domain}"}
    fields = {"cc": [actor.followers, room.actor.uri], "tag": [mention], **note_fields}
    note = peer.note(actor, f"<p>@{room.slug} {text}</p>", **fields)
    status, body = await peer.post(f"{instance.base}/inbox", peer.create(actor, note), actor)
    assert status == 202, body
    await instance.settle()
    assert await store.note(instance, note["id"]) is not None
    return note


OUTCOMES = {"pending": QUEUED, "approved": SHARED, "rejected": REFUSED, "removed": SHARED}


async def submit(instance, room_slug: str, note_uri: str) -> Submission:
    """The post's submission to the room: the one made when it arrived (its outcome read from
    its state), else a new one."""
    rt = instance.runtime
    async with rt.db.write() as session:
        room = await room_named(session, room_slug)
        note = await store.one(instance, store.Object, store.Object.uri == note_uri)
        item = await store.one(instance, store.ModerationItem, store.ModerationItem.room_id == room.room.id,
                               store.ModerationItem.object_id == note.id)
        if item is not None:
            return Submission(room, OUTCOMES[item.state], item, item.reason or "")
        author = await store.one(instance, store.Actor, store.Actor.id == note.author_id)
        return await submit_post_to_room(rt, session, room, note, author)


__all__ = ["make_room", "make_moderator", "join", "post_to", "submit", "members", "queue", "PUBLIC"]
