"""Reports: adding them, finding them, and the pages moderators and reporters read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Report, Statement


async def add(session: AsyncSession, **values) -> Report:
    report = Report(**values)
    session.add(report)
    await session.flush()
    return report


async def by_id(session: AsyncSession, report_id: int) -> Report | None:
    return await session.get(Report, report_id)


async def by_uri(session: AsyncSession, uri: str) -> Report | None:
    return (await session.execute(select(Report).where(Report.uri == uri))).scalar_one_or_none()


async def page(session: AsyncSession, *, limit: int, max_id: int | None = None, min_id: int | None = None,
               resolved: bool | None = None, account_id: int | None = None, target_account_id: int | None = None,
               ) -> list[Report]:
    """Newest first, Mastodon's way (below `max_id`, above `min_id`); `resolved` None: both."""
    query = select(Report)
    if resolved is not None:
        query = query.where(Report.action_taken_at.is_not(None) if resolved else Report.action_taken_at.is_(None))
    if account_id is not None:
        query = query.where(Report.account_id == account_id)
    if target_account_id is not None:
        query = query.where(Report.target_account_id == target_account_id)
    if max_id is not None:
        query = query.where(Report.id < max_id)
    if min_id is not None:
        query = query.where(Report.id > min_id)
    return list((await session.execute(query.order_by(Report.id.desc()).limit(limit))).scalars())


async def statements_for(session: AsyncSession, report_ids: list[int]) -> dict[int, Statement]:
    """The latest statement of reasons recorded for each report that has one."""
    if not report_ids:
        return {}
    query = select(Statement).where(Statement.report_id.in_(report_ids)).order_by(Statement.id)
    return {statement.report_id: statement for statement in (await session.execute(query)).scalars()}


async def notices_since(session: AsyncSession, address: str, since: datetime) -> tuple[int, datetime | None]:
    """How many notices came from the (hashed) client address after `since`, and the oldest."""
    query = select(func.count(), func.min(Report.created_at)).where(
        Report.reporter_address == address, Report.created_at > since)
    return tuple((await session.execute(query)).one())


async def open_summary(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many reports are open, and when the oldest of them came."""
    query = select(func.count(), func.min(Report.created_at)).where(Report.action_taken_at.is_(None))
    return tuple((await session.execute(query)).one())
