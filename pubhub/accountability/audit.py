"""The audit log: every admin and moderator action, appended in the action's own transaction
(so an action and its record stand or fall together), never edited or deleted.

    await audit.record(session, by=moderator, action="account.suspend", target=("account", actor.id, acct),
                       reason=text, now=rt.clock.now())

`by` None is the instance's own policy (an automated decision). Actions are "noun.verb" in
lower case (account.suspend, report.resolve, domain_block.create, room.post_remove ...).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..store import accountability as store
from ..store import actors as actor_store
from ..store.db import Session
from ..store.models import Actor, AuditEntry

ACTION = re.compile(r"[a-z_]+\.[a-z_]+")
TARGET_TYPES = ("account", "status", "report", "domain_block", "domain_allow", "room", "hub", "appeal", "token",
                "rule", "statement", "role")


async def record(session: Session, *, by: Actor | None, action: str, target: tuple[str, object, str],
                 now: datetime, reason: str = "", hub_id: int | None = None,
                 statement_id: int | None = None) -> AuditEntry:
    """`target` is (type, id, readable name); the name is copied in so the entry still reads
    after the target is gone."""
    target_type, target_id, target_name = target
    assert ACTION.fullmatch(action), action
    assert target_type in TARGET_TYPES, target_type
    return await store.append_audit(
        session, actor_id=by.id if by is not None else None, actor_name=_name(by), action=action,
        target_type=target_type, target_id="" if target_id is None else str(target_id), target=target_name or "",
        hub_id=hub_id, reason=reason or "", statement_id=statement_id, created_at=now)


def _name(actor: Actor | None) -> str:
    if actor is None:
        return ""
    return actor.username if actor.local else f"{actor.username}@{actor.domain}"


async def entries(session: Session, *, action: str | None = None, actor_id: int | None = None,
                  target_type: str | None = None, target_id: str | None = None, since: datetime | None = None,
                  until: datetime | None = None, limit: int, max_id: int | None = None,
                  min_id: int | None = None) -> list[AuditEntry]:
    """The log, newest first, filtered by what is given; times without a zone are UTC."""
    return await store.audit_page(session, action=action, actor_id=actor_id, target_type=target_type,
                                  target_id=target_id, since=_utc(since), until=_utc(until), limit=limit,
                                  max_id=max_id, min_id=min_id)


async def moderator_named(session: Session, name: str) -> Actor | None:
    """The local account `name` (as typed: any case, with or without @), to filter by who acted;
    staff are always local."""
    return await actor_store.local_by_username(session, name.strip().lstrip("@").lower())


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)
