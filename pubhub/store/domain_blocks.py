"""Domain blocks and allows, and what a suspension removes of a blocked server's actors."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .actors import remove_content
from .models import Actor, Delivery, DomainAllow, DomainBlock, InboxActivity

Listed = TypeVar("Listed", DomainBlock, DomainAllow)


async def all_blocks(session: AsyncSession) -> list[DomainBlock]:
    return list((await session.execute(select(DomainBlock).order_by(DomainBlock.id))).scalars())


async def allowed_domains(session: AsyncSession) -> list[str]:
    return list((await session.execute(select(DomainAllow.domain))).scalars())


# Blocks and allows alike (`model`): a page, one by id or domain, a new one, one removed.

async def page(session: AsyncSession, *, limit: int, max_id: int | None = None, min_id: int | None = None,
               model: type[Listed] = DomainBlock) -> list[Listed]:
    """Newest first, Mastodon's way: below `max_id`, above `min_id`."""
    query = select(model)
    if max_id is not None:
        query = query.where(model.id < max_id)
    if min_id is not None:
        query = query.where(model.id > min_id)
    return list((await session.execute(query.order_by(model.id.desc()).limit(limit))).scalars())


async def by_id(session: AsyncSession, row_id: int, model: type[Listed] = DomainBlock) -> Listed | None:
    return await session.get(model, row_id)


async def by_domain(session: AsyncSession, domain: str, model: type[Listed] = DomainBlock) -> Listed | None:
    return (await session.execute(select(model).where(model.domain == domain))).scalar_one_or_none()


async def add(session: AsyncSession, model: type[Listed] = DomainBlock, **values) -> Listed:
    row = model(**values)
    session.add(row)
    await session.flush()
    return row


async def remove(session: AsyncSession, row: DomainBlock | DomainAllow) -> None:
    await session.delete(row)


async def remote_actors_naming(session: AsyncSession, text: str) -> list[tuple[int, str]]:
    """(id, uri) of the remote actors whose host[:port] contains `text`: the candidates a
    block's own rule then picks from."""
    query = select(Actor.id, Actor.uri).where(Actor.local.is_(False), Actor.domain.contains(text, autoescape=True))
    return [tuple(row) for row in await session.execute(query)]


async def cut_off(session: AsyncSession, actor_ids: list[int], *, now: datetime, reason: str = "domain blocked") -> None:
    """A suspended server's actors (or one suspended remote account): their content gone as a deleted actor's goes
    (`actors.remove_content`), their activities waiting in the inbox dropped. The actors stay
    (the block can be lifted)."""
    await remove_content(session, actor_ids, now)
    uris = select(Actor.uri).where(Actor.id.in_(actor_ids)).scalar_subquery() if actor_ids else None
    if uris is not None:
        await session.execute(update(InboxActivity).where(InboxActivity.state == "pending", InboxActivity.actor_uri.in_(uris))
                              .values(state="dropped", error=reason, processed_at=now, lease_until=None, payload=None))


async def pending_deliveries(session: AsyncSession) -> list[tuple[int, str]]:
    """(id, inbox) of every delivery still waiting."""
    return [tuple(row) for row in await session.execute(select(Delivery.id, Delivery.inbox).where(Delivery.state == "pending"))]


async def fail_deliveries(session: AsyncSession, ids: list[int], reason: str, *, now: datetime) -> None:
    for start in range(0, len(ids), 500):
        await session.execute(update(Delivery).where(Delivery.id.in_(ids[start:start + 500]), Delivery.state == "pending")
                              .values(state="failed", last_error=reason, lease_until=None, finished_at=now))
