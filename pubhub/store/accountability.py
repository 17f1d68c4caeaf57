"""Writing statements of reasons and audit entries. The audit log is append-only: this module
adds to it and reads it, and nothing in PubHub updates or deletes its rows."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from .models import AuditEntry, Statement


async def add_statement(session: AsyncSession, **values) -> Statement:
    statement = Statement(**values)
    session.add(statement)
    await session.flush()
    return statement


async def append_audit(session: AsyncSession, **values) -> AuditEntry:
    entry = AuditEntry(**values)
    session.add(entry)
    await session.flush()
    return entry
