"""Verifier sessions and what is kept of a proof (identity/sessions.py)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .models import AttributeVerification, LinkCode, LoginLink, VerificationSession

# How long a proved attribute counts for a room, however it was proved (in the room's own flow,
# identity/sessions.py, or on its web page and then linked by code, rooms/link_codes.py).
PROOF_LASTS = timedelta(days=90)


async def add_session(session: AsyncSession, **values) -> VerificationSession:
    row = VerificationSession(**values)
    session.add(row)
    await session.flush()
    return row


async def session_by_id(session: AsyncSession, session_id: int) -> VerificationSession | None:
    return await session.get(VerificationSession, session_id)


async def session_by_reference(session: AsyncSession, provider: str, reference: str) -> VerificationSession | None:
    query = select(VerificationSession).where(VerificationSession.provider == provider,
                                              VerificationSession.reference == reference)
    return (await session.execute(query)).scalars().first()


async def claim_session(session: AsyncSession, session_id: int, now: datetime) -> bool:
    """pending → checking, if it still is pending and not expired: one caller wins."""
    result = await session.execute(
        update(VerificationSession)
        .where(VerificationSession.id == session_id, VerificationSession.state == "pending",
               VerificationSession.expires_at > now)
        .values(state="checking"))
    return result.rowcount == 1


async def finish_session(session: AsyncSession, session_id: int, state: str, now: datetime) -> None:
    await session.execute(update(VerificationSession).where(VerificationSession.id == session_id)
                          .values(state=state, finished_at=now))


async def record(session: AsyncSession, *, room_id: int, actor_id: int, rule_version: int, provider: str,
                 satisfied_until: datetime, now: datetime) -> None:
    """The actor satisfies the room's rule (a new proof replaces an older or revoked one)."""
    values = {"room_id": room_id, "actor_id": actor_id, "rule_version": rule_version, "provider": provider,
              "satisfied_until": satisfied_until, "created_at": now, "revoked_at": None}
    statement = insert_statement(session, AttributeVerification).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=["room_id", "actor_id"],
        set_={name: values[name] for name in ("rule_version", "provider", "satisfied_until", "created_at", "revoked_at")}))


async def current(session: AsyncSession, room_id: int, actor_id: int, rule_version: int,
                  now: datetime) -> AttributeVerification | None:
    """The actor's verification for this room's rule as it is now, if it holds."""
    query = select(AttributeVerification).where(
        AttributeVerification.room_id == room_id, AttributeVerification.actor_id == actor_id,
        AttributeVerification.rule_version == rule_version, AttributeVerification.revoked_at.is_(None),
        AttributeVerification.satisfied_until > now)
    return (await session.execute(query)).scalar_one_or_none()


async def of_actor(session: AsyncSession, room_id: int, actor_id: int) -> AttributeVerification | None:
    query = select(AttributeVerification).where(AttributeVerification.room_id == room_id,
                                                AttributeVerification.actor_id == actor_id)
    return (await session.execute(query)).scalar_one_or_none()


def code_hash(code: str) -> str:
    """What is kept of a link code (the code itself is shown once, never stored)."""
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


async def add_link_code(session: AsyncSession, code: str, **values) -> LinkCode:
    row = LinkCode(code_hash=code_hash(code), **values)
    session.add(row)
    await session.flush()
    return row


async def redeem_link_code(session: AsyncSession, room_id: int, codes: list[str], actor_id: int,
                           now: datetime) -> LinkCode | None:
    """The first of `codes` that is this room's, unused and unexpired, now used by `actor_id`."""
    hashes = [code_hash(code) for code in codes]
    if not hashes:
        return None
    query = select(LinkCode).where(LinkCode.room_id == room_id, LinkCode.code_hash.in_(hashes),
                                   LinkCode.used_at.is_(None), LinkCode.expires_at > now)
    for row in (await session.execute(query)).scalars():
        claimed = await session.execute(update(LinkCode).where(LinkCode.id == row.id, LinkCode.used_at.is_(None))
                                        .values(used_at=now, used_by_id=actor_id))
        if claimed.rowcount == 1:
            return row
    return None


async def login_link_by_hash(session: AsyncSession, key_hash: str) -> LoginLink | None:
    return (await session.execute(select(LoginLink).where(LoginLink.key_hash == key_hash))).scalar_one_or_none()


async def has_login_link(session: AsyncSession, actor_id: int) -> bool:
    return (await session.execute(select(LoginLink.id).where(LoginLink.actor_id == actor_id))).first() is not None


async def add_login_link(session: AsyncSession, **values) -> LoginLink:
    row = LoginLink(**values)
    session.add(row)
    await session.flush()
    return row
