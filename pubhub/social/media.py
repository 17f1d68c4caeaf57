"""Media a local account uploads: processed off the event loop (social.images), written to the
media store (rt.media: a directory or a bucket) with unguessable names, described (alt text, focus) until posted, then
attached to one status. A deleted status takes its files with it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..errors import NotFound, Unprocessable
from ..runtime import Runtime
from ..store import media as media_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor, MediaAttachment, Object
from .attachments import MAX_ATTACHMENTS, MAX_DESCRIPTION, local_entries
from .images import AVATAR, Processed, process_avatar, process_image

log = logging.getLogger(__name__)
UNPOSTED_DAYS = 1  # as Mastodon removes media never attached to a status
PRUNE_EVERY = 600.0  # seconds
PRUNE_BATCH = 500


@dataclass(frozen=True)
class Upload:
    data: bytes
    description: str = ""
    focus: tuple[float, float] = (0.0, 0.0)


def parse_focus(value: str | None) -> tuple[float, float]:
    """Mastodon's `focus`: "x,y", each from -1.0 to 1.0."""
    if value is None or not value.strip():
        return 0.0, 0.0
    try:
        x, y = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise Unprocessable("focus must be two numbers from -1.0 to 1.0: x,y") from exc
    if not (-1 <= x <= 1 and -1 <= y <= 1):
        raise Unprocessable("focus must be two numbers from -1.0 to 1.0: x,y")
    return x, y


def check_description(text: str) -> str:
    if len(text) > MAX_DESCRIPTION:
        raise Unprocessable(f"a description may have at most {MAX_DESCRIPTION} characters")
    return text


async def upload(rt: Runtime, account: Actor, item: Upload) -> MediaAttachment:
    """Process and store an upload; nothing is kept when it is refused."""
    description = check_description(item.description)
    processed = await asyncio.to_thread(process_image, item.data)
    values = await store_image(rt, processed)
    try:
        async with rt.db.write() as session:
            return await media_store.add(session, **values, account_id=account.id, description=description,
                                         focus_x=item.focus[0], focus_y=item.focus[1], created_at=rt.clock.now())
    except BaseException:
        await rt.media.remove([values["file_name"], values["preview_name"]])
        raise


async def store_image(rt: Runtime, processed: Processed) -> dict:
    """An image and its preview written under new unguessable names; the row's values for them."""
    media_id = object_store.new_object_id()
    stem = f"{media_id}-{secrets.token_urlsafe(12)}"
    names = (f"{stem}.{processed.extension}", f"{stem}-small.jpg")
    await rt.media.write({names[0]: processed.data, names[1]: processed.preview})
    return {"id": media_id, "file_name": names[0], "preview_name": names[1], "media_type": processed.media_type,
            "size": len(processed.data), "width": processed.width, "height": processed.height,
            "preview_width": processed.preview_width, "preview_height": processed.preview_height,
            "blurhash": processed.blurhash}


async def store_avatar(rt: Runtime, data: bytes, size: tuple[int, int] = AVATAR) -> str:
    """A profile picture (or, with HEADER, a header) processed and written; its file name
    (its URL: rt.urls.media_file)."""
    processed = await asyncio.to_thread(process_avatar, data, size)
    name = f"{object_store.new_object_id()}-{secrets.token_urlsafe(12)}.{processed.extension}"
    await rt.media.write({name: processed.data})
    return name


def own_file(rt: Runtime, url: str | None) -> str | None:
    """The file name of one of our media URLs (e.g. an avatar being replaced), else None."""
    prefix = rt.urls.media_file("")
    return url[len(prefix):] if url and url.startswith(prefix) else None


async def own_upload(rt: Runtime, account: Actor, media_id: int | None) -> MediaAttachment:
    async with rt.db.read() as session:
        media = await media_store.unattached(session, account.id, media_id) if media_id is not None else None
    if media is None:
        raise NotFound("Record not found")
    return media


async def describe(rt: Runtime, account: Actor, media_id: int | None, description: str | None,
                   focus: str | None) -> MediaAttachment:
    """Alt text and focus of an upload not yet posted; what is not given stays."""
    async with rt.db.write() as session:
        media = await media_store.unattached(session, account.id, media_id) if media_id is not None else None
        if media is None:
            raise NotFound("Record not found")
        if description is not None:
            media.description = check_description(description)
        if focus is not None:
            media.focus_x, media.focus_y = parse_focus(focus)
    return media


