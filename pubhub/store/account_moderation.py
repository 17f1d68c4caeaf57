"""Queries of the accounts admin: accounts by Mastodon's filters, newest first; what a
suspension stops (a local account's waiting deliveries) and which remote accounts are
suspended (for the policy seam)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import false, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..policy import covering
from .models import Actor, Delivery, DomainBlock, OutboundActivity


@dataclass(frozen=True)
class AccountFilter:
    """Mastodon's v2 filters (v1's are translated into these). Text filters match without case."""

    origin: str | None = None  # local | remote
    status: str | None = None  # active | pending | disabled | silenced | suspended | sensitized
    staff: bool = False
    username: str | None = None  # the start of the name
    display_name: str | None = None  # anywhere in it
    by_domain: str | None = None  # the remote domain exactly
    email: str | None = None  # anywhere in it


_STATUS = {
    "active": Actor.suspended_at.is_(None),
    "silenced": Actor.silenced_at.is_not(None),
    "suspended": Actor.suspended_at.is_not(None),
    "sensitized": Actor.sensitized_at.is_not(None),
    "disabled": Actor.disabled_at.is_not(None),
    "pending": false(),  # no sign-up approvals: nobody waits
}


def _conditions(found: AccountFilter) -> list:
    where = [Actor.deleted_at.is_(None), Actor.kind != "Application"]
    if found.origin is not None:
        where.append(Actor.local.is_(found.origin == "local"))
    if found.status is not None:
        where.append(_STATUS[found.status])
    if found.staff:
        where += [Actor.local.is_(True), Actor.role.in_(("moderator", "admin"))]
    if found.username:
        where.append(func.lower(Actor.username).startswith(found.username.lower(), autoescape=True))
    if found.display_name:
        where.append(func.lower(Actor.display_name).contains(found.display_name.lower(), autoescape=True))
    if found.by_domain:
        where += [Actor.local.is_(False), func.lower(Actor.domain) == found.by_domain.lower()]
    if found.email:
        where.append(func.lower(Actor.email).contains(found.email.lower(), autoescape=True))
    return where


async def accounts_page(session: AsyncSession, found: AccountFilter, *, limit: int, max_id: int | None = None,
                        min_id: int | None = None) -> list[Actor]:
    query = select(Actor).where(*_conditions(found))
    if max_id is not None:
        query = query.where(Actor.id < max_id)
    if min_id is not None:
        query = query.where(Actor.id > min_id)
    return list((await session.execute(query.order_by(Actor.id.desc()).limit(limit))).scalars())


async def stop_outbound(session: AsyncSession, signer_id: int, reason: str, *, now: datetime) -> None:
    """Nothing more goes out signed by this account: its waiting deliveries fail with `reason`,
    and its activities not yet expanded to its followers' inboxes never are."""
    signed = select(OutboundActivity.id).where(OutboundActivity.signer_id == signer_id).scalar_subquery()
    await session.execute(update(Delivery).where(Delivery.state == "pending", Delivery.activity_id.in_(signed))
                          .values(state="failed", last_error=reason, lease_until=None, finished_at=now))
    await session.execute(update(OutboundActivity).where(OutboundActivity.signer_id == signer_id,
                                                         OutboundActivity.expanded_at.is_(None)).values(expanded_at=now))


async def suspended_remote_uris(session: AsyncSession) -> list[str]:
    query = select(Actor.uri).where(Actor.local.is_(False), Actor.suspended_at.is_not(None))
    return list((await session.execute(query)).scalars())


async def restricted_among(session: AsyncSession, actor_ids) -> tuple[set[int], set[int]]:
    """(suspended, silenced): which of these accounts are so, a remote account on a silenced
    domain (a domain block's `silence`) counted silenced too (two queries at most)."""
    ids = list(set(actor_ids))
    if not ids:
        return set(), set()
    query = select(Actor.id, Actor.local, Actor.domain, Actor.suspended_at, Actor.silenced_at).where(Actor.id.in_(ids))
    rows = (await session.execute(query)).all()
    suspended = {row.id for row in rows if row.suspended_at is not None}
    silenced = {row.id for row in rows if row.silenced_at is not None}
    remote = [row for row in rows if not row.local and row.id not in silenced]
    if remote:
        domains = await silenced_domains(session)
        silenced |= {row.id for row in remote if domains and covering(host_of_domain(row.domain), domains)}
    return suspended, silenced


async def media_rejecting_domains(session: AsyncSession) -> list[str]:
    return list((await session.execute(select(DomainBlock.domain).where(DomainBlock.reject_media.is_(True)))).scalars())


async def silenced_domains(session: AsyncSession) -> list[str]:
    return list((await session.execute(select(DomainBlock.domain).where(DomainBlock.severity == "silence"))).scalars())


def host_of_domain(domain: str) -> str:
    """An actor's `domain` (host[:port]) without its port."""
    try:
        return urlsplit("//" + domain).hostname or ""
    except ValueError:
        return ""