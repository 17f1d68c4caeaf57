"""Like: a remote actor favourites a note we know."""

from __future__ import annotations

from ..context import Context
from ._interactions import record_interaction


async def handle(ctx: Context, activity: dict) -> None:
    await record_interaction(ctx, activity, "Like")
