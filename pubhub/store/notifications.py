"""Notifications: written many at a time (a batch of inbound activities), read a page at a time
for their account, dismissed one by one or all at once."""

from __future__ import annotations

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .models import Actor, Interaction, Notification
from .timelines import Bounds


async def insert_many(session: AsyncSession, rows: list[dict]) -> list[Notification]:
    """Insert in one statement; a row whose (account, once_key) is there already is left out.
    Returns the rows inserted (to be streamed once the transaction commits)."""
    if not rows:
        return []
    table = Notification.__table__
    statement = insert_statement(session, table).on_conflict_do_nothing(
        index_elements=[table.c.account_id, table.c.once_key]).returning(table.c.id)
    # One statement of a fixed shape with the rows as its parameters: compiled once and cached,
    # sent as multi-row INSERTs by SQLAlchemy (insertmanyvalues, RETURNING included). A VALUES
    # list in the statement itself was compiled again at every call.
    made = set((await session.execute(statement, rows)).scalars())
    return [Notification(**row) for row in rows if row["id"] in made]


def _filtered(account_id: int, types: list[str] | None, exclude: list[str], from_account_id: int | None):
    query = select(Notification).where(Notification.account_id == account_id)
    if types:
        query = query.where(Notification.type.in_(types))
    if exclude:
        query = query.where(Notification.type.not_in(exclude))
    if from_account_id is not None:
        query = query.where(Notification.from_account_id == from_account_id)
    return query


async def page(session: AsyncSession, account_id: int, bounds: Bounds, *, types: list[str] | None = None,
               exclude: list[str] = (), from_account_id: int | None = None) -> list[Notification]:
    """A page of an account's notifications, newest first (Mastodon's max_id/since_id/min_id)."""
    query = _filtered(account_id, types, list(exclude), from_account_id)
    if bounds.max_id is not None:
        query = query.where(Notification.id < bounds.max_id)
    if bounds.since_id is not None:
        query = query.where(Notification.id > bounds.since_id)
    if bounds.min_id is not None:
        query = query.where(Notification.id > bounds.min_id).order_by(Notification.id.asc())
    else:
        query = query.order_by(Notification.id.desc())
    found = list((await session.execute(query.limit(bounds.limit))).scalars())
    return sorted(found, key=lambda n: n.id, reverse=True)


async def by_id(session: AsyncSession, account_id: int, notification_id: int) -> Notification | None:
    query = select(Notification).where(Notification.id == notification_id, Notification.account_id == account_id)
    return (await session.execute(query)).scalar_one_or_none()


async def by_ids(session: AsyncSession, ids: list[int]) -> list[Notification]:
    if not ids:
        return []
    return list((await session.execute(select(Notification).where(Notification.id.in_(ids)))).scalars())


async def dismiss(session: AsyncSession, account_id: int, notification_id: int) -> bool:
    result = await session.execute(delete(Notification).where(
        Notification.id == notification_id, Notification.account_id == account_id))
    return result.rowcount == 1


async def clear(session: AsyncSession, account_id: int) -> int:
    return (await session.execute(delete(Notification).where(Notification.account_id == account_id))).rowcount


async def local_reactors(session: AsyncSession, object_id: int, kinds: tuple[str, ...]) -> list[int]:
    """Local accounts that reacted (these kinds) to a note: who hears of its edits."""
    query = (select(Interaction.actor_id).join(Actor, Actor.id == Interaction.actor_id)
             .where(and_(Interaction.object_id == object_id, Interaction.kind.in_(kinds), Actor.local.is_(True))))
    return list(dict.fromkeys(row for (row,) in await session.execute(query)))



async def remove_caused_by(session: AsyncSession, *, from_account_id: int, types: tuple[str, ...],
                           status_id: int | None = None, account_id: int | None = None) -> None:
    """The notifications an action made (a follow, a Like), once it is taken back."""
    query = delete(Notification).where(Notification.from_account_id == from_account_id, Notification.type.in_(types))
    if status_id is not None:
        query = query.where(Notification.status_id == status_id)
    if account_id is not None:
        query = query.where(Notification.account_id == account_id)
    await session.execute(query)
