"""What the moderator role may do instance-wide. Admins may do everything; users nothing;
moderators what the admin grants the role (Mastodon's role permissions, by its names), and,
whatever the grant, the hubs they are assigned to (rooms/authority.py).

The grant is an instance setting, so every process reads the same; `pubhub roles` and
`/api/v1/pubhub/roles/moderator` change it.
"""

from __future__ import annotations

from ..accounts.principal import Principal, role_at_least
from ..errors import Forbidden, Unprocessable
from ..store import instance as instance_store
from ..store.db import Session
from ..accountability import audit

PERMISSIONS = (
    "manage_reports",     # read, assign, resolve and forward reports
    "manage_users",       # the accounts admin: silence, suspend, sensitive, disable
    "manage_appeals",     # decide appeals (never one's own decision)
    "view_audit_log",     # read the audit log
    "manage_federation",  # domain blocks and allows
    "manage_rules",       # the instance rules
)
# What the moderator role may do until an admin says otherwise (Mastodon's Moderator role).
DEFAULT_GRANT = ("manage_reports", "manage_users", "manage_appeals", "view_audit_log")
SETTING = "moderator_permissions"
NOT_ALLOWED = "This action is not allowed"


async def moderator_grant(session: Session) -> frozenset[str]:
    stored = await instance_store.setting(session, SETTING)
    return frozenset(DEFAULT_GRANT if stored is None else (name for name in stored.split() if name in PERMISSIONS))


async def grant_moderators(session: Session, permissions: list[str]) -> frozenset[str]:
    unknown = [name for name in permissions if name not in PERMISSIONS]
    if unknown:
        raise Unprocessable(f"unknown permission {unknown[0]!r}: one of {', '.join(PERMISSIONS)}")
    await instance_store.set_setting(session, SETTING, " ".join(sorted(set(permissions))))
    return frozenset(permissions)


async def change_grant(session: Session, permissions: list[str], *, by, now) -> frozenset[str]:
    """An admin's change of the grant, audited."""
    granted = await grant_moderators(session, permissions)
    await audit.record(session, by=by, action="role.update", target=("role", "moderator", "moderator"), now=now,
                       reason=" ".join(sorted(granted)) or "nothing granted")
    return granted


async def allows(session: Session, principal: Principal, permission: str) -> bool:
    return await role_allows(session, principal.role, permission)


async def role_allows(session: Session, role: str, permission: str) -> bool:
    """Whether an account of `role` may do this instance-wide (the API's token or the console's
    session alike)."""
    assert permission in PERMISSIONS, permission
    if role_at_least(role, "admin"):
        return True
    return role_at_least(role, "moderator") and permission in await moderator_grant(session)


async def require_permission(session: Session, principal: Principal, permission: str) -> None:
    """Forbidden (Mastodon's body) unless the principal's role may do this instance-wide."""
    if not await allows(session, principal, permission):
        raise Forbidden(NOT_ALLOWED)
