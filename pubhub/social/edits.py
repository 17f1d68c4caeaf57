"""Editing one's own local status (Mastodon's PUT /api/v1/statuses/:id): its text, content
warning, sensitivity, language and images change, each version is kept (the original is
stored at the first edit), and an `Update` of the Note goes to the audience the Create had."""

from __future__ import annotations

from dataclasses import dataclass

from ..activitypub.documents import update_document
from ..errors import Forbidden
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store import status_edits as store
from ..store.db import Database
from ..store.models import Actor, Object, StatusEdit
from .media import reattach_uploads
from .statuses import MAX_SPOILER_CHARS, StatusRequest, addressing, compose_text, send_to_audience, validate
from .visibility import Viewer, visible_note


@dataclass
class Edit:
    text: str
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    media_ids: list[int] | None = None  # None: the images stay as they are


async def edit_status(rt: Runtime, author: Actor, note_id: int | None, edit: Edit) -> Object:
    """Edit one of the author's own statuses (someone else's: 403; one it may not see: 404)."""
    async with rt.db.read() as session:
        note = await visible_note(session, Viewer(author), note_id)
    if note.author_id != author.id:
        raise Forbidden("This action is not allowed")
    has_media = bool(note.attachments) if edit.media_ids is None else bool(edit.media_ids)
    # (the rule for new statuses: text, or at least an image; which images is checked below)
    text = validate(StatusRequest(text=edit.text, visibility=note.visibility, media_ids=[0] if has_media else []))
    html, tags, mentions = await compose_text(rt, text)
    async with rt.db.write() as session:
        note = await visible_note(session, Viewer(author), note_id, author=author)  # as it is now
        versions = await store.of_note(session, note.id)
        if not versions:
            await store.add(session, note, note.published)  # the original, the first version
        spoiler = edit.spoiler_text.strip()[:MAX_SPOILER_CHARS]
        note.content, note.source_text, note.tags = html, text, tags
        await object_store.retagged(session, note)
        note.summary, note.sensitive, note.language = spoiler, edit.sensitive or bool(spoiler), edit.language
        note.to, note.cc = addressing(note.visibility, author.followers_url, mentions)
        if edit.media_ids is not None:
            await reattach_uploads(session, rt, author, edit.media_ids, note)
        note.updated_at = rt.clock.now()
        await store.add(session, note, note.updated_at)
        await send_to_audience(rt, session, note, author, update_document(note, author))
    return note


async def history(db: Database, viewer: Viewer, note_id: int | None) -> tuple[Object, Actor, list[StatusEdit]]:
    """A status the viewer may see, its author and its versions, oldest first (one, itself, if
    never edited)."""
    async with db.read() as session:
        note = await visible_note(session, viewer, note_id)
        versions = await store.of_note(session, note.id)
        author = await actor_store.by_id(session, note.author_id)
        return note, author, versions or [store.version_of(note, note.published)]


async def source(db: Database, viewer: Viewer, note_id: int | None) -> Object:
    async with db.read() as session:
        return await visible_note(session, viewer, note_id)
