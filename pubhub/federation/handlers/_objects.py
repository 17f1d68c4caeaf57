"""Getting hold of an activity's object without trusting what was embedded from elsewhere."""

from __future__ import annotations

from ...activitypub.fetch import fetch_document
from ...activitypub.origins import id_of, require, same_origin
from ...errors import RuleViolation
from ..context import Context


async def dereference(ctx: Context, value) -> dict:
    """The object as a document. Embedded objects are taken as sent only from the actor's own
    origin (the signature vouches for them); anything else is fetched from its own origin."""
    object_id = id_of(value)
    require(object_id is not None, "activity has no object")
    if isinstance(value, dict) and same_origin(ctx.actor.uri, object_id):
        return value
    if ctx.rt.urls.is_local(object_id):
        raise RuleViolation("activity embeds one of our own objects")
    signer = await ctx.rt.instance_signer()
    return await fetch_document(ctx.rt.client, object_id, signer=signer)
