"""Domain allows and limited federation (Mastodon's allow-list mode).

With PUBHUB_LIMITED_FEDERATION on, the instance federates only with the servers an admin allowed
(and their subdomains): anything else is refused in the inbox, never fetched and never
delivered to (the policy seam, `seam.AllowList`). Taking an allow away in that mode cuts the
server off as a suspension does: what is stored of it goes. Without the mode, allows are only
recorded (ready for when it is turned on), as in Mastodon.
"""

from __future__ import annotations

from ..errors import NotFound
from ..policy import covering
from ..runtime import Runtime
from ..store import domain_blocks as block_store
from ..store.db import Session
from ..store.models import Actor, DomainAllow
from ..accountability import audit
from .domain_blocks import cut_off_domain
from .domain_names import normalize_domain
from .seam import forget_seam


async def allow_domain(rt: Runtime, session: Session, domain: str, *, by: Actor | None) -> DomainAllow:
    """The allow for `domain`: a new one, or the one it has already (Mastodon answers with it)."""
    name = normalize_domain(domain)
    existing = await block_store.by_domain(session, name, DomainAllow)
    if existing is not None:
        return existing
    allow = await block_store.add(session, DomainAllow, domain=name, created_at=rt.clock.now())
    await audit.record(session, by=by, action="domain_allow.create", target=("domain_allow", allow.id, name),
                       now=allow.created_at)
    forget_seam(session, rt.policy)
    return allow


async def disallow_domain(rt: Runtime, session: Session, allow_id: int | None, *, by: Actor | None) -> DomainAllow:
    allow = await find_allow(session, allow_id)
    await block_store.remove(session, allow)
    await session.flush()
    now = rt.clock.now()
    if rt.settings.limited_federation:
        remaining = await block_store.allowed_domains(session)
        if not covering(allow.domain, remaining):
            await cut_off_domain(session, allow.domain, now=now, reason="domain no longer allowed", spare=remaining)
    await audit.record(session, by=by, action="domain_allow.delete", target=("domain_allow", allow.id, allow.domain),
                       now=now)
    forget_seam(session, rt.policy)
    return allow


async def find_allow(session: Session, allow_id: int | None) -> DomainAllow:
    allow = await block_store.by_id(session, allow_id, DomainAllow) if allow_id is not None else None
    if allow is None:
        raise NotFound("Record not found")
    return allow


async def allow_named(session: Session, domain: str) -> DomainAllow:
    allow = await block_store.by_domain(session, normalize_domain(domain), DomainAllow)
    if allow is None:
        raise NotFound(f"{domain} is not allowed")
    return allow


async def allows_page(session: Session, *, limit: int, max_id: int | None = None,
                      min_id: int | None = None) -> list[DomainAllow]:
    return await block_store.page(session, limit=limit, max_id=max_id, min_id=min_id, model=DomainAllow)
