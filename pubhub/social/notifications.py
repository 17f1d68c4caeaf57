"""Notifications, as Mastodon has them: `mention` (a note, local or remote, that mentions a
local account; a reply to you is a mention, as in Mastodon, since replies mention whom they
answer), `follow` (an accepted follow of a local account), `follow_request` (a pending follow
of a locked one), `favourite` and `reblog` (a Like or Announce of a local account's note),
`update` (a note a local account boosted was edited: Mastodon tells those who boosted it).
As in Mastodon, a notification goes with what made it: an unfollow, an Undo of a Like or
Announce, an answered follow request take theirs back (`taken_back`).

Rules: nobody is notified of their own action; nobody is notified of a note they may not see
(the one visibility rule); each event once (`once_key`, unique per recipient: a re-sent
activity, or a second Like of the same note, adds nothing). Notifications are written in the
transaction of what caused them and streamed once it commits.

Hooks, for every path that causes one:
- `on_interaction(session, streams, kind=, actor_id=, note=, now=)`: a favourite or reblog made
  through the client API (call it in the transaction that records the reaction);
- `reaction_row` / `mention_rows` / `follow_row`: the rows, for the inbound batch, which
  inserts a whole batch's notifications in one statement (social.inbound_batch);
- `on_local_status`, `on_local_follow`, `on_remote_update`: the other writers;
- `taken_back(session, ...)`: an unfavourite or unreblog through the client API calls it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from ..errors import NotFound
from ..store import actors as actor_store
from ..store import notifications as store
from ..store import objects as object_store
from ..store.db import Database, Session
from ..store.models import Actor, Follow, Notification, Object
from ..store.objects import new_object_id
from ..store.streams import StreamEvent, Streams
from ..store.timelines import Bounds
from .reading import StatusView, status_views
from .visibility import Viewer, may_see, mentioned, visible

TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update")
WITH_STATUS = ("mention", "status", "reblog", "favourite", "poll", "update")
REACTION_TYPES = {"Like": "favourite", "Announce": "reblog"}
FOLLOW_TYPES = ("follow", "follow_request")
NOT_PEOPLE = ("Group", "Application")  # rooms (their posts go through rooms/) and the instance actor


def row(recipient_id: int, kind: str, from_id: int, status_id: int | None, now: datetime, *, once: str = "") -> dict:
    """One notification; `once` tells apart events of the same type, sender and status (edits)."""
    return {"id": new_object_id(), "account_id": recipient_id, "type": kind, "from_account_id": from_id,
            "status_id": status_id, "created_at": now, "once_key": f"{kind}:{from_id}:{status_id or ''}:{once}"[:255]}


def reaction_row(kind: str, actor_id: int, note_id: int, author_id: int, author_local: bool, now: datetime) -> dict | None:
    """A Like or Announce of a note: its author hears of it, if local and not the one reacting.
    (The author may always see their own note.)"""
    if not author_local or actor_id == author_id or kind not in REACTION_TYPES:
        return None
    return row(author_id, REACTION_TYPES[kind], actor_id, note_id, now)


def mention_rows(note, mentioned_accounts: list[Actor], now: datetime) -> list[dict]:
    """`note` (a stored Object or a row about to be, as a dict) mentions these local accounts:
    each hears of it if they may see it and did not write it."""
    shown = note if isinstance(note, Object) else SimpleNamespace(**note)
    return [row(account.id, "mention", shown.author_id, shown.id, now) for account in mentioned_accounts
            if account.local and account.kind not in NOT_PEOPLE and account.id != shown.author_id
            and may_see(Viewer(account), shown, follows_author=False)]


def follow_row(follow: Follow, now: datetime) -> dict | None:
    """A new follow of a local account: `follow` once accepted, `follow_request` while pending."""
    if follow.follower_id == follow.target_id:
        return None
    kind = "follow" if follow.state == "accepted" else "follow_request"
    return row(follow.target_id, kind, follow.follower_id, None, now)


async def write(session: Session, streams: Streams, rows: list[dict]) -> list[Notification]:
    """Insert these (those already made are left out) and stream the new ones after commit."""
    made = await store.insert_many(session, [r for r in rows if r is not None])
    await streams.after_commit(session, [StreamEvent("notification", n.id, n.account_id) for n in made])
    return made


async def on_interaction(session: Session, streams: Streams, *, kind: str, actor_id: int, note: Object,
                         now: datetime) -> None:
    """A favourite (`Like`) or reblog (`Announce`) recorded outside the inbound batch (the
    client API's): call in the same transaction. Nothing for one's own note."""
    author = await actor_store.by_id(session, note.author_id)
    if author is not None:
        await write(session, streams, [reaction_row(kind, actor_id, note.id, author.id, author.local, now)])


async def taken_back(session: Session, *, kind: str, actor_id: int, note_id: int | None = None,
                     recipient_id: int | None = None) -> None:
    """What `kind` (Like, Announce, Follow, or a follow request answered: FollowRequest) by
    `actor_id` made is gone with it."""
    types = FOLLOW_TYPES if kind == "Follow" else ("follow_request",) if kind == "FollowRequest" \
        else (REACTION_TYPES[kind],)
    await store.remove_caused_by(session, from_account_id=actor_id, types=types, status_id=note_id,
                                 account_id=recipient_id)


async def on_local_status(session: Session, streams: Streams, note: Object, now: datetime) -> None:
    """A local account's new status: the local accounts it mentions hear of it."""
    named = await actor_store.by_uris(session, mentioned(note))
    await write(session, streams, mention_rows(note, [a for a in named.values() if a.local], now))


async def on_local_follow(session: Session, streams: Streams, follow: Follow, now: datetime) -> None:
    """A local account followed another local one (accepted, or a request to a locked one)."""
    await write(session, streams, [follow_row(follow, now)])


async def on_remote_update(session: Session, streams: Streams, note: Object, now: datetime) -> None:
    """An edited remote note: the local accounts that boosted it hear of it (as Mastodon),
    if they may still see it (a boosted note is public or unlisted; one edited to be private
    tells no one); each edit once."""
    boosters = await actor_store.by_ids(session, await store.local_reactors(session, note.id, ("Announce",)))
    once = note.updated_at.isoformat() if note.updated_at else ""
    rows = [row(a.id, "update", note.author_id, note.id, now, once=once) for a in boosters.values()
            if a.id != note.author_id and may_see(Viewer(a), note, follows_author=False)]
    await write(session, streams, rows)


async def on_poll_ended(session: Session, streams: Streams, note: Object, voter_ids: list[int], now: datetime) -> None:
    """A poll ended: its local voters hear of it, and its author if local (Mastodon's `poll`)."""
    recipients = set(voter_ids) | ({note.author_id} if note.local else set())
    await write(session, streams, [row(recipient, "poll", note.author_id, note.id, now) for recipient in sorted(recipients)])


# ---- reading them (the client API) ------------------------------------------------------------

@dataclass
class NotificationView:
    notification: Notification
    account: Actor  # who caused it
    status: StatusView | None


async def notification_views(session: Session, recipient: Actor, found: list[Notification]) -> list[NotificationView]:
    """Ready to show, in a fixed number of queries; one whose sender is gone, or whose status
    the recipient may no longer see (deleted, made private), is left out."""
    senders = await actor_store.by_ids(session, {n.from_account_id for n in found})
    notes = await object_store.by_ids(session, [n.status_id for n in found])
    seen = await visible(session, Viewer(recipient), list(notes.values()))
    shown = {view.note.id: view for view in await status_views(session, seen)}
    views = []
    for n in found:
        sender = senders.get(n.from_account_id)
        if sender is None or sender.deleted_at is not None or sender.suspended_at is not None:
            continue
        if n.status_id is not None and n.status_id not in shown:
            continue
        views.append(NotificationView(n, sender, shown.get(n.status_id)))
    return views


async def page(db: Database, recipient: Actor, bounds: Bounds, *, types: list[str] | None, exclude: list[str],
               from_account_id: int | None) -> tuple[list[NotificationView], list[int]]:
    """A page of the recipient's notifications and the ids of the page as read (for Link)."""
    async with db.read() as session:
        found = await store.page(session, recipient.id, bounds, types=types, exclude=exclude,
                                 from_account_id=from_account_id)
        return await notification_views(session, recipient, found), [n.id for n in found]


async def one(db: Database, recipient: Actor, notification_id: int | None) -> NotificationView:
    async with db.read() as session:
        found = await store.by_id(session, recipient.id, notification_id) if notification_id is not None else None
        views = await notification_views(session, recipient, [found] if found else [])
    if not views:
        raise NotFound("Record not found")
    return views[0]


async def dismiss(db: Database, recipient: Actor, notification_id: int | None) -> None:
    """Dismiss one of the recipient's notifications (404 for any other id)."""
    async with db.write() as session:
        if notification_id is None or not await store.dismiss(session, recipient.id, notification_id):
            raise NotFound("Record not found")


async def clear(db: Database, recipient: Actor) -> None:
    async with db.write() as session:
        await store.clear(session, recipient.id)


async def for_stream(db: Database, recipient: Actor, notification_id: int) -> NotificationView | None:
    """A notification just made, if it is the recipient's and still shown."""
    async with db.read() as session:
        found = await store.by_id(session, recipient.id, notification_id)
        views = await notification_views(session, recipient, [found] if found else [])
    return views[0] if views else None
