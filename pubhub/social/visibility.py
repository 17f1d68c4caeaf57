"""Who may see a note: the one place that decides it, for every path that shows or sends one
(client API, HTML pages, outbox, the ActivityPub URLs of notes, delivery addressing).

A viewer is a local account (an API token), a remote actor proven by a signed fetch, or
nobody. The rule, as Mastodon has it:
- public and unlisted notes: anyone;
- private (followers-only): the author, an accepted follower of the author, and whoever the
  note mentions or addresses;
- direct: the author and whoever it mentions or addresses;
- a deleted note, or a suspended author's: nobody;
- a silenced author's note (moderation/accounts.py): only the author and accepted followers.
A boost (`visible_boosts`) is seen by whoever may see its note, and whom its booster's boosts
reach: a silenced booster's, and a members-only room's shares, only its accepted followers.
Unlisted notes are reachable by link but kept out of public listings (profile and tag pages,
threads on pages): `LISTED_ON_PAGES`; only public notes reach the followers of their hashtags
(`HASHTAG_FOLLOWERS_SEE`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotFound
from ..store import account_moderation as moderation_store
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store import rooms as room_store
from ..store.db import Session
from ..store.models import Actor, Interaction, Object

VISIBILITIES = ("public", "unlisted", "private", "direct")
OPEN = ("public", "unlisted")  # anyone may see these
LISTED_ON_PAGES = ("public",)  # what public HTML listings show
# What reaches the home of an account through a hashtag it follows (Mastodon's: public notes
# only, not unlisted, private or direct ones), the viewer's own rule applied as well.
HASHTAG_FOLLOWERS_SEE = ("public",)


@dataclass(frozen=True)
class Viewer:
    """Who is looking. `actor` is None for nobody (no token, no valid signature)."""

    actor: Actor | None = None

    @property
    def is_nobody(self) -> bool:
        return self.actor is None


NOBODY = Viewer()


def mentioned(note: Object) -> list[str]:
    """The actor ids a note's Mention tags name."""
    return [t["href"] for t in note.tags or [] if t.get("type") == "Mention" and isinstance(t.get("href"), str)]


def addresses(note: Object, actor_uri: str) -> bool:
    """Whether the note names the actor in to or cc, or mentions it."""
    return actor_uri in (note.to or []) or actor_uri in (note.cc or []) or actor_uri in mentioned(note)


def may_see(viewer: Viewer, note: Object, *, follows_author: bool) -> bool:
    """The rule itself. `follows_author`: the viewer is an accepted follower of the author."""
    if note.deleted_at is not None:
        return False
    if note.visibility in OPEN:
        return True
    if viewer.actor is None:
        return False
    if viewer.actor.id == note.author_id or addresses(note, viewer.actor.uri):
        return True
    return note.visibility == "private" and follows_author


async def followed_authors(session: Session, viewer: Viewer, notes, *, silenced: set[int] = frozenset()) -> set[int]:
    """The authors of `notes` that the viewer follows, in one query (only when it matters)."""
    if viewer.actor is None:
        return set()
    authors = {n.author_id for n in notes if (n.visibility == "private" or n.author_id in silenced)
               and n.author_id != viewer.actor.id}
    return await follow_store.accepted_targets(session, viewer.actor.id, authors)


def reaches(viewer: Viewer, note: Object, *, follows_author: bool) -> bool:
    """A silenced author's note reaches only the author and its accepted followers (the
    accounts admin's `silence`, kept simple: not strangers, not public places)."""
    return viewer.actor is not None and (viewer.actor.id == note.author_id or follows_author)


async def visible(session: Session, viewer: Viewer, notes: list[Object]) -> list[Object]:
    """The notes the viewer may see, in order (two queries at most, whatever the length)."""
    suspended, silenced = await moderation_store.restricted_among(session, (n.author_id for n in notes))
    followed = await followed_authors(session, viewer, notes, silenced=silenced)
    return [n for n in notes if n.author_id not in suspended and may_see(viewer, n, follows_author=n.author_id in followed)
            and (n.author_id not in silenced or reaches(viewer, n, follows_author=n.author_id in followed))]


