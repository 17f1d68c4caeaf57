"""What a handler gets: the runtime, and the verified actor of the activity it handles; and
what it gives back: the activity's writes, to be run later in the batch's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

from ..runtime import Runtime
from ..social.inbound_batch import InboundBatch
from ..store.db import Session
from ..store.models import Actor

# A handler fetches what it needs first, then returns its writes as a Write: the inbox worker
# runs the writes of a whole batch in one transaction, never holding it across a fetch. A
# Write reads what it decides on inside that transaction (so it sees the batch's earlier
# activities) and may raise RuleViolation, which undoes its writes alone.
Write = Callable[[Session], Awaitable[None]]


@dataclass
class Batched:
    """A write that adds rows (a note, a reaction, a follow) or takes one back (an Undo)
    through the batch: what it looks up (`notes` by URI; `follows`, (follower id, our
    account's URI) pairs; `undone`, the activities an Undo takes back) is read for the whole
    batch at once, and it raises nothing once it has changed a row, so it needs no savepoint
    of its own."""
    write: Callable[[InboundBatch], Awaitable[None]]
    notes: tuple[str, ...] = ()
    follows: tuple[tuple[int, str], ...] = ()
    undone: tuple[str, ...] = ()


@dataclass
class Context:
    rt: Runtime
    actor: Actor  # the signer, already checked to be the activity's actor
    # Actors (ids) some local account follows, prefetched for a batch (None: ask the database).
    followed_by_locals: set[str] | None = None
