"""The writes of a batch of inbound activities that only add rows: remote notes, likes and
boosts, most of an agency's inbound traffic. The notes they look up are read in one query, and
their new rows are inserted in one statement per table when the batch is flushed, instead of a
few queries and an insert each. Anything else (follows, undos, deletes, updates) reads and
writes through the session itself, after a flush, so it sees everything before it."""

from __future__ import annotations

from ..store import interactions as interaction_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.objects import KnownNote


class InboundBatch:
    def __init__(self, session: Session):
        self.session = session
        self._known: dict[str, KnownNote | None] = {}
        self._notes: list[dict] = []
        self._reactions: list[dict] = []

    async def look_up(self, uris) -> None:
        """Read the notes among `uris` now, in one query, for `note()` to answer from."""
        wanted = [uri for uri in dict.fromkeys(uris) if uri and uri not in self._known]
        if wanted:
            found = await object_store.known_by_uris(self.session, wanted)
            self._known.update({uri: found.get(uri) for uri in wanted})

    async def note(self, uri: str) -> KnownNote | None:
        """The stored note with this URI (a tombstone too), or one added to this batch."""
        if uri not in self._known:
            await self.look_up([uri])
        return self._known[uri]

    def add_note(self, row: dict) -> None:
        """A new note: every column, its id made by the caller (so that a reaction to it later
        in the batch can name it before it is inserted)."""
        self._notes.append(row)
        self._known[row["uri"]] = KnownNote(row["id"], row["author_id"], False)

    def add_reaction(self, row: dict) -> None:
        self._reactions.append(row)

    def forget(self) -> None:
        """After a write that may have changed notes (a Delete, an Update): read them again."""
        self._known.clear()

    async def flush(self) -> None:
        notes, self._notes = self._notes, []
        reactions, self._reactions = self._reactions, []
        await object_store.insert_many(self.session, notes)
        await interaction_store.insert_many(self.session, reactions)
