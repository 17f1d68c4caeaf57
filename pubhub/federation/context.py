"""What a handler gets: the runtime, and the verified actor of the activity it handles."""

from __future__ import annotations

from dataclasses import dataclass

from ..runtime import Runtime
from ..store.models import Actor


@dataclass
class Context:
    rt: Runtime
    actor: Actor  # the signer, already checked to be the activity's actor
    # Actors (ids) some local account follows, prefetched for a batch (None: ask the database).
    followed_by_locals: set[str] | None = None
