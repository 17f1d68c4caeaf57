"""The versions of edited local statuses, oldest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Object, StatusEdit


async def of_note(session: AsyncSession, object_id: int) -> list[StatusEdit]:
    query = select(StatusEdit).where(StatusEdit.object_id == object_id).order_by(StatusEdit.created_at, StatusEdit.id)
    return list((await session.execute(query)).scalars())


def version_of(note: Object, at: datetime) -> StatusEdit:
    """The note as it reads now, as a version dated `at` (not stored)."""
    return StatusEdit(object_id=note.id, content=note.content, summary=note.summary or "",
                      sensitive=bool(note.sensitive), attachments=note.attachments, created_at=at)


async def add(session: AsyncSession, note: Object, at: datetime) -> None:
    session.add(version_of(note, at))
    await session.flush()
