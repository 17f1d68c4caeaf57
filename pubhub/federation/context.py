"""What a handler gets: the services, and the verified actor of the activity it handles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..store.models import Actor

if TYPE_CHECKING:
    from ..services import Services


@dataclass
class Context:
    services: "Services"
    actor: Actor  # the signer, already checked to be the activity's actor
    # Actors (ids) some local account follows, prefetched for a batch (None: ask the database).
    followed_by_locals: set[str] | None = None

    @property
    def db(self):
        return self.services.db

    @property
    def urls(self):
        return self.services.urls

    @property
    def deliveries(self):
        return self.services.deliveries

    @property
    def actors(self):
        return self.services.actors
