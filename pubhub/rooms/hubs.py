"""Hubs: created and changed by admins, each with a name, a description, house rules and its
moderators (local accounts with the role moderator or admin)."""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import BadRequest, NotFound
from ..store import actors as actor_store
from ..store import rooms as room_store
from ..store.db import DuplicateRow, Session
from ..store.models import Actor, Hub
from .authority import OPERATOR, is_admin, require_admin, require_hub_manager, require_staff_role

HUB_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_RULES = 5000


def bounded_text(value: str, limit: int, what: str, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise BadRequest(f"Validation failed: {what}: can't be blank", status=422)
    if len(value) > limit:
        raise BadRequest(f"Validation failed: {what}: at most {limit} characters", status=422)
    return value


async def create_hub(session: Session, by: Actor | None, slug: str, *, name: str, description: str = "",
                     rules: str = "", now: datetime) -> Hub:
    require_admin(by)
    slug = slug.strip().lower()
    if not HUB_SLUG.match(slug):
        raise BadRequest(f"Validation failed: slug: {slug[:80]!r} must be 1-64 of a-z, 0-9, _ and -, "
                         "starting with a letter or digit", status=422)
    name = bounded_text(name, MAX_NAME, "name", required=True)
    if await room_store.hub_by_slug(session, slug) is not None:
        raise BadRequest(f"Validation failed: slug: a hub {slug!r} exists already", status=422)
    try:
        async with session.begin_nested():
            return await room_store.add_hub(session, slug=slug, name=name, created_at=now,
                                            description=bounded_text(description, MAX_DESCRIPTION, "description"),
                                            rules=bounded_text(rules, MAX_RULES, "rules"))
    except DuplicateRow as exc:  # created by someone else just now
        raise BadRequest(f"Validation failed: slug: a hub {slug!r} exists already", status=422) from exc


async def update_hub(session: Session, by: Actor | None, hub: Hub, *, name: str | None = None,
                     description: str | None = None, rules: str | None = None) -> Hub:
    require_admin(by)
    if name is not None:
        hub.name = bounded_text(name, MAX_NAME, "name", required=True)
    if description is not None:
        hub.description = bounded_text(description, MAX_DESCRIPTION, "description")
    if rules is not None:
        hub.rules = bounded_text(rules, MAX_RULES, "rules")
    await session.flush()
    return hub


async def find_hub(session: Session, by: Actor | None, hub_id: int | None) -> Hub:
    """The hub, for someone who manages it: 404 if there is none, 403 for anyone else."""
    require_staff_role(by)
    hub = await room_store.hub_by_id(session, hub_id) if hub_id is not None else None
    if hub is None:
        raise NotFound("Record not found")
    await require_hub_manager(session, by, hub.id)
    return hub


async def hub_named(session: Session, slug: str) -> Hub:
    """The hub with this slug (the command line names hubs by slug)."""
    hub = await room_store.hub_by_slug(session, slug.strip().lower())
    if hub is None:
        raise NotFound(f"no hub {slug!r} (see `pubhub hubs list`)")
    return hub


async def list_hubs(session: Session, by: Actor | None, *, limit: int, max_id: int | None = None,
                    min_id: int | None = None) -> list[Hub]:
    """Every hub for admins; a moderator's own hubs for a moderator; 403 for anyone else."""
    require_staff_role(by)
    return await room_store.hubs(session, limit=limit, max_id=max_id, min_id=min_id,
                                 moderated_by=None if is_admin(by) else by.id)


async def moderators(session: Session, hub: Hub) -> list[Actor]:
    return await room_store.moderators(session, hub.id)


async def add_moderator(session: Session, by: Actor | None, hub: Hub, account_id: int | None,
                        now: datetime) -> Actor:
    """Make the account a moderator of `hub` (nothing changes if it is one already). Only local
    accounts with the role moderator or admin (the role lets their tokens carry admin scopes)."""
    require_admin(by)
    account = await actor_store.by_id(session, account_id) if account_id is not None else None
    if account is None or account.deleted_at is not None:
        raise NotFound("Record not found")
    if not account.local or account.kind in ("Group", "Application"):
        raise BadRequest("Validation failed: account: only a local account can moderate a hub", status=422)
    if account.role not in ("moderator", "admin"):
        raise BadRequest(f"Validation failed: account: {account.username} has the role {account.role}; give it the "
                         f"role moderator first (pubhub accounts modify {account.username} --role moderator)",
                         status=422)
    await room_store.add_moderator(session, hub.id, account.id, now)
    return account


async def remove_moderator(session: Session, by: Actor | None, hub: Hub, account_id: int | None) -> Actor:
    require_admin(by)
    account = await actor_store.by_id(session, account_id) if account_id is not None else None
    if account is None or not await room_store.remove_moderator(session, hub.id, account.id):
        raise NotFound("Record not found")
    return account


__all__ = ["OPERATOR", "create_hub", "update_hub", "find_hub", "hub_named", "list_hubs", "moderators",
           "add_moderator", "remove_moderator"]
