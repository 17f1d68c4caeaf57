"""Like: a remote actor favourites a note we know."""

from __future__ import annotations

from ._reactions import reaction
from ..context import Batched, Context


async def handle(ctx: Context, activity: dict) -> Batched:
    return reaction(ctx, "Like", activity)
