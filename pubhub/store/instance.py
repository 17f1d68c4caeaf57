"""The instance's own settings row: the domain and scheme this database was initialised for."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .models import Actor, InstanceSetting

SIGNING_KEY = "signing_key"


async def identity(session: AsyncSession) -> tuple[str, str] | None:
    """(scheme, domain) as stored, or None on a database that has not recorded them yet."""
    rows = dict((await session.execute(select(InstanceSetting.key, InstanceSetting.value))).all())
    if "scheme" in rows and "domain" in rows:
        return rows["scheme"], rows["domain"]
    return None


async def identity_from_local_actors(session: AsyncSession) -> tuple[str, str] | None:
    """What a database from before the settings row was made for, read from a local actor's URI
    (the oldest one: the instance actor or the first account)."""
    uri = (await session.execute(
        select(Actor.uri).where(Actor.local.is_(True)).order_by(Actor.id).limit(1))).scalar_one_or_none()
    if uri is None:
        return None
    parts = urlsplit(uri)
    return parts.scheme, parts.netloc


async def record_identity(session: AsyncSession, scheme: str, domain: str) -> None:
    for key, value in (("scheme", scheme), ("domain", domain)):
        await session.merge(InstanceSetting(key=key, value=value))
    await session.flush()


async def signing_key(session: AsyncSession) -> str:
    """The instance's secret for signing cookies and form tokens (hex), made on first use. It
    lives in the database so every web process signs and checks with the same one; whichever
    process makes it first wins, the others read it."""
    statement = insert_statement(session, InstanceSetting).values(key=SIGNING_KEY, value=secrets.token_hex(32))
    await session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))
    return (await session.execute(select(InstanceSetting.value).where(InstanceSetting.key == SIGNING_KEY))).scalar_one()


async def setting(session: AsyncSession, key: str) -> str | None:
    return (await session.execute(select(InstanceSetting.value).where(InstanceSetting.key == key))).scalar_one_or_none()


async def set_setting(session: AsyncSession, key: str, value: str) -> None:
    await session.merge(InstanceSetting(key=key, value=value))
    await session.flush()
