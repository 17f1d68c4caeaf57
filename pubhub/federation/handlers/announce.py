"""Announce: a remote actor boosts a note. Only the id of the object is used; an embedded copy
from elsewhere is never trusted. A note we do not have yet is fetched from its own server when
someone here follows the booster (social/fetched_notes.py), so the boost shows in their home;
otherwise a boost of a note we do not know is ignored."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...activitypub.origins import require
from ...social.fetched_notes import boosted_note_to_fetch
from ...social.interactions import record_boost_of_fetched
from ...social.remote_notes import note_uris
from ..context import Batched, Context
from ._reactions import reaction


async def handle(ctx: Context, activity: dict) -> Batched:
    object_id = id_of(activity.get("object"))
    require(object_id is not None, "Announce without an object")
    fetched = await boosted_note_to_fetch(ctx.rt, ctx.actor, object_id, ctx.followed_by_locals)
    if fetched is None:
        return reaction(ctx, "Announce", activity)
    now = ctx.rt.clock.now()
    return Batched(lambda batch: record_boost_of_fetched(batch, ctx.rt, ctx.actor, activity["id"], fetched, now),
                   note_uris(fetched.document))
