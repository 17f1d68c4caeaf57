"""Announce: a remote actor boosts a note we know. Only the id of the object is used; an
embedded copy from elsewhere is never trusted."""

from __future__ import annotations

from ..context import Context
from ._interactions import record_interaction


async def handle(ctx: Context, activity: dict) -> None:
    await record_interaction(ctx, activity, "Announce")
