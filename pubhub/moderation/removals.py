"""A moderator removes a post, with a statement of reasons (DSA art. 17): the post is
tombstoned and, if it is ours, its Delete federated as its author's own deletion is
(`social.statuses.withdraw_note`); the statement names the ground and the facts; a report the
removal answers is resolved with it. All in one transaction, with their audit entries.

What the post was is kept with the statement for APPEAL_PERIOD (its files moved where they are
not served): reversing the decision on appeal restores it here (the servers that got its Delete
keep theirs deleted, as with Mastodon). After that, unless an appeal is still pending, it is
purged (`RemovedPosts`, asked by the inbox worker).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from ..errors import NotFound, Unprocessable
from ..runtime import Runtime
from ..social.media import discard_quarantined, media_names_of
from ..social.statuses import withdraw_note
from ..store import accountability as accountability_store
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store.db import Session, await_after_commit
from ..store.models import Actor, Object, Report, Statement
from ..accountability import audit
from ..accountability.reasons import Grounds, record_decision
from .reports import find_report, resolve

APPEAL_PERIOD = timedelta(days=30)
PURGE_EVERY = 600.0  # seconds
PURGE_BATCH = 100
log = logging.getLogger("pubhub.moderation.removals")


async def remove_status(rt: Runtime, by: Actor, status_id: int | None, grounds: Grounds, *,
                        report_id: int | None = None) -> tuple[Statement, Object]:
    """The statement of reasons, and the post as it was."""
    grounds = grounds.checked()
    async with rt.db.write() as session:
        note = await _removable(session, status_id)
        report = await find_report(session, report_id) if report_id is not None else None
        if report is not None and not _about(report, note):
            raise Unprocessable("the report is not about this post or its author")
        author = await actor_store.by_id(session, note.author_id)
        snapshot = await withdraw_note(rt, session, note, author)
        statement = await record_decision(session, by=by, action="remove", grounds=grounds, now=rt.clock.now(),
                                          status=note, report_id=report.id if report is not None else None)
        statement.removed_content = {name: getattr(snapshot, name) for name in object_store.EMPTIED}
        if report is not None:
            await resolve(session, by, report.id, now=rt.clock.now())
    if snapshot.attachments:
        await rt.media.quarantine(await media_names_of(rt, [snapshot.id]))
    return statement, snapshot


async def restore_removed(rt: Runtime, session: Session, by: Actor, statement: Statement) -> Object:
    """Undo a removal (its appeal was upheld for the author): the post as it was, here."""
    note = await object_store.by_id(session, statement.object_id) if statement.object_id is not None else None
    if note is None or statement.removed_content is None:
        raise Unprocessable("the removed post was purged after the appeal period: it cannot be restored")
    for name, value in statement.removed_content.items():
        setattr(note, name, value)
    note.deleted_at, statement.removed_content = None, None
    await audit.record(session, by=by, action="status.restore", target=("status", note.id, note.uri),
                       now=rt.clock.now(), statement_id=statement.id)
    if note.attachments:
        names = await media_names_of(rt, [note.id])
        await_after_commit(session, lambda: rt.media.restore(names))
    return note


class RemovedPosts:
    """Removed posts kept past APPEAL_PERIOD without a pending appeal go for good, with their
    files; at most every PURGE_EVERY seconds, PURGE_BATCH at a time."""

    def __init__(self, rt: Runtime):
        self.rt = rt
        self._next_round: float | None = None

    async def purge_if_due(self) -> int:
        now = self.rt.clock.monotonic()
        if self._next_round is not None and now < self._next_round:
            return 0
        self._next_round = now + PURGE_EVERY
        before = self.rt.clock.now() - APPEAL_PERIOD
        async with self.rt.db.write(background=True) as session:
            due = await accountability_store.removals_to_purge(session, before, limit=PURGE_BATCH)
            for statement in due:
                statement.removed_content = None
            names = await discard_quarantined(self.rt, session, [s.object_id for s in due if s.object_id is not None])
        await self.rt.media.remove_quarantined(names)
        if due:
            log.info("removed posts purged count=%s removed_before=%s", len(due), before.isoformat())
        return len(due)


async def _removable(session: Session, status_id: int | None) -> Object:
    note = await object_store.by_id(session, status_id) if status_id is not None else None
    if note is None or note.deleted_at is not None:
        raise NotFound("Record not found")
    return note


def _about(report: Report, note: Object) -> bool:
    return note.id in (report.status_ids or []) or note.author_id == report.target_account_id
