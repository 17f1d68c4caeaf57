"""Notes fetched from their own server, never taken from an embedded copy: a status searched
for by its URL, and the note of a boost by an account someone here follows that we do not have
yet (so the boost shows in their home, as Mastodon fetches it). The fetch is signed by the
instance actor and goes through the guarded client, which asks the policy seam at each hop.
Only a public or unlisted note is kept: what is not public stays with its audience."""

from __future__ import annotations

from dataclasses import dataclass

from ..activitypub.fetch import fetch_document, fetch_unchecked
from ..activitypub.fields import first_id, id_of, is_a
from ..activitypub.origins import same_origin
from ..errors import FetchError
from ..runtime import Runtime
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store.models import Actor
from .remote_notes import NOTE_TYPES, note_fields
from .visibility import OPEN


@dataclass(frozen=True)
class FetchedNote:
    document: dict  # as its server sent it, its id the URL it was fetched from
    author: Actor
    fields: dict  # remote_notes.note_fields of it

    @property
    def uri(self) -> str:
        return self.document["id"]


async def fetch_note(rt: Runtime, url: str) -> FetchedNote | None:
    """The note at `url` (its id, or its web page), an account's of its own server; None when
    it is not public or unlisted. FetchError when it is not a note of its own server's account."""
    signer = await rt.instance_signer()
    document, final_url = await fetch_unchecked(rt.client, url, signer=signer)
    note_id = id_of(document.get("id"))
    if note_id != final_url:  # a web page's URL answered with the note: fetch it by its own id
        if not note_id or not same_origin(note_id, final_url):
            raise FetchError(f"{url} gave a note of another server")
        document = await fetch_document(rt.client, note_id, signer=signer)
    author_uri = first_id(document.get("attributedTo"))
    if not is_a(document, NOTE_TYPES) or not author_uri or not same_origin(author_uri, note_id):
        raise FetchError(f"{url} is not a note of its own server's account")
    author = await rt.actors.get(author_uri)
    fields = note_fields(document, author)
    return FetchedNote(document, author, fields) if fields["visibility"] in OPEN else None


async def boosted_note_to_fetch(rt: Runtime, booster: Actor, object_id: str,
                                followed: set[str] | None) -> FetchedNote | None:
    """The note a remote account boosts, fetched if we do not have it and someone here follows
    the booster (`followed`: the actor URIs local accounts follow, prefetched, or None to ask);
    None when there is nothing to fetch or it is not to be kept. A boost by an account nobody
    here follows fetches nothing: no server can make us fetch what no one here will see."""
    if rt.urls.is_local(object_id):
        return None
    async with rt.db.read() as session:
        if followed is None:
            followed = await follow_store.followed_by_locals(session, [booster.uri])
        if booster.uri not in followed or await object_store.by_uri(session, object_id) is not None:
            return None
    return await fetch_note(rt, object_id)
