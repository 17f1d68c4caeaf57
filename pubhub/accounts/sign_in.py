"""Signing in with a name or e-mail address and a password, rate-limited.

Failed attempts are counted in the database (table `sign_in_attempts`), so every web process
counts the same ones: per account (10 in 15 minutes) and per client address (30 in 15 minutes,
for an office behind one address). While either limit is reached, sign-in is refused without
looking at the password, even a right one: that is what stops guessing. A successful sign-in
clears the account's count. An unknown name costs the same password hash as a known one, so
the time taken does not tell which names exist.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from ..clock import Clock
from ..errors import PubHubError, Unauthorized
from ..store import actors as actor_store
from ..store import sign_ins as attempt_store
from ..store import verifications as login_store
from ..store.db import Database
from ..store.models import Actor
from .passwords import MAX_LENGTH, hash_password, password_matches
from .principal import may_act

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30
REFUSED = "Wrong name, e-mail address or password."
_UNKNOWN_ACCOUNT_HASH = hash_password("no account has this password")  # spends the same time


class TooManyAttempts(PubHubError):
    status = 429

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Attempt:
    identifier: str  # a name, @name, or an e-mail address
    password: str
    address: str  # the client's address


def _account_key(identifier: str, actor: Actor | None) -> str:
    """Attempts at one account count together whichever way it is named; attempts at names
    that do not exist count by name."""
    return f"account:{actor.id}" if actor is not None else "name:" + identifier.strip().lower()[:58]


async def _find(db: Database, identifier: str) -> Actor | None:
    text = identifier.strip()
    async with db.read() as session:
        if "@" in text.lstrip("@"):
            actor = await actor_store.local_by_email(session, text)
        else:
            actor = await actor_store.local_by_username(session, text.lstrip("@"))
    if actor is None or actor.kind == "Application":
        return None
    return actor


async def sign_in(db: Database, clock: Clock, attempt: Attempt) -> Actor:
    """The account whose name or address and password these are; Unauthorized (REFUSED, the
    same for every reason) or TooManyAttempts."""
    now = clock.now()
    actor = await _find(db, attempt.identifier) if len(attempt.identifier) <= 320 else None
    key = _account_key(attempt.identifier, actor)
    async with db.read() as session:
        by_account, by_address, oldest_account, oldest_address = await attempt_store.failures_since(
            session, account_key=key, address=attempt.address, since=now - WINDOW)
    if by_account >= ACCOUNT_LIMIT or by_address >= ADDRESS_LIMIT:
        oldest = min(t for t, over in ((oldest_account, by_account >= ACCOUNT_LIMIT),
                                       (oldest_address, by_address >= ADDRESS_LIMIT)) if over)
        raise TooManyAttempts(max(1, int((oldest + WINDOW - now).total_seconds())))
    stored_hash = actor.password_hash if actor is not None else None
    password = attempt.password if len(attempt.password) <= MAX_LENGTH else ""
    matches = await asyncio.to_thread(password_matches, stored_hash or _UNKNOWN_ACCOUNT_HASH, password)
    usable = actor is not None and stored_hash and may_act(actor)
    async with db.write() as session:
        if matches and usable:
            await attempt_store.forget_account(session, key)
        else:
            await attempt_store.forget_before(session, now - WINDOW)
            await attempt_store.add_failure(session, account_key=key, address=attempt.address[:64], now=now)
    if not (matches and usable):
        raise Unauthorized(REFUSED)
    return actor


async def signed_in_account(db: Database, actor_id: int) -> Actor | None:
    """The account a sign-in cookie names, while it may still act (not suspended or deleted)."""
    async with db.read() as session:
        actor = await actor_store.by_id(session, actor_id)
        # (an account made by signing in with an identity attribute has no password)
        signs_in = actor is not None and (bool(actor.password_hash) or await login_store.has_login_link(session, actor.id))
    if actor is None or not actor.local or actor.kind == "Application" or not may_act(actor) or not signs_in:
        return None
    return actor


def password_stamp(actor: Actor) -> str:
    """A short fingerprint of the account's password hash: a sign-in cookie carries it, so a
    new password ends every sign-in made with the old one."""
    return hashlib.sha256((actor.password_hash or "").encode()).hexdigest()[:16]

