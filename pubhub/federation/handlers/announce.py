"""Announce: a remote actor boosts a note we know. Only the id of the object is used; an
embedded copy from elsewhere is never trusted."""

from __future__ import annotations

from ._reactions import reaction
from ..context import Batched, Context


async def handle(ctx: Context, activity: dict) -> Batched:
    return reaction(ctx, "Announce", activity)
