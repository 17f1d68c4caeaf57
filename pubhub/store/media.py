"""Queries on uploaded media (media_attachments)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import MediaAttachment, Object, Statement


async def add(session: AsyncSession, **values) -> MediaAttachment:
    media = MediaAttachment(**values)
    session.add(media)
    await session.flush()
    return media


async def unattached(session: AsyncSession, account_id: int, media_id: int) -> MediaAttachment | None:
    """One of the account's uploads not yet posted with a status (the only ones it may still
    read and describe through /api/v1/media/:id, as in Mastodon)."""
    query = select(MediaAttachment).where(MediaAttachment.id == media_id, MediaAttachment.account_id == account_id,
                                          MediaAttachment.object_id.is_(None))
    return (await session.execute(query)).scalar_one_or_none()


async def unattached_many(session: AsyncSession, account_id: int, media_ids: list[int]) -> dict[int, MediaAttachment]:
    query = select(MediaAttachment).where(MediaAttachment.id.in_(media_ids), MediaAttachment.account_id == account_id,
                                          MediaAttachment.object_id.is_(None))
    return {media.id: media for media in (await session.execute(query)).scalars()}


async def attach(session: AsyncSession, media_ids: list[int], object_id: int) -> int:
    """Attach the uploads to a note; how many were still free (a race with another post shows
    as fewer)."""
    result = await session.execute(update(MediaAttachment).where(
        MediaAttachment.id.in_(media_ids), MediaAttachment.object_id.is_(None)).values(object_id=object_id))
    return result.rowcount


async def of_objects(session: AsyncSession, object_ids: list[int]) -> list[MediaAttachment]:
    query = select(MediaAttachment).where(MediaAttachment.object_id.in_(object_ids))
    return list((await session.execute(query)).scalars())


async def unattached_before(session: AsyncSession, before: datetime, *, limit: int) -> list[MediaAttachment]:
    query = (select(MediaAttachment).where(MediaAttachment.object_id.is_(None), MediaAttachment.created_at < before)
             .order_by(MediaAttachment.id).limit(limit))
    return list((await session.execute(query)).scalars())


async def remove(session: AsyncSession, media: list[MediaAttachment]) -> None:
    for item in media:
        await session.delete(item)
    await session.flush()


async def of_gone_remote_notes(session: AsyncSession, *, limit: int) -> list[MediaAttachment]:
    """Cached copies of remote notes' images whose note is gone (deleted at its origin, with
    its author or its server) and not kept for an appeal (a moderator's removal)."""
    kept = select(Statement.object_id).where(Statement.removed_content.is_not(None), Statement.object_id.is_not(None))
    query = (select(MediaAttachment).join(Object, Object.id == MediaAttachment.object_id)
             .where(Object.local.is_(False), Object.deleted_at.is_not(None), Object.id.not_in(kept))
             .order_by(MediaAttachment.id).limit(limit))
    return list((await session.execute(query)).scalars())
