"""Who may manage what. Admins manage every hub; a hub's moderators (local accounts with at
least the role `moderator`, assigned to the hub) manage that hub's rooms, their queues and
members, and nothing else; anyone else is refused (403). `OPERATOR` (None) is the command line."""

from __future__ import annotations

from ..accounts.principal import role_at_least
from ..errors import Forbidden
from ..store import rooms as room_store
from ..store.db import Session
from ..store.models import Actor

OPERATOR = None
NOT_ALLOWED = "This action is not allowed"


def is_admin(by: Actor | None) -> bool:
    return by is OPERATOR or (by.local and by.role == "admin" and _in_good_standing(by))


def _in_good_standing(account: Actor) -> bool:
    return account.deleted_at is None and account.suspended_at is None


def may_moderate_hubs(by: Actor) -> bool:
    """Whether `by` moderates the hubs assigned to it (a local moderator in good standing)."""
    return by.local and _in_good_standing(by) and role_at_least(by.role, "moderator")


async def manages_hub(session: Session, by: Actor | None, hub_id: int) -> bool:
    if is_admin(by):
        return True
    return may_moderate_hubs(by) and await room_store.is_moderator(session, hub_id, by.id)


def require_admin(by: Actor | None) -> None:
    if not is_admin(by):
        raise Forbidden(NOT_ALLOWED)


async def require_hub_manager(session: Session, by: Actor | None, hub_id: int) -> None:
    if not await manages_hub(session, by, hub_id):
        raise Forbidden(NOT_ALLOWED)


def require_staff_role(by: Actor | None) -> None:
    """Moderator or admin at all (before anything is looked up: a user learns nothing)."""
    if by is not OPERATOR and not role_at_least(by.role, "moderator"):
        raise Forbidden(NOT_ALLOWED)
