"""Room bans in the policy seam: the inbox worker drops (`apply` refuses) what an actor banned
from a room addresses to that room (a post, a reaction, anything naming the room in `to`, `cc`,
`audience`, its object or the object's addressing and mentions), before a handler sees it.

Not a `Follow` of the room: the inbound side answers it with a `Reject`
(`rooms.inbound.receive_join`, asking `verdicts.room_verdict_for_join`), so that the follower's
server stops showing it as pending.

Bans are read from the database at most every `REFRESH_SECONDS` (one query for all of them:
rooms ban few actors): a ban made in this process counts at once (`bans_changed`), one made in
another within seconds. The room's own checks (`submit_post_to_room`) read the database each
time and are exact.
"""

from __future__ import annotations

from ..activitypub.fields import as_list, id_of, ids_of, type_among
from ..clock import Clock
from ..policy import ALLOW, Decision, Policy, refuse
from ..store import notify
from ..store import rooms as room_store
from ..store.db import Database, Session

REFRESH_SECONDS = 5.0
LET_THROUGH = {"Follow"}  # activity types a banned actor may still send the room (to be refused by it)
_ADDRESSING = ("to", "cc", "bto", "bcc", "audience")


def addressed_uris(activity: dict) -> set[str]:
    """Every actor or object URI the activity (and an embedded object) names."""
    found: set[str] = set()
    for document in (activity, activity.get("object")):
        if isinstance(document, dict):
            for key in _ADDRESSING:
                found.update(ids_of(document.get(key)))
            found.update(uri for uri in (id_of(t.get("href")) for t in as_list(document.get("tag"))
                                         if isinstance(t, dict)) if isinstance(uri, str))
    target = id_of(activity.get("object"))
    if isinstance(target, str):
        found.add(target)
    return found


class RoomBans(Policy):
    def __init__(self, db: Database, clock: Clock):
        self.db = db
        self.clock = clock
        self._banned: dict[str, set[str]] = {}  # banned actor URI → URIs of the rooms it is banned from
        self._read_at: float | None = None

    async def _bans(self) -> dict[str, set[str]]:
        now = self.clock.monotonic()
        if self._read_at is None or now - self._read_at >= REFRESH_SECONDS:
            async with self.db.read() as session:
                self._banned = await room_store.all_bans_by_uri(session)
            self._read_at = now
        return self._banned

    def forget(self) -> None:
        """Read the bans again at the next question (tests, and after a ban in this process)."""
        self._read_at = None

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        if type_among(activity, LET_THROUGH) in LET_THROUGH:
            return ALLOW
        rooms = (await self._bans()).get(actor_uri)
        if not rooms:
            return ALLOW
        named = rooms & addressed_uris(activity)
        if named:
            return refuse(f"banned from the room {sorted(named)[0]}")
        return ALLOW


def bans_changed(session: Session, policy: Policy) -> None:
    """Once the session commits, this process's seam reads the bans again."""
    def forget() -> None:
        for each in getattr(policy, "policies", [policy]):
            if isinstance(each, RoomBans):
                each.forget()

    notify.after_commit(session, forget)
