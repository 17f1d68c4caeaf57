"""What a room federates for its decisions, through the delivery queue (the room's followers
expanded into one delivery per server, shared inboxes preferred), shaped for what Mastodon and
Lemmy accept (FEP-1b12; see the README's "Rooms on the fediverse"):

- sharing a post: an `Announce` by the room whose `object` is the post's URI (Mastodon
  fetches the post from its origin; an embedded copy would be ignored), `published` the time
  of sharing (Mastodon puts a boost older than 6 hours in nobody's home timeline), `audience`
  the room. Addressed so that Mastodon files it as a boost its followers see: `to` the room's
  followers and, for a public post in a public room, the public collection (Mastodon reads
  the boost's visibility from its `to`); an unlisted post keeps the public collection in `cc`;
  a members-only room never names it. `cc` the author, whose server gets it too. The room's
  own boost is recorded like any boost here (the post's boost count), and shown to local
  members as a boost in their home timeline and `user` stream (social/boosts.py);
- removing a shared post: an `Undo` embedding the room's `Announce` by its id (Mastodon
  removes the boost by that id) and, for a moderator's removal, Lemmy's: the room announces a
  `Delete` of the post by the moderator with the reason as its `summary` (Lemmy reads a
  `Delete` with a `summary` as a moderator's removal);
- a refused post by a remote author: a direct message from the room with the reason.
"""

from __future__ import annotations

import html

from ..activitypub import vocab
from ..activitypub.documents import create_document
from ..runtime import Runtime
from ..store import interactions as interaction_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor, ModerationItem, Object
from ..store.streams import StreamEvent
from .directory import RoomActor


def _addressing(target: RoomActor, note: Object, author: Actor) -> tuple[list[str], list[str]]:
    """(to, cc) of the room's Announce of `note`."""
    followers = target.actor.followers_url
    if target.room.visibility != "public":
        return [followers], [author.uri]
    if note.visibility == "public":
        return [followers, vocab.PUBLIC], [author.uri]
    return [followers], [vocab.PUBLIC, author.uri]  # an unlisted post stays unlisted


def _author_inbox(author: Actor) -> list[str]:
    return [] if author.local else [author.shared_inbox or author.inbox]


def announce_of(rt: Runtime, target: RoomActor, item: ModerationItem, note: Object, author: Actor) -> dict:
    to, cc = _addressing(target, note, author)
    return vocab.announce(item.announce_uri, target.actor.uri, note.uri, to=to, cc=cc, audience=target.actor.uri,
                          published=item.decided_at or item.created_at)


async def share(rt: Runtime, session: Session, target: RoomActor, item: ModerationItem, note: Object,
                author: Actor) -> None:
    """The room announces the post to its followers (and its author)."""
    item.announce_uri = rt.urls.new_activity(target.actor.uri, "Announce")
    await rt.deliveries.enqueue(session, announce_of(rt, target, item, note, author), target.actor,
                                _author_inbox(author), followers_of=target.actor)
    boost_id = object_store.new_object_id()
    await interaction_store.insert_many(session, [{"id": boost_id, "kind": "Announce",
                                                   "activity_uri": item.announce_uri, "actor_id": target.actor.id,
                                                   "object_id": note.id, "created_at": rt.clock.now()}])
    await rt.streams.after_commit(session, [StreamEvent("boost", boost_id)])  # to local members' `user` stream


async def unshare(rt: Runtime, session: Session, target: RoomActor, item: ModerationItem, note: Object,
                  author: Actor, *, moderator: Actor | None, reason: str) -> None:
    """Take a shared post back: Undo of the room's Announce; with a moderator, Lemmy's removal."""
    room_uri = target.actor.uri
    to, cc = _addressing(target, note, author)
    announced = vocab.embedded(vocab.activity("Announce", item.announce_uri, room_uri, note.uri))  # by its id
    undo = vocab.activity("Undo", rt.urls.new_activity(room_uri, "Undo"), room_uri, announced, to=to, cc=cc)
    await rt.deliveries.enqueue(session, undo, target.actor, _author_inbox(author), followers_of=target.actor)
    boost = await interaction_store.by_activity_uri(session, item.announce_uri) if item.announce_uri else None
    if boost is not None:
        await interaction_store.remove(session, boost)
        await rt.streams.after_commit(session, [StreamEvent("delete", boost.id)])
    if moderator is not None:
        removal = vocab.group_removal(rt.urls.new_activity(moderator.uri, "Delete"), moderator.uri, note.uri,
                                      group=room_uri, reason=reason)
        passed_on = vocab.announce(rt.urls.new_activity(room_uri, "Announce"), room_uri, vocab.embedded(removal),
                                   to=to, cc=cc, audience=room_uri, published=rt.clock.now())
        await rt.deliveries.enqueue(session, passed_on, target.actor, _author_inbox(author),
                                    followers_of=target.actor)


def _handle(actor: Actor) -> str:
    return f"{actor.username}@{actor.domain}"


async def tell_author(rt: Runtime, session: Session, target: RoomActor, note: Object, author: Actor,
                      reason: str) -> Object | None:
    """A direct message from the room to a remote author whose post it did not share, with the
    reason (a local author reads it through the API). The message, or None."""
    if author.local:
        return None
    room = target.actor
    text = (f"@{_handle(author)} Your post was not shared in {room.display_name} (@{_handle(room)}). "
            f"Reason: {reason}")
    href = author.url if (author.url or "").startswith(("https://", "http://")) else author.uri
    content = (f'<p><span class="h-card"><a href="{html.escape(href)}" class="u-url mention">@<span>'
               f'{html.escape(author.username)}</span></a></span> Your post was not shared in '
               f'{html.escape(room.display_name)} (@{html.escape(_handle(room))}). Reason: {html.escape(reason)}</p>')
    note_id = object_store.new_object_id()
    message = await object_store.add(
        session, id=note_id, uri=rt.urls.note(room.username, note_id), url=rt.urls.note_page(room.username, note_id),
        author_id=room.id, local=True, content=content, source_text=text, summary="", sensitive=False,
        visibility="direct", in_reply_to_uri=note.uri, in_reply_to_id=note.id, to=[author.uri], cc=[],
        tags=[{"type": "Mention", "href": author.uri, "name": "@" + _handle(author)}], published=rt.clock.now())
    await rt.deliveries.enqueue(session, create_document(message, room, rt.urls), room, [author.inbox])
    return message
