"""A moderator removes a post, with a statement of reasons (DSA art. 17): the post is
tombstoned and, if it is ours, its Delete federated as its author's own deletion is
(`social.statuses.withdraw_note`); the statement names the ground and the facts; a report the
removal answers is resolved with it. All in one transaction, with their audit entries.
"""

from __future__ import annotations

from ..errors import NotFound, Unprocessable
from ..runtime import Runtime
from ..social.statuses import discard_media, withdraw_note
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor, Object, Report, Statement
from .reasons import Grounds, record_decision
from .reports import find_report, resolve


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
        if report is not None:
            await resolve(session, by, report.id, now=rt.clock.now())
    await discard_media(rt, snapshot)
    return statement, snapshot


async def _removable(session: Session, status_id: int | None) -> Object:
    note = await object_store.by_id(session, status_id) if status_id is not None else None
    if note is None or note.deleted_at is not None:
        raise NotFound("Record not found")
    return note


def _about(report: Report, note: Object) -> bool:
    return note.id in (report.status_ids or []) or note.author_id == report.target_account_id