async def attach_uploads(session: Session, rt: Runtime, author: Actor, media_ids: list[int], note: Object) -> None:
    """The author's own unposted uploads become the note's attachments, in the order given;
    anything else (someone else's, posted already, unknown) refuses the post."""
    if not media_ids:
        return
    if len(media_ids) > MAX_ATTACHMENTS:
        raise Unprocessable(f"a status may have at most {MAX_ATTACHMENTS} media attachments")
    ids = list(dict.fromkeys(media_ids))
    found = await media_store.unattached_many(session, author.id, ids)
    if len(found) != len(ids) or await media_store.attach(session, ids, note.id) != len(ids):
        raise Unprocessable("Validation failed: media_ids must name your own uploads not yet attached to a status")
    note.attachments = local_entries([found[i] for i in ids], rt.urls.media_file)


async def reattach_uploads(session: Session, rt: Runtime, author: Actor, media_ids: list[int], note: Object) -> None:
    """An edit's images: uploads the note has already, or the author's own unposted ones, in
    the order given. Uploads left out stay with the note (its earlier versions show them) and
    go when it is deleted."""
    if len(media_ids) > MAX_ATTACHMENTS:
        raise Unprocessable(f"a status may have at most {MAX_ATTACHMENTS} media attachments")
    ids = list(dict.fromkeys(media_ids))
    had = {m.id: m for m in await media_store.of_objects(session, [note.id])}
    new = [i for i in ids if i not in had]
    found = await media_store.unattached_many(session, author.id, new) if new else {}
    if len(found) != len(new) or (new and await media_store.attach(session, new, note.id) != len(new)):
        raise Unprocessable("Validation failed: media_ids must name this status's images or your own uploads "
                            "not yet attached to a status")
    chosen = {**had, **found}
    note.attachments = local_entries([chosen[i] for i in ids], rt.urls.media_file) or None


async def discard_files_of(rt: Runtime, note_ids: list[int]) -> None:
    """Remove the uploads of deleted notes, rows and files (after the notes' own transaction:
    a file is only gone once nothing points to it)."""
    async with rt.db.write(background=True) as session:
        media = await media_store.of_objects(session, note_ids)
        names = [name for item in media for name in (item.file_name, item.preview_name)]
        await media_store.remove(session, media)
    await rt.media.remove(names)


async def media_names_of(rt: Runtime, note_ids: list[int]) -> list[str]:
    async with rt.db.read() as session:
        media = await media_store.of_objects(session, note_ids)
    return [name for item in media for name in (item.file_name, item.preview_name)]


async def discard_quarantined(rt: Runtime, session: Session, note_ids: list[int]) -> list[str]:
    """The rows of removed posts' uploads go in `session`; the names of their files (to remove
    from the quarantine once it commits)."""
    media = await media_store.of_objects(session, note_ids)
    await media_store.remove(session, media)
    return [name for item in media for name in (item.file_name, item.preview_name)]


class UnneededMedia:
    """Media files nothing needs any more, rows and files: uploads never posted, after
    UNPOSTED_DAYS (an app that uploaded and gave up), and our copies of remote notes' images
    once their note is gone (deleted at its origin, with its author or its server; not while a
    moderator's removal keeps it for its appeal). Asked on every round of the inbox worker, it
    prunes at most every PRUNE_EVERY seconds, at most PRUNE_BATCH of each at a time."""

    def __init__(self, rt: Runtime):
        self.rt = rt
        self._next_round: float | None = None

    async def prune_if_due(self) -> int:
        now = self.rt.clock.monotonic()
        if self._next_round is not None and now < self._next_round:
            return 0
        self._next_round = now + PRUNE_EVERY
        before = self.rt.clock.now() - timedelta(days=UNPOSTED_DAYS)
        async with self.rt.db.write(background=True) as session:
            stale = await media_store.unattached_before(session, before, limit=PRUNE_BATCH)
            gone = await media_store.of_gone_remote_notes(session, limit=PRUNE_BATCH)
            await media_store.remove(session, stale + gone)
        await self.rt.media.remove([name for item in stale + gone for name in (item.file_name, item.preview_name)])
        if stale:
            log.info("unposted uploads removed count=%s created_before=%s", len(stale), before.isoformat())
        if gone:
            log.info("copies of deleted remote notes' images removed count=%s", len(gone))
        return len(stale) + len(gone)
