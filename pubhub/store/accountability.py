"""Writing statements of reasons and audit entries. The audit log is append-only: this module
adds to it and reads it, and nothing in PubHub updates or deletes its rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Appeal, AuditEntry, Statement


async def add_statement(session: AsyncSession, **values) -> Statement:
    statement = Statement(**values)
    session.add(statement)
    await session.flush()
    return statement


async def append_audit(session: AsyncSession, **values) -> AuditEntry:
    entry = AuditEntry(**values)
    session.add(entry)
    await session.flush()
    return entry


def _paged(query, model, *, limit: int, max_id: int | None, min_id: int | None):
    """Newest first, Mastodon's way: below `max_id`, above `min_id`."""
    if max_id is not None:
        query = query.where(model.id < max_id)
    if min_id is not None:
        query = query.where(model.id > min_id)
    return query.order_by(model.id.desc()).limit(limit)


async def statements_about(session: AsyncSession, account_id: int, *, limit: int, max_id: int | None = None,
                           min_id: int | None = None) -> list[Statement]:
    """The statements about an account (its own restrictions, and decisions on its posts)."""
    query = _paged(select(Statement).where(Statement.account_id == account_id), Statement,
                   limit=limit, max_id=max_id, min_id=min_id)
    return list((await session.execute(query)).scalars())


async def statement_by_id(session: AsyncSession, statement_id: int) -> Statement | None:
    return await session.get(Statement, statement_id)


async def statements_by_ids(session: AsyncSession, statement_ids) -> dict[int, Statement]:
    ids = list(set(statement_ids))
    if not ids:
        return {}
    return {row.id: row for row in (await session.execute(select(Statement).where(Statement.id.in_(ids)))).scalars()}


async def appeals_of(session: AsyncSession, statement_ids: list[int]) -> dict[int, Appeal]:
    if not statement_ids:
        return {}
    query = select(Appeal).where(Appeal.statement_id.in_(statement_ids))
    return {appeal.statement_id: appeal for appeal in (await session.execute(query)).scalars()}


async def add_appeal(session: AsyncSession, **values) -> Appeal:
    appeal = Appeal(**values)
    session.add(appeal)
    await session.flush()
    return appeal


async def appeal_by_id(session: AsyncSession, appeal_id: int) -> Appeal | None:
    return await session.get(Appeal, appeal_id)


async def appeals_page(session: AsyncSession, *, state: str | None, limit: int) -> list[Appeal]:
    """Pending ones first, then the decided; newest first within each."""
    query = select(Appeal)
    if state is not None:
        query = query.where(Appeal.state == state)
    pending_first = case((Appeal.state == "pending", 0), else_=1)
    return list((await session.execute(query.order_by(pending_first, Appeal.id.desc()).limit(limit))).scalars())


async def audit_page(session: AsyncSession, *, action: str | None = None, actor_id: int | None = None,
                     target_type: str | None = None, target_id: str | None = None, since: datetime | None = None,
                     until: datetime | None = None, limit: int, max_id: int | None = None,
                     min_id: int | None = None) -> list[AuditEntry]:
    """Audit entries, newest first, filtered by what is given (`since` inclusive, `until` exclusive)."""
    query = select(AuditEntry)
    for column, value in ((AuditEntry.action, action), (AuditEntry.actor_id, actor_id),
                          (AuditEntry.target_type, target_type), (AuditEntry.target_id, target_id)):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if until is not None:
        query = query.where(AuditEntry.created_at < until)
    query = _paged(query, AuditEntry, limit=limit, max_id=max_id, min_id=min_id)
    return list((await session.execute(query)).scalars())


async def removals_to_purge(session: AsyncSession, before: datetime, *, limit: int) -> list[Statement]:
    """Removals whose kept post is older than `before` and whose appeal, if any, is decided."""
    pending = select(Appeal.statement_id).where(Appeal.state == "pending")
    query = (select(Statement).where(Statement.removed_content.is_not(None), Statement.created_at < before,
                                     Statement.id.not_in(pending)).order_by(Statement.id).limit(limit))
    return list((await session.execute(query)).scalars())


async def pending_appeals_summary(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many appeals wait for a decision, and when the oldest of them came."""
    query = select(func.count(), func.min(Appeal.created_at)).where(Appeal.state == "pending")
    return tuple((await session.execute(query)).one())
