"""Polls, as Mastodon has them: a status with two to four options, one choice or several, and an
end. A poll lives on its note (`Object.poll`): the options, whether several may be chosen, when
it ends, the count per option and how many voted. A local poll federates as a `Question`; a vote
is a Note naming the option, in reply to the Question, sent to the poll's author alone (so the
voter's choice is never public). A local poll's counts are recounted from its votes at each vote,
with the note's row locked, so two votes at the same moment both count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..activitypub import vocab
from ..activitypub.fields import as_list, first_id
from ..errors import NotFound, Unprocessable
from ..runtime import Runtime
from ..store import objects as object_store
from ..store import polls as poll_store
from ..store.db import Session
from ..store.models import Actor, Object, PollVote
from .visibility import Viewer, visible_note

# What /api/v1/instance announces (Mastodon's defaults).
MAX_OPTIONS = 4
MAX_OPTION_CHARS = 50
MIN_EXPIRATION = 300  # seconds
MAX_EXPIRATION = 2_629_746  # a month
# A remote Question is kept within these bounds whatever its server sends.
MAX_REMOTE_OPTIONS = 20
MAX_REMOTE_OPTION_CHARS = 200


@dataclass
class PollRequest:
    options: list[str]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False


def new_poll(request: PollRequest, now: datetime) -> dict:
    """A local poll as it is stored, or 422 saying what is wrong with the request."""
    options = [option.strip() for option in request.options]
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise Unprocessable(f"Validation failed: a poll has 2 to {MAX_OPTIONS} options")
    if any(not option or len(option) > MAX_OPTION_CHARS for option in options):
        raise Unprocessable(f"Validation failed: a poll's options are 1 to {MAX_OPTION_CHARS} characters")
    if len({option for option in options}) != len(options):
        raise Unprocessable("Validation failed: a poll's options must differ")
    if not MIN_EXPIRATION <= request.expires_in <= MAX_EXPIRATION:
        raise Unprocessable(f"Validation failed: a poll runs {MIN_EXPIRATION} to {MAX_EXPIRATION} seconds")
    return {"options": options, "multiple": request.multiple, "hide_totals": request.hide_totals,
            "expires_at": vocab.iso(now + timedelta(seconds=request.expires_in)),
            "counts": [0] * len(options), "voters_count": 0}


def remote_poll(document: dict, parse_time) -> dict | None:
    """What we keep of a remote `Question`: its options (`oneOf`, or `anyOf` for several
    choices) with their counts, its end and how many voted; None when it has no usable option."""
    multiple = "anyOf" in document and "oneOf" not in document
    entries = as_list(document.get("anyOf" if multiple else "oneOf"))[:MAX_REMOTE_OPTIONS]
    options, counts = [], []
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            continue
        options.append(name.strip()[:MAX_REMOTE_OPTION_CHARS])
        counts.append(_count(entry.get("replies", {}).get("totalItems") if isinstance(entry.get("replies"), dict) else 0))
    if not options:
        return None
    end = document.get("endTime") or document.get("closed")
    ends = parse_time(end, None) if isinstance(end, str) else None
    voters = document.get("votersCount")
    return {"options": options, "multiple": multiple, "hide_totals": False,
            "expires_at": vocab.iso(ends) if ends else None, "counts": counts,
            "voters_count": _count(voters) if voters is not None else None}


def _count(value) -> int:
    """A count from another server: a non-negative int, else 0 (never trusted further)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53 else 0


def ends_at(poll: dict) -> datetime | None:
    ends = poll.get("expires_at")
    return datetime.fromisoformat(ends.replace("Z", "+00:00")) if ends else None


def expired(poll: dict, now: datetime) -> bool:
    ends = ends_at(poll)
    return ends is not None and ends <= now


def has_ended(poll: dict) -> bool:
    """As readers are shown it: closed by our worker's round (on the instance's clock), or past
    its end by the wall clock."""
    return bool(poll.get("closed")) or expired(poll, datetime.now(timezone.utc))


# ---- voting ---------------------------------------------------------------------------------

