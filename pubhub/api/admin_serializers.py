"""Mastodon's Admin::Account, shared by the accounts admin and the reports admin."""

from __future__ import annotations

from ..activitypub.vocab import iso
from ..store.models import Actor
from .serializers import account_json

# Mastodon's role permission bits, for the role's `permissions` (a decimal string, as Mastodon sends).
_BITS = {"administrator": 1, "view_audit_log": 4, "manage_reports": 16, "manage_federation": 32,
         "manage_appeals": 512, "manage_users": 1024, "manage_rules": 4096, "invite_users": 65536}
_ROLE_IDS = {"user": "-99", "moderator": "1", "admin": "2"}


def role_json(role: str, grant: frozenset[str]) -> dict:
    names = {"admin": ("administrator",), "moderator": tuple(grant)}.get(role, ("invite_users",))
    return {"id": _ROLE_IDS.get(role, "-99"), "name": role.capitalize() if role != "user" else "",
            "permissions": str(sum(_BITS.get(name, 0) for name in names)), "color": "",
            "highlighted": role != "user"}


def admin_account_json(actor: Actor, local_domain: str, grant: frozenset[str], counts: dict | None = None) -> dict:
    """Mastodon's REST::Admin::AccountSerializer. A remote account has no sign-in: no e-mail,
    role, confirmation or approval."""
    local = actor.local
    return {
        "id": str(actor.id), "username": actor.username, "domain": None if local else actor.domain,
        "created_at": iso(actor.created_at), "email": actor.email if local else None, "ip": None, "ips": [],
        "role": role_json(actor.role, grant) if local else None, "confirmed": local, "approved": local,
        "suspended": actor.suspended_at is not None, "silenced": actor.silenced_at is not None,
        "sensitized": actor.sensitized_at is not None, "disabled": actor.disabled_at is not None,
        "locale": None, "invite_request": None,
        "account": account_json(actor, local_domain, counts),
    }
