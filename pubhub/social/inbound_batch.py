"""The writes of a batch of inbound activities that add or take back rows: remote notes,
likes, boosts and follows of our accounts, and their Undos, most of an agency's inbound
traffic. What they look up (notes, our accounts, existing follows, what an Undo takes back) is
read for the whole batch in a few queries, and their new rows (and the Accepts they answer
with) are written together when the batch is flushed, instead of a few queries and an insert
each; so are the notifications they cause (social.notifications), streamed once the batch
commits. Anything else (deletes, updates, answers to our Follows) reads and writes through the
session itself, after a flush, so it sees everything before it."""

from __future__ import annotations

from ..activitypub.delivery import DeliveryQueue
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import interactions as interaction_store
from ..store import notifications as notification_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor, Follow, Interaction
from ..store.objects import KnownNote
from ..store.streams import StreamEvent, Streams
from .notifications import FOLLOW_TYPES, REACTION_TYPES, taken_back


class InboundBatch:
    def __init__(self, session: Session, deliveries: DeliveryQueue, streams: Streams | None = None):
        self.session = session
        self.deliveries = deliveries
        self.streams = streams if streams is not None else Streams()
        self._notes: dict[str, KnownNote | None] = {}
        self._accounts: dict[str, Actor | None] = {}  # ours, by URI
        self._alive: dict[int, bool] = {}  # remote actors, by id: not deleted
        self._follows: dict[tuple[int, int], Follow | None] = {}
        self._follows_by_activity: dict[str, Follow | None] = {}  # stored ones, for Undos
        self._reactions_by_activity: dict[str, Interaction | None] = {}  # stored ones, for Undos
        self._removed: set[int] = set()  # id() of the follows taken back in this batch
        self._new_notes: list[dict] = []
        self._new_reactions: list[dict] = []
        self._answers: list[tuple[dict, Actor, list[str]]] = []
        self._new_notifications: list[dict] = []

    async def look_up(self, notes=(), follows=(), undone=()) -> None:
        """Read now, in one query each: the notes with these URIs; for these (follower id,
        our account's URI) pairs the account, whether the follower is still there, and their
        follow; the follows and reactions recorded from the `undone` activities. The lookups
        below then answer from memory."""
        await self._read_notes(notes)
        await self._read_undone(undone)
        follows = [(follower_id, uri) for follower_id, uri in dict.fromkeys(follows) if uri]
        await self._read_accounts([uri for _, uri in follows])
        await self._read_alive([follower_id for follower_id, _ in follows])
        await self._read_follows([(f, self._accounts[uri].id) for f, uri in follows if self._accounts[uri] is not None])

    async def note(self, uri: str) -> KnownNote | None:
        """The stored note with this URI (a tombstone too), or one added to this batch."""
        await self._read_notes([uri])
        return self._notes[uri]

    async def account(self, uri: str) -> Actor | None:
        """One of our accounts, by URI."""
        await self._read_accounts([uri])
        return self._accounts[uri]

    async def accounts(self, uris) -> list[Actor]:
        """Those of these URIs that are our accounts, read in one query."""
        uris = list(dict.fromkeys(uris))
        await self._read_accounts(uris)
        return [self._accounts[uri] for uri in uris if self._accounts[uri] is not None]

    async def alive(self, actor_id: int) -> bool:
        """Whether a remote actor is still there (read in this transaction: another process may
        have applied its self-Delete)."""
        await self._read_alive([actor_id])
        return self._alive[actor_id]

    async def follow(self, follower_id: int, target_id: int) -> Follow | None:
        await self._read_follows([(follower_id, target_id)])
        return self._follows[(follower_id, target_id)]

    async def follow_from(self, activity_uri: str) -> Follow | None:
        """The follow recorded from this Follow activity: one this batch added or re-sent
        counts, one it took back does not."""
        for follow in self._follows.values():
            if follow is not None and follow.activity_uri == activity_uri:
                return follow
        await self._read_undone([activity_uri])
        follow = self._follows_by_activity[activity_uri]
        kept = follow is not None and id(follow) not in self._removed and follow.activity_uri == activity_uri
        return follow if kept else None

    async def reaction_from(self, activity_uri: str) -> Interaction | dict | None:
        """The reaction recorded from this activity: a row added in this batch (a dict), or a
        stored one."""
        for row in self._new_reactions:
            if row["activity_uri"] == activity_uri:
                return row
        await self._read_undone([activity_uri])
        return self._reactions_by_activity[activity_uri]

    # Each reader asks the database only for what this batch has not read yet.

    async def _read_notes(self, uris) -> None:
        if wanted := [uri for uri in dict.fromkeys(uris) if uri and uri not in self._notes]:
            found = await object_store.known_by_uris(self.session, wanted)
            self._notes.update({uri: found.get(uri) for uri in wanted})

    async def _read_accounts(self, uris) -> None:
        if wanted := [uri for uri in dict.fromkeys(uris) if uri not in self._accounts]:
            found = await actor_store.by_uris(self.session, wanted)
            self._accounts.update({uri: _ours(found.get(uri)) for uri in wanted})

    async def _read_alive(self, actor_ids) -> None:
        if wanted := [i for i in dict.fromkeys(actor_ids) if i not in self._alive]:
            found = await actor_store.by_ids(self.session, wanted)
            self._alive.update({i: i in found and found[i].deleted_at is None for i in wanted})

    async def _read_undone(self, uris) -> None:
        if wanted := [uri for uri in dict.fromkeys(uris) if uri and uri not in self._follows_by_activity]:
            follows = await follow_store.by_activity_uris(self.session, wanted)
            reactions = await interaction_store.by_activity_uris(self.session, wanted)
            self._follows_by_activity.update({uri: follows.get(uri) for uri in wanted})
            self._reactions_by_activity.update({uri: reactions.get(uri) for uri in wanted})

    async def _read_follows(self, pairs) -> None:
        if wanted := [pair for pair in dict.fromkeys(pairs) if pair not in self._follows]:
            found = await follow_store.between_many(self.session, wanted)
            self._follows.update({pair: found.get(pair) for pair in wanted})

    def add_note(self, row: dict) -> None:
        """A new note: every column, its id made by the caller (so that a reaction to it later
        in the batch can name it before it is inserted)."""
        self._new_notes.append(row)
        self._notes[row["uri"]] = KnownNote(row["id"], row["author_id"], False, bool(row["local"]))

    def add_reaction(self, row: dict) -> None:
        self._new_reactions.append(row)

    def add_notifications(self, rows) -> None:
        """Notifications (social.notifications rows; None is skipped), inserted with the batch."""
        self._new_notifications.extend(r for r in rows if r is not None)

    def add_follow(self, **values) -> Follow:
        follow = follow_store.add_pending(self.session, **values)
        self._follows[(values["follower_id"], values["target_id"])] = follow
        return follow

    async def remove_follow(self, follow: Follow) -> None:
        """Take a follow back (at once if stored, so that a new follow of the same pair later
        in the batch does not meet it)."""
        self._removed.add(id(follow))
        self._follows[(follow.follower_id, follow.target_id)] = None
        self._drop_notifications(follow.follower_id, FOLLOW_TYPES, account_id=follow.target_id)
        if follow.id is not None:
            await follow_store.remove(self.session, follow)
            await taken_back(self.session, kind="Follow", actor_id=follow.follower_id, recipient_id=follow.target_id)
        self.session.expunge(follow)

    async def remove_reaction(self, reaction: Interaction | dict) -> None:
        if isinstance(reaction, dict):
            self._new_reactions.remove(reaction)
            self._drop_notifications(reaction["actor_id"], (REACTION_TYPES[reaction["kind"]],),
                                     status_id=reaction["object_id"])
        else:
            self._reactions_by_activity[reaction.activity_uri] = None
            await interaction_store.remove(self.session, reaction)
            await taken_back(self.session, kind=reaction.kind, actor_id=reaction.actor_id, note_id=reaction.object_id)
            if reaction.kind == "Announce":  # the boost leaves the timelines it was streamed to
                await self.streams.after_commit(self.session, [StreamEvent("delete", reaction.id)])

    def _drop_notifications(self, from_id: int, types: tuple[str, ...], *, account_id: int | None = None,
                            status_id: int | None = None) -> None:
        """Those this batch was to write for an action it now takes back."""
        self._new_notifications = [
            n for n in self._new_notifications
            if not (n["from_account_id"] == from_id and n["type"] in types
                    and account_id in (None, n["account_id"]) and status_id in (None, n["status_id"]))]

    def send(self, activity: dict, signer: Actor, inboxes: list[str]) -> None:
        """Queue an activity for delivery with the batch (e.g. the Accept of a Follow)."""
        self._answers.append((activity, signer, inboxes))

    def forget(self, *, notes: bool, follows: bool) -> None:
        """After a write that may have changed notes (a Delete, an Update) or follows (an Undo,
        a Delete): read them again."""
        if notes:
            self._notes.clear()
        if follows:
            self._alive.clear()
            self._follows.clear()
            self._follows_by_activity.clear()
            self._reactions_by_activity.clear()

    async def flush(self) -> None:
        notes, self._new_notes = self._new_notes, []
        reactions, self._new_reactions = self._new_reactions, []
        answers, self._answers = self._answers, []
        notifications, self._new_notifications = self._new_notifications, []
        await object_store.insert_many(self.session, notes)
        await interaction_store.insert_many(self.session, reactions)
        await self.session.flush()  # the follows added
        await self.deliveries.enqueue_many(self.session, answers)
        made = await notification_store.insert_many(self.session, notifications)
        events = [StreamEvent("update", row["id"]) for row in notes]
        events += [StreamEvent("boost", row["id"]) for row in reactions if row["kind"] == "Announce"]
        events += [StreamEvent("notification", n.id, n.account_id) for n in made]
        await self.streams.after_commit(self.session, events)


def _ours(actor: Actor | None) -> Actor | None:
    return actor if actor is not None and actor.local else None