async def vote(rt: Runtime, voter: Actor, note_id: int | None, choices: list[int]) -> Object:
    """A local account votes on a poll it may see: recorded once; a local poll is recounted, a
    remote one's author is sent the vote. 404 for a poll the voter may not see, 422 for a vote
    the poll does not take."""
    async with rt.db.write() as session:
        note = await visible_note(session, Viewer(voter), note_id)
        if note.poll is None:
            raise NotFound("Record not found")
        await poll_store.lock(session, note.id)
        poll = note.poll
        _check_choices(poll, choices)
        if expired(poll, rt.clock.now()):
            raise Unprocessable("Validation failed: The poll has already ended")
        if await poll_store.votes_of(session, note.id, voter.id):
            raise Unprocessable("Validation failed: You have already voted on this poll")
        votes = [_vote_row(note, voter, choice, rt.clock.now()) for choice in choices]
        session.add_all(votes)
        await session.flush()
        if note.local:
            await recount(session, note)
        else:
            await _send_votes(rt, session, note, voter, votes)
    return note


def _check_choices(poll: dict, choices: list[int]) -> None:
    if not choices:
        raise Unprocessable("Validation failed: choose at least one option")
    if len(set(choices)) != len(choices) or any(not 0 <= c < len(poll["options"]) for c in choices):
        raise Unprocessable("Validation failed: each choice is the index of a different option")
    if len(choices) > 1 and not poll["multiple"]:
        raise Unprocessable("Validation failed: this poll takes one choice")


def _vote_row(note: Object, voter: Actor, choice: int, now: datetime, uri: str | None = None) -> PollVote:
    vote_id = object_store.new_object_id()
    return PollVote(id=vote_id, object_id=note.id, actor_id=voter.id, choice=choice,
                    uri=uri or f"{voter.uri}#votes/{vote_id}", created_at=now)


async def _send_votes(rt: Runtime, session: Session, note: Object, voter: Actor, votes: list[PollVote]) -> None:
    """Each choice as Mastodon sends it: a Create of a Note named after the option, in reply to
    the Question, addressed to its author alone. The remote counts move at once here; the poll's
    next Update from its server says what it counted."""
    author = await session.get(Actor, note.author_id)
    poll = dict(note.poll)
    counts = list(poll["counts"])
    for row in votes:
        counts[row.choice] += 1
        activity = {"@context": vocab.AS_CONTEXT, "id": f"{row.uri}/activity", "type": "Create", "actor": voter.uri,
                    "to": [author.uri],
                    "object": {"id": row.uri, "type": "Note", "name": poll["options"][row.choice],
                               "attributedTo": voter.uri, "to": [author.uri], "inReplyTo": note.uri}}
        await rt.deliveries.enqueue(session, activity, voter, [author.inbox])
    poll["counts"] = counts
    if poll.get("voters_count") is not None:
        poll["voters_count"] += 1
    note.poll = poll


async def recount(session: Session, note: Object) -> None:
    """A local poll's counts from its votes (two grouped queries), marked for an Update to the
    servers that have it (`PollUpdates`)."""
    by_choice, voters = await poll_store.tally(session, note.id)
    counts = [by_choice.get(choice, 0) for choice in range(len(note.poll["options"]))]
    note.poll = {**note.poll, "counts": counts, "voters_count": voters, "changed": True}


async def own_votes(session: Session, viewer: Actor, notes: list[Object]) -> dict[int, list[int]]:
    """The viewer's choices on each of these polls, one query for the list."""
    ids = [note.id for note in notes if note.poll is not None]
    return await poll_store.choices_by(session, viewer.id, ids) if ids else {}


# ---- a remote actor's vote on one of our polls ----------------------------------------------

def is_vote(document: dict) -> bool:
    """A Note that is a vote, the way Mastodon tells: it has a `name`, no content, and answers
    something (the Question)."""
    return (isinstance(document.get("name"), str) and not document.get("content")
            and first_id(document.get("inReplyTo")) is not None)


async def receive_vote(session: Session, rt: Runtime, voter: Actor, document: dict) -> None:
    """Count a remote vote on one of our open polls the voter may see, once. Anything else (no
    such poll, an option it does not have, a second choice on a one-choice poll, too late) is
    dropped: a vote is not an error to answer."""
    note = await object_store.by_uri(session, first_id(document.get("inReplyTo")))
    if note is None or not note.local or note.poll is None or note.deleted_at is not None:
        return
    try:
        await visible_note(session, Viewer(voter), note.id)
    except NotFound:
        return
    await poll_store.lock(session, note.id)
    poll = note.poll
    if expired(poll, rt.clock.now()) or document["name"] not in poll["options"]:
        return
    choice = poll["options"].index(document["name"])
    taken = await poll_store.votes_of(session, note.id, voter.id)
    if any(uri == document["id"] or chosen == choice for uri, chosen in taken):
        return  # the same vote again
    if taken and not poll["multiple"]:
        return
    session.add(_vote_row(note, voter, choice, rt.clock.now(), uri=document["id"]))
    await session.flush()
    await recount(session, note)
