"""A remote note's images kept here, when the operator asks for it (PUBHUB_CACHE_REMOTE_MEDIA;
off by default: they are shown by their URL). Fetched after the note is stored, in a task of
its own (never inside the inbox worker's transaction), through the guarded client (no private
addresses, the policy seam), at most PUBHUB_MEDIA_MAX_MB each and only the image types an upload
may have; re-encoded as uploads are (social.images: no metadata kept), with a preview, into the
media store. Each copy has a row attached to the note, so a moderator's removal quarantines it
as it does uploads, and `UnneededMedia` (social.media) removes it once the note is gone.

Apps then get our copy as `url` and `preview_url`, the original as `remote_url`. Nothing is
fetched from a server whose domain block rejects its media.
"""

from __future__ import annotations

import asyncio
import logging

from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import media as media_store
from ..store import objects as object_store
from .images import MEDIA_TYPES, Processed, process_image
from .media import store_image
from .reading import media_rejected

log = logging.getLogger("pubhub.social.remote_media")
# What an entry gains when its image is kept here (its size and blurhash are our copy's).
CACHE_KEYS = ("cached_url", "cached_preview_url", "width", "height", "blurhash")


def cache_later(rt: Runtime, note_id: int) -> None:
    """Start keeping the note's images (the task is the runtime's until it ends)."""
    task = asyncio.create_task(_cache_logged(rt, note_id), name=f"cache-media-{note_id}")
    rt.background.add(task)
    task.add_done_callback(rt.background.discard)


async def _cache_logged(rt: Runtime, note_id: int) -> None:
    try:
        await cache_images(rt, note_id)
    except Exception as exc:  # the store or the database failed: the images stay links to the originals
        log.warning("remote media not kept note=%s reason=%s", note_id, exc.__class__.__name__)


async def start_caching(rt: Runtime, note_id: int) -> None:
    """cache_later, as store.db.await_after_commit awaits it once the note is stored."""
    cache_later(rt, note_id)


def cacheable(entry: dict) -> bool:
    return entry.get("media_type") in MEDIA_TYPES and "cached_url" not in entry


async def cache_images(rt: Runtime, note_id: int) -> int:
    """Fetch and keep the note's images not kept yet; how many were kept."""
    async with rt.db.read() as session:
        note = await object_store.by_id(session, note_id)
        if note is None or note.local or note.deleted_at is not None or not note.attachments:
            return 0
        author = await actor_store.by_id(session, note.author_id)
        if author is None or await media_rejected(session, [author]):
            return 0
        wanted = [(index, entry["url"]) for index, entry in enumerate(note.attachments) if cacheable(entry)]
    copies: dict[int, tuple[str, dict]] = {}
    kept: set[int] = set()
    try:
        for index, url in wanted:
            processed = await _fetched(rt, url)
            if processed is not None:
                copies[index] = (url, await store_image(rt, processed))
        if copies:
            kept = await _attach(rt, note_id, author.id, copies)
    finally:  # what was written and is not attached (the note changed meanwhile, a failure) goes
        await rt.media.remove([name for index, (_url, values) in copies.items() if index not in kept
                               for name in (values["file_name"], values["preview_name"])])
    return len(kept)


async def _fetched(rt: Runtime, url: str) -> Processed | None:
    """The image at `url` re-encoded, or None (refused address, too big, not an image...)."""
    async with rt.media_fetches:
        try:
            response = await rt.client.request("GET", url, headers={"Accept": ", ".join(MEDIA_TYPES)},
                                               max_bytes=rt.settings.media_max_bytes)
            media_type = response.content_type.partition(";")[0].strip().lower()
            if response.status != 200 or media_type not in MEDIA_TYPES:
                log.info("remote media not kept url=%s status=%s type=%s", url[:200], response.status, media_type[:64])
                return None
            return await asyncio.to_thread(process_image, response.body)
        except Exception as exc:  # hostile or broken input, a refused address, a dead server: shown by URL
            log.info("remote media not kept url=%s reason=%s", url[:200], exc.__class__.__name__)
            return None


async def _attach(rt: Runtime, note_id: int, author_id: int, copies: dict[int, tuple[str, dict]]) -> set[int]:
    """Our copies become the entries' `cached_url`s, for the entries still as they were fetched."""
    kept: set[int] = set()
    async with rt.db.write(background=True) as session:
        note = await object_store.by_id(session, note_id)
        if note is None or note.deleted_at is not None:
            return kept
        entries = list(note.attachments or [])
        for index, (url, values) in copies.items():
            if index >= len(entries) or entries[index].get("url") != url or not cacheable(entries[index]):
                continue
            entry = entries[index]
            await media_store.add(session, **values, account_id=author_id, object_id=note_id,
                                  description=entry.get("description") or "", created_at=rt.clock.now())
            entries[index] = {**entry, "cached_url": rt.urls.media_file(values["file_name"]),
                              "cached_preview_url": rt.urls.media_file(values["preview_name"]),
                              "width": values["width"], "height": values["height"],
                              "blurhash": entry.get("blurhash") or values["blurhash"]}
            kept.add(index)
        note.attachments = entries
    return kept


def keep_copies(old: list[dict] | None, new: list[dict] | None) -> tuple[list[dict] | None, list[str]]:
    """An Update's entries keep our copies of the images whose URL stays; with the file names of
    the copies no entry shows any more."""
    copies = {entry["url"]: entry for entry in old or [] if "cached_url" in entry}
    entries = [{**entry, **{key: copies[entry["url"]][key] for key in CACHE_KEYS}} if entry["url"] in copies else entry
               for entry in new or []] or None
    shown = {entry["cached_url"] for entry in entries or [] if "cached_url" in entry}
    return entries, [_file_name(entry["cached_url"]) for entry in copies.values() if entry["cached_url"] not in shown]


async def after_update(rt: Runtime, note_id: int, dropped: list[str]) -> None:
    """Once an Update of the note has committed: the copies it no longer shows go, its new
    images are fetched (when caching is on)."""
    if dropped:
        async with rt.db.write(background=True) as session:
            rows = [item for item in await media_store.of_objects(session, [note_id]) if item.file_name in dropped]
            await media_store.remove(session, rows)
        await rt.media.remove([name for item in rows for name in (item.file_name, item.preview_name)])
    if rt.settings.cache_remote_media:
        cache_later(rt, note_id)


def _file_name(url: str) -> str:
    return url.rpartition("/")[2]
