"""The instance rules: current ones in their order, and every one ever made (what reports and
statements cite may have been taken away since)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import InstanceRule, InstanceSetting

SEEDED = "rules_seeded"  # instance setting: the rules file has been read into the table


async def current(session: AsyncSession) -> list[InstanceRule]:
    query = select(InstanceRule).where(InstanceRule.deleted_at.is_(None))
    return list((await session.execute(query.order_by(InstanceRule.position, InstanceRule.id))).scalars())


async def by_ids(session: AsyncSession, ids) -> dict[int, InstanceRule]:
    """The rules with these ids, taken away or not."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = (await session.execute(select(InstanceRule).where(InstanceRule.id.in_(wanted)))).scalars()
    return {rule.id: rule for rule in rows}


async def by_id(session: AsyncSession, rule_id: int) -> InstanceRule | None:
    return await session.get(InstanceRule, rule_id)


async def any_rule(session: AsyncSession) -> bool:
    """Whether a rule was ever made (taken away or not)."""
    return (await session.execute(select(InstanceRule.id).limit(1))).first() is not None


async def last_position(session: AsyncSession) -> int:
    return (await session.execute(
        select(func.max(InstanceRule.position)).where(InstanceRule.deleted_at.is_(None)))).scalar() or 0


async def add(session: AsyncSession, *, text: str, hint: str, position: int, now: datetime) -> InstanceRule:
    rule = InstanceRule(text=text, hint=hint, position=position, created_at=now, updated_at=now)
    session.add(rule)
    await session.flush()
    return rule


async def mark_seeded(session: AsyncSession) -> None:
    """Raises the database's IntegrityError when another process marked it first."""
    session.add(InstanceSetting(key=SEEDED, value="1"))
    await session.flush()


async def seeded(session: AsyncSession) -> bool:
    return await session.get(InstanceSetting, SEEDED) is not None
