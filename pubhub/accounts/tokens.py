"""Bearer tokens: made with the CLI or through OAuth (accounts/oauth.py), stored as SHA-256
only, each with its scopes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from ..errors import BadRequest, Forbidden, NotFound, Unauthorized
from ..store import tokens as token_store
from ..store.db import Session
from ..store.models import Actor, Token
from .principal import DEFAULT_SCOPES, Principal, parse_scopes, role_at_least

INVALID_TOKEN = "The access token is invalid"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def fingerprint(token: Token) -> str:
    """How a token is named to people (`pubhub tokens list`, the tokens API): the start of its
    SHA-256, since the token itself is not stored."""
    return token.token_hash[:FINGERPRINT_DIGITS]


FINGERPRINT_DIGITS = 12


MAX_SCOPES_TEXT = 1024  # the column's size


async def create_token(session: Session, actor: Actor, *, now: datetime, name: str,
                       scopes: str = DEFAULT_SCOPES) -> str:
    """A new token for `actor` (the CLI's); the token itself is returned once and never stored."""
    token, _ = await issue_token(session, actor, now=now, name=name, scopes=scopes)
    return token


async def issue_token(session: Session, actor: Actor | None, *, now: datetime, name: str, scopes: str,
                      app_id: int | None = None) -> tuple[str, Token]:
    """A new token for `actor` (None: an app's own token) made through app `app_id`, and its row;
    admin scopes only for moderators and admins."""
    granted = parse_scopes(scopes)
    if actor is not None and any(s.startswith("admin:") for s in granted) and not role_at_least(actor.role, "moderator"):
        raise BadRequest(f"admin scopes need an account with role moderator or admin ({actor.username} is {actor.role})")
    stored = " ".join(granted)
    if len(stored) > MAX_SCOPES_TEXT:
        raise BadRequest("too many scopes: use the broad ones (read, write, admin:read, ...)")
    token = secrets.token_urlsafe(32)
    row = await token_store.add(session, token_hash=hash_token(token), actor_id=actor.id if actor else None,
                                app_id=app_id, name=name, scopes=stored, now=now)
    return token, row


async def principal_for_token(session: Session, token: str, *, restricted_too: bool = False) -> Principal:
    """The token's principal; 401 unless it is live and its account may act (`restricted_too`:
    a suspended or disabled account too, for reading and appealing the decisions about it)."""
    found = await token_store.live_with_actor(session, hash_token(token), restricted_too=restricted_too)
    if found is None:
        raise Unauthorized(INVALID_TOKEN)
    stored, actor = found
    return Principal(actor, stored.id, frozenset(stored.scopes.split()), stored.app_id)


# ---- what an account (or an admin) sees and revokes of the tokens -----------------------------

def may_manage_all(principal: Principal) -> bool:
    """Admins with admin:write:accounts (or admin:write) reach every account's tokens; anyone
    else only their own."""
    return principal.role == "admin" and principal.allows("admin:write:accounts")


async def live_tokens(session: Session, principal: Principal, *, everyone: bool) -> list:
    """(token, account) pairs the caller may see: their own, or with `everyone`, all (admins)."""
    if everyone and not may_manage_all(principal):
        raise Forbidden("only an admin with admin:write may list every account's tokens")
    return await token_store.live_of(session, None if everyone else principal.account.id)


async def revoke_token(session: Session, principal: Principal, token_id: int | None, *, now: datetime) -> None:
    """Revoke a live token of the caller's own (any admin: of anyone's); NotFound otherwise, the
    same for a token that does not exist, so ids of other people's tokens are not confirmed."""
    token = await token_store.by_id(session, token_id) if token_id is not None else None
    if token is None or token.revoked_at is not None or (
            token.actor_id != principal.account.id and not may_manage_all(principal)):
        raise NotFound("Record not found")
    await token_store.revoke_ids(session, [token.id], now)
