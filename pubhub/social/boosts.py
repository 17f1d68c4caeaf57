"""Boosts (reblogs) shown as Mastodon shows them: a status of the booster's own (the boost's id,
the time of the boost, the booster) whose `reblog` is the note boosted. A boost is shown to a
viewer only when the viewer may see the note (the one visibility rule, social.visibility), so a
private or direct note never travels through a boost. Timelines read their notes and their boosts
apart and cut one page from both (`one_page`), by id: boost ids come from the notes' generator."""

from __future__ import annotations

from dataclasses import replace

from ..errors import NotFound
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store import timelines as store
from ..store.db import Database, Session
from ..store.models import Interaction, Object
from ..store.timelines import Bounds
from . import reading
from .reading import Boost, StatusView, status_views
from .visibility import Viewer, require_visible, visible_boosts

Entry = Object | Interaction  # a note, or a boost of one


def one_page(notes: list[Object], boosts: list[Interaction], bounds: Bounds) -> list[Entry]:
    """The page `bounds` cuts from notes and boosts together, newest first. Each was read up to a
    page's length within the same bounds, so the page is the first `limit` of both by id: the
    newest, or the oldest after `min_id`."""
    entries = sorted([*notes, *boosts], key=lambda e: e.id, reverse=bounds.min_id is None)[:bounds.limit]
    return sorted(entries, key=lambda e: e.id, reverse=True)


def boosts_of(entries: list[Entry]) -> list[Interaction]:
    return [e for e in entries if isinstance(e, Interaction)]


def notes_of(entries: list[Entry]) -> list[Object]:
    return [e for e in entries if isinstance(e, Object)]


async def boost_views(session: Session, viewer: Viewer, boosts: list[Interaction]) -> list[StatusView]:
    """Views of the boosts the viewer may see (visibility.visible_boosts), in order."""
    originals = await object_store.by_ids(session, [b.object_id for b in boosts])
    kept = await visible_boosts(session, viewer, boosts, list(originals.values()))
    if not kept:
        return []
    boosters = await actor_store.by_ids(session, {b.actor_id for b in kept})
    shown = list({b.object_id: originals[b.object_id] for b in kept}.values())
    views = {view.note.id: view for view in await status_views(session, shown, viewer.actor)}
    return [replace(views[b.object_id], boost=Boost(b.id, b.activity_uri, b.created_at, boosters[b.actor_id]))
            for b in kept]


async def page_views(session: Session, viewer: Viewer, entries: list[Entry], notes_shown: list[Object]) -> list[StatusView]:
    """A page shown in its order: the notes the timeline chose to show, and the boosts on it
    whose note the viewer may see."""
    views = await status_views(session, notes_shown, viewer.actor) + await boost_views(session, viewer, boosts_of(entries))
    by_id = {view.id: view for view in views}
    return [by_id[e.id] for e in entries if e.id in by_id]


async def note_or_boost(db: Database, viewer: Viewer, status_id: int) -> StatusView:
    """The status with this id the viewer may see: a note, or else a boost (Mastodon's reblog,
    a status with an id of its own); 404 otherwise."""
    try:
        return await reading.status(db, viewer, status_id)
    except NotFound:
        return await boost_status(db, viewer, status_id)


async def boost_status(db: Database, viewer: Viewer, boost_id: int) -> StatusView:
    """The boost with this id, if its booster is still there and the viewer may see its note;
    else 404, as for a status that does not exist."""
    async with db.read() as session:
        boost = await store.boost(session, boost_id)
        shown = await boost_views(session, viewer, [boost] if boost is not None else [])
        if not shown:
            raise NotFound("Record not found")
        return shown[0]


async def note_of_status(session: Session, viewer: Viewer, status_id: int | None) -> Object:
    """The note a favourite, boost or bookmark of this status is about: the status's own note,
    or, for a boost's id, the note it boosts (as Mastodon applies them to the original), when
    the viewer may see the boost; else 404, as for a status that does not exist."""
    note = await object_store.by_id(session, status_id) if status_id is not None else None
    if note is None and status_id is not None:
        boost = await store.boost(session, status_id)
        boosted = await object_store.by_id(session, boost.object_id) if boost is not None else None
        if boosted is not None and await visible_boosts(session, viewer, [boost], [boosted]):
            note = boosted
    return await require_visible(session, viewer, note)