async def visible_boosts(session: Session, viewer: Viewer, boosts: list[Interaction],
                         notes: list[Object]) -> list[Interaction]:
    """The boosts (of these `notes`) the viewer may see, in order: the note must be visible to
    the viewer (a private or direct note never travels through a boost), and the booster's
    boosts must reach the viewer: not a suspended booster's; a silenced booster's and a
    members-only room's (what it shares, as its outbox) only the booster's accepted followers'."""
    seen = {n.id for n in await visible(session, viewer, notes)}
    boosters = {b.actor_id for b in boosts}
    suspended, silenced = await moderation_store.restricted_among(session, boosters)
    rooms = await room_store.rooms_by_actor_ids(session, boosters)
    narrow = silenced | {actor_id for actor_id, room in rooms.items() if room.visibility != "public"}
    followed = await follow_store.accepted_targets(session, viewer.actor.id, narrow) if narrow and viewer.actor else set()
    reached = followed | ({viewer.actor.id} if viewer.actor else set())
    return [b for b in boosts if b.object_id in seen and b.actor_id not in suspended
            and (b.actor_id not in narrow or b.actor_id in reached)]


async def visible_note(session: Session, viewer: Viewer, note_id: int | None, *, author: Actor | None = None) -> Object:
    """The note with this id if the viewer may see it (and, given `author`, it is theirs); else
    404, so that a hidden note looks exactly like one that does not exist (or an id that can't be)."""
    note = await object_store.by_id(session, note_id) if note_id is not None else None
    return await require_visible(session, viewer, note, author=author)


async def require_visible(session: Session, viewer: Viewer, note: Object | None, *, author: Actor | None = None) -> Object:
    """`note` if it exists, is the author's (given one) and the viewer may see it; else 404."""
    if note is None or (author is not None and note.author_id != author.id) or not await visible(session, viewer, [note]):
        raise NotFound("Record not found")
    return note


async def author_visibilities(session: Session, viewer: Viewer, author: Actor) -> tuple[str, ...]:
    """Which of an author's notes the viewer may see in a list of them (an outbox): direct notes
    are never listed, private ones only for the author and accepted followers, a silenced
    author's only for them too."""
    if viewer.actor is not None and (viewer.actor.id == author.id
                                     or await follow_store.accepted_targets(session, viewer.actor.id, [author.id])):
        return (*OPEN, "private")
    return () if author.silenced_at is not None else OPEN


def reaches_hashtag_followers(note: Object) -> bool:
    return note.deleted_at is None and note.visibility in HASHTAG_FOLLOWERS_SEE


def listed_on_pages(note: Object) -> bool:
    return note.deleted_at is None and note.visibility in LISTED_ON_PAGES


# ---- delivery addressing: the same rule, asked for each recipient ----------------------------

def followers_may_see(note: Object) -> bool:
    """Whether an author's followers, as such, may see the note (every visibility but direct)."""
    return note.visibility in (*OPEN, "private")


async def recipient_inboxes(session: Session, note: Object, parent: Object | None) -> list[str]:
    """The remote inboxes named for a note beside its author's followers: everyone it mentions,
    and the author of the note it answers if that author may see it as a non-follower (a
    followers-only reply reaches them only through following or a mention)."""
    candidates = mentioned(note)
    parent_author = await actor_store.by_id(session, parent.author_id) if parent is not None else None
    inboxes: list[str] = []
    for uri in candidates:
        named = await actor_store.by_uri(session, uri)
        if named is not None and not named.local and may_see(Viewer(named), note, follows_author=False):
            inboxes.append(named.shared_inbox or named.inbox)
    if parent_author is not None and not parent_author.local \
            and may_see(Viewer(parent_author), note, follows_author=False):
        inboxes.append(parent_author.shared_inbox or parent_author.inbox)
    return list(dict.fromkeys(inboxes))
