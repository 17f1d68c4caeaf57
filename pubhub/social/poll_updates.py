"""What happens to polls as time passes: the servers that have one of ours hear what it counts
now (as Mastodon does, an `Update` of the Question at most every few minutes while votes come
in, and one when it ends, with `closed`), and when a poll ends its local voters and its local
author are notified (Mastodon's `poll` notification), for remote polls voted on here too. Run by
the inbox worker's rounds; a poll lives a month at most, so each round reads the polls of the
last month and a bit (few, for an agency)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from ..activitypub import vocab
from ..activitypub.documents import note_document
from ..runtime import Runtime
from ..store.db import Session
from ..store import polls as poll_store
from ..store.models import Actor, Object
from .notifications import on_poll_ended
from .polls import MAX_EXPIRATION, expired
from .statuses import send_to_audience

log = logging.getLogger(__name__)
ROUND_EVERY = 60  # seconds between rounds
SEND_EVERY = timedelta(minutes=3)  # at most one Update of a poll's counts this often (Mastodon's delay)
LOOK_BACK = timedelta(seconds=MAX_EXPIRATION) + timedelta(days=1)


def update_due(poll: dict, now: datetime) -> bool:
    """Whether a poll's counts or end should be sent now."""
    if expired(poll, now) and not poll.get("closed"):
        return True
    sent = poll.get("sent_at")
    recently = sent is not None and now - datetime.fromisoformat(sent.replace("Z", "+00:00")) < SEND_EVERY
    return bool(poll.get("changed")) and not recently and not poll.get("closed")


def poll_update_document(note: Object, author: Actor, now: datetime) -> dict:
    """The Update of a Question, addressed as the note is; a new id each time."""
    return {"@context": vocab.ACTOR_CONTEXT, "id": f"{note.uri}#updates/poll-{int(now.timestamp() * 1000)}",
            "type": "Update", "actor": author.uri, "published": vocab.iso(now),
            "to": list(note.to or []), "cc": list(note.cc or []),
            "object": note_document(note, author, with_context=False)}


class PollUpdates:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self._next_round: float | None = None

    async def send_if_due(self) -> int:
        """One round, if it is time: an Update for each local poll whose counts changed (not in
        the last few minutes) or that has just ended. Returns how many were sent."""
        if self._next_round is not None and self.rt.clock.monotonic() < self._next_round:
            return 0
        self._next_round = self.rt.clock.monotonic() + ROUND_EVERY
        now = self.rt.clock.now()
        async with self.rt.db.write(background=True) as session:
            polls = await poll_store.local_polls_since(session, now - LOOK_BACK)
            due = [note for note in polls if update_due(note.poll, now)]
            for note in due:
                await self._send(session, note, now)
            ended = [note for note in polls + await poll_store.remote_polls_voted_here_since(session, now - LOOK_BACK)
                     if expired(note.poll, now) and not note.poll.get("ended_told")]
            for note in ended:
                note.poll = {**note.poll, "ended_told": True}
                await on_poll_ended(session, self.rt.streams, note, await poll_store.local_voters(session, note.id), now)
        if due:
            log.info("poll updates sent count=%s", len(due))
        return len(due)

    async def _send(self, session: Session, note: Object, now: datetime) -> None:
        poll = {**note.poll, "changed": False, "sent_at": vocab.iso(now)}
        if expired(poll, now):
            poll["closed"] = True
        note.poll = poll
        author = await session.get(Actor, note.author_id)
        await send_to_audience(self.rt, session, note, author, poll_update_document(note, author, now),
                               also=await poll_store.remote_voter_inboxes(session, note.id))
