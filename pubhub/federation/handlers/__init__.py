"""One module per inbound activity type, each with `async def handle(ctx, activity)`,
registered here once. A handler checks the federation rules and fetches what it needs, then
returns its writes (a `Write`, a `Batched` for writes that only add rows, or None when there is
nothing to write). Unknown types are
logged and ignored, not errors."""

from __future__ import annotations

import logging

from ...activitypub.fields import type_among
from ..context import Batched, Context, Write
from . import accept, announce, create, delete, flag, follow, like, reject, undo, update

log = logging.getLogger(__name__)

HANDLERS = {
    "Follow": follow.handle,
    "Undo": undo.handle,
    "Accept": accept.handle,
    "Reject": reject.handle,
    "Create": create.handle,
    "Update": update.handle,
    "Delete": delete.handle,
    "Like": like.handle,
    "Announce": announce.handle,
    "Flag": flag.handle,
}


async def dispatch(ctx: Context, activity: dict) -> Write | Batched | None:
    kind = type_among(activity, HANDLERS)
    handler = HANDLERS.get(kind)
    if handler is None:
        log.info("inbox activity ignored type=%s actor=%s", kind, ctx.actor.uri)
        return None
    return await handler(ctx, activity)
