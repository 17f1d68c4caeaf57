"""Sessions of the moderator console (/admin), after a sign-in (accounts/sign_in.py).

A session is a random token in a cookie; the database keeps only its SHA-256, so a leaked
backup signs nobody in, and signing out deletes the row. It lasts LIFETIME from the sign-in,
however busy: a working day, so a moderator signs in once a day, while a console left open
on a shared office computer (or a stolen cookie) is good for at most that. It ends sooner on
signing out, a new password (the stamp), a suspension or disabling, or losing the staff role.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from ..clock import Clock
from ..store import console_sessions as store
from ..store.db import Database
from ..store.models import Actor
from .principal import role_at_least
from .sign_in import password_stamp, signed_in_account

LIFETIME = timedelta(hours=8)
STAFF = "moderator"  # the least role the console is for


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_staff(account: Actor) -> bool:
    return role_at_least(account.role, STAFF)


async def open_session(db: Database, clock: Clock, account: Actor) -> str:
    """A new session for a staff account: the token its cookie carries."""
    assert is_staff(account), "the console is for moderators and admins"
    token = secrets.token_urlsafe(32)
    now = clock.now()
    async with db.write() as session:
        await store.remove_expired(session, now)  # the table stays as small as who is signed in
        await store.add(session, token_hash=_hash(token), account_id=account.id,
                        password_stamp=password_stamp(account), created_at=now, expires_at=now + LIFETIME)
    return token


async def session_account(db: Database, clock: Clock, token: str | None) -> Actor | None:
    """The account a console cookie signs in, while its session holds (see the module's note);
    its role is the caller's to check (a moderator made a user is refused, not signed out)."""
    if not token or len(token) > 128:
        return None
    async with db.read() as session:
        row = await store.by_hash(session, _hash(token))
    if row is None or row.expires_at <= clock.now():
        return None
    account = await signed_in_account(db, row.account_id)
    if account is None or password_stamp(account) != row.password_stamp:
        return None
    return account


async def close_session(db: Database, token: str | None) -> None:
    if token and len(token) <= 128:
        async with db.write() as session:
            await store.remove(session, _hash(token))
