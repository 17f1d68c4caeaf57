"""Getting hold of an activity's object without trusting what was embedded from elsewhere."""

from __future__ import annotations

from ...activitypub.fetch import fetch_document
from ...activitypub.fields import id_of
from ...activitypub.origins import require_same_origin
from ..context import Context


async def dereference(ctx: Context, value, what: str) -> dict:
    """The object as a document, if it is on the actor's origin (FEP-fe34): embedded, it is
    taken as sent (the actor's signature vouches for it); by reference, it is fetched from
    there with a signed GET. (An actor is never one of ours, so neither is its origin.)"""
    require_same_origin(ctx.actor.uri, id_of(value), what)
    if isinstance(value, dict):
        return value
    signer = await ctx.rt.instance_signer()
    return await fetch_document(ctx.rt.client, value, signer=signer)
