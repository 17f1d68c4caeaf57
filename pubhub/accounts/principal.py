"""Who is calling, and what they may do: the principal an authenticated request carries.

Scopes are Mastodon's: `read`, `write`, `follow`, `push`, `profile`, `admin:read`,
`admin:write`, and their sub-scopes (`read:statuses`, `write:follows`,
`admin:write:accounts`...). A broad scope covers its sub-scopes; the legacy `follow` covers
what following needs. Roles are user < moderator < admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BadRequest, Forbidden, Unprocessable
from ..store.models import Actor

ROLES = ("user", "moderator", "admin")

_READ = ("accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications",
         "search", "statuses")
_WRITE = ("accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists", "media",
          "mutes", "notifications", "reports", "statuses")
_ADMIN = ("accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks",
          "canonical_email_blocks")
SCOPES = frozenset(
    ["read", "write", "follow", "push", "profile", "admin:read", "admin:write"]
    + [f"read:{s}" for s in _READ] + [f"write:{s}" for s in _WRITE]
    + [f"admin:read:{s}" for s in _ADMIN] + [f"admin:write:{s}" for s in _ADMIN]
)
DEFAULT_SCOPES = "read write follow"
# The legacy `follow` scope (Mastodon) grants these.
_FOLLOW_COVERS = {"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"}
OUTSIDE_SCOPES = "This action is outside the authorized scopes"


def parse_scopes(text: str) -> tuple[str, ...]:
    """Validated, de-duplicated scopes from a space-separated string; BadRequest names the
    first unknown one."""
    scopes = tuple(dict.fromkeys(text.split()))
    if not scopes:
        raise BadRequest("at least one scope is required")
    for scope in scopes:
        if scope not in SCOPES:
            raise BadRequest(f"unknown scope {scope!r}")
    return scopes


def scope_covers(granted: frozenset[str] | set[str], needed: str) -> bool:
    """Granted itself, or by its parent (`read` covers `read:statuses`, `admin:read` covers
    `admin:read:accounts`; `admin` alone is no scope), or by the legacy `follow`."""
    parent = needed.rsplit(":", 1)[0]
    return needed in granted or parent in granted or ("follow" in granted and needed in _FOLLOW_COVERS)


def role_at_least(role: str, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def may_act(actor: Actor) -> bool:
    """Whether the account may sign in and use its tokens: not deleted, suspended or disabled."""
    return actor.deleted_at is None and actor.suspended_at is None and actor.disabled_at is None


USER_REQUIRED = "This method requires an authenticated user"


@dataclass(frozen=True)
class Principal:
    """A token's holder: an account (through an app or the CLI), or an app on its own (a
    client_credentials token: `account` is None, and only app-level endpoints take it)."""

    account: Actor | None
    token_id: int
    scopes: frozenset[str]
    app_id: int | None = None

    @property
    def role(self) -> str:
        return self.account.role if self.account is not None else "user"

    def require_user(self) -> None:
        """Unprocessable (Mastodon's answer) for an app's own token."""
        if self.account is None:
            raise Unprocessable(USER_REQUIRED)

    def allows(self, scope: str) -> bool:
        return scope_covers(self.scopes, scope)

    def require_scope(self, *any_of: str) -> None:
        """Forbidden (Mastodon's body) unless the token has one of these scopes."""
        if not any(self.allows(scope) for scope in any_of):
            raise Forbidden(OUTSIDE_SCOPES)

    def require_role(self, needed: str) -> None:
        """Forbidden unless the account's role is `needed` or above."""
        if not role_at_least(self.role, needed):
            raise Forbidden("This action is not allowed")
