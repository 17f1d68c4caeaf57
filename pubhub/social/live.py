"""What the streaming API shows of a live event, to one listener: Mastodon's streams `user`
(your home timeline's new posts and boosts: yours, those of accounts you follow and public
posts with a hashtag you follow; and your notifications), `user:notification` (notifications
only), `public` (public posts that answer no one, ours and those this instance keeps) and
`public:local` (ours only). Each event names a row; it is read here for each listener through
the one visibility rule, so a stream never shows what the listener may not see."""

from __future__ import annotations

from ..store import follows as follow_store
from ..store import interactions as interaction_store
from ..store import objects as object_store
from ..store import timelines as timeline_store
from ..store.db import Database, Session
from ..store.models import Actor
from ..store.streams import StreamEvent, Streams
from .boosts import boost_views
from .hashtags import with_followed_hashtags
from .reading import StatusView, status_views
from .visibility import Viewer, visible

STREAMS = ("user", "user:notification", "public", "public:local")


async def status_streams(db: Database, account: Actor, note_id: int) -> tuple[StatusView | None, set[str]]:
    """A new post, if the listener may see it, and the streams it belongs to for them."""
    async with db.read() as session:
        notes = await object_store.by_ids(session, [note_id])
        shown = await visible(session, Viewer(account), list(notes.values()))
        if not shown:
            return None, set()
        note = shown[0]
        streams = set()
        if note.author_id == account.id or await follow_store.accepted_targets(session, account.id, [note.author_id]) \
                or await with_followed_hashtags(session, account, [note]):
            streams.add("user")
        if note.visibility == "public" and note.in_reply_to_uri is None:  # as Mastodon: replies stay off them
            streams.add("public")
            if note.local:
                streams.add("public:local")
        return (await status_views(session, [note]))[0], streams


async def boost_streams(db: Database, account: Actor, boost_id: int) -> tuple[StatusView | None, set[str]]:
    """A new boost, on the listener's `user` stream when it is theirs or they follow the booster
    and may see the note boosted (public streams hold no boosts, as Mastodon's)."""
    async with db.read() as session:
        boost = await timeline_store.boost(session, boost_id)
        if boost is None or (boost.actor_id != account.id
                             and not await follow_store.accepted_targets(session, account.id, [boost.actor_id])):
            return None, set()
        shown = await boost_views(session, Viewer(account), [boost])
        return (shown[0], {"user"}) if shown else (None, set())


async def stream_removal(session: Session, streams: Streams, note_id: int) -> None:
    """A note goes: once committed, `delete` for it and for each boost of it, whose statuses go
    with it (as Mastodon removes the reblogs of a removed status)."""
    boosts = await interaction_store.ids_of_kind(session, "Announce", note_id)
    await streams.after_commit(session, [StreamEvent("delete", status_id) for status_id in (note_id, *boosts)])
