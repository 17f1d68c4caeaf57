"""The counts the transparency report is made of, each over a period [start, end): reports by
source and category, statements of reasons by action, ground and automation, appeals by state,
the times from report to decision, each also per hub. Reports have no hub of their own: one
about a room's actor counts for the room's hub."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Appeal, Hub, Report, Room, Statement


def _with_hub(*columns):
    """A query on reports with the hub of the room reported (None for accounts)."""
    return select(Room.hub_id, *columns).select_from(Report).outerjoin(Room, Room.actor_id == Report.target_account_id)


async def reports(session: AsyncSession, start: datetime, end: datetime) -> list[tuple[int | None, str, str, int]]:
    """(hub id or None, source, category, count) of the reports received in the period."""
    query = (_with_hub(Report.source, Report.category, func.count())
             .where(Report.created_at >= start, Report.created_at < end)
             .group_by(Room.hub_id, Report.source, Report.category))
    return [tuple(row) for row in await session.execute(query)]


async def decisions(session: AsyncSession, start: datetime, end: datetime
                    ) -> list[tuple[int | None, str, str, bool, int]]:
    """(hub id or None, action, ground kind, automated, count) of the statements of reasons."""
    query = (select(Statement.hub_id, Statement.action, Statement.ground_kind, Statement.automated, func.count())
             .where(Statement.created_at >= start, Statement.created_at < end)
             .group_by(Statement.hub_id, Statement.action, Statement.ground_kind, Statement.automated))
    return [tuple(row) for row in await session.execute(query)]


async def appeals(session: AsyncSession, start: datetime, end: datetime) -> list[tuple[int | None, str, int]]:
    """(hub id of the decision appealed, state, count) of the appeals made in the period."""
    query = (select(Statement.hub_id, Appeal.state, func.count())
             .join(Statement, Statement.id == Appeal.statement_id)
             .where(Appeal.created_at >= start, Appeal.created_at < end)
             .group_by(Statement.hub_id, Appeal.state))
    return [tuple(row) for row in await session.execute(query)]


async def decision_times(session: AsyncSession, start: datetime, end: datetime
                         ) -> list[tuple[int | None, datetime, datetime]]:
    """(hub id or None, received, decided) of the reports decided in the period."""
    query = (_with_hub(Report.created_at, Report.action_taken_at)
             .where(Report.action_taken_at >= start, Report.action_taken_at < end))
    return [tuple(row) for row in await session.execute(query)]


async def hubs(session: AsyncSession) -> list[Hub]:
    return list((await session.execute(select(Hub).order_by(Hub.slug))).scalars())
