"""Undo: what a remote actor may take back — its own Follow, Like or Announce."""

from __future__ import annotations

from ..store.db import Session
from ..store.models import Actor
from .follows import undo_follow
from .interactions import undo_interaction


async def undo(session: Session, actor: Actor, inner_id: str, inner) -> None:
    if not await undo_follow(session, actor, inner_id, inner):
        await undo_interaction(session, actor, inner_id)
