"""A room's policy as answers, in the policy seam's terms (`pubhub.policy.Decision`): allow,
hold (for a moderator) or refuse, each with the room rule it applied as its reason.

- joining (`room_verdict_for_join`): a banned actor is refused; an `approval` room holds the
  request for a moderator; an `attributes` room allows whoever holds a current verification of
  its rule (identity/sessions.py), holds a remote actor's follow until its link code comes
  (link_codes.py) and refuses a local account without one; an `open` room allows it.
- posting (`room_verdict_for_post`): a banned author is refused; then the post policy
  (`members`: accepted followers of the room and staff; `anyone`; `staff`: the hub's
  moderators and the admins); a direct message is never shared, nor a followers-only post in a
  public room (its author's followers-only audience would widen); in an `attributes` room, a
  member whose verification lapsed (expired, revoked, or made for an older rule) is refused
  until they verify again; then the moderation mode
  (`pre` holds for a moderator, unless the author is staff; `none` and `post` allow).

The pure rules (`join_verdict`, `post_verdict`) take what is known of the actor (`Standing`);
the async ones read it from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..policy import ALLOW, Decision, hold, refuse
from ..store import follows as follow_store
from ..store import rooms as room_store
from ..store import verifications as verification_store
from ..store.db import Session
from ..store.models import Actor, Object, Room
from .authority import manages_hub

JOIN_POLICIES = ("open", "approval", "attributes")
POST_POLICIES = ("members", "anyone", "staff")
MODERATION_MODES = ("none", "pre", "post")
VISIBILITIES = ("public", "members")

BANNED = "banned from this room"
AWAITING_CODE = ("this room asks for proof of identity attributes: prove them on the room's web page and "
                 "send the room the code you get there in a direct message (join: attributes)")
UNVERIFIED = ("this room asks for proof of identity attributes: verify first "
              "(POST /api/v1/pubhub/rooms/:id/verifications) (join: attributes)")


@dataclass(frozen=True)
class Standing:
    """What a room knows of an actor."""
    member: bool = False  # an accepted follower of the room
    banned: bool = False
    staff: bool = False  # an admin, or a moderator of the room's hub
    verified: bool = False  # holds a current verification of the room's attribute rule
    local: bool = True  # an account of this server (a remote one proves the rule by a link code)


def join_verdict(room: Room, standing: Standing) -> Decision:
    if standing.banned:
        return refuse(BANNED)
    if room.join_policy == "approval":
        return hold("the room approves its members (join: approval)")
    if room.join_policy == "attributes" and not (standing.verified or standing.staff):
        # Someone elsewhere proves it on the room's page and sends the code: the follow waits.
        return refuse(UNVERIFIED) if standing.local else hold(AWAITING_CODE)
    return ALLOW


def post_verdict(room: Room, standing: Standing, visibility: str) -> Decision:
    if standing.banned:
        return refuse(BANNED)
    if room.post_policy == "staff" and not standing.staff:
        return refuse("only the room's moderators post here (post: staff)")
    if room.post_policy == "members" and not (standing.member or standing.staff):
        return refuse("only members post here: follow the room first (post: members)")
    if room.join_policy == "attributes" and not (standing.verified or standing.staff):
        return refuse(UNVERIFIED)
    if visibility == "direct":
        return refuse("a direct message is not shared (mention the room in a public post)")
    if visibility == "private" and room.visibility == "public":
        return refuse("a followers-only post is not shared in a public room")
    if room.moderation == "pre" and not standing.staff:
        return hold("posts wait for a moderator (moderation: pre)")
    return ALLOW


async def standing_of(session: Session, room: Room, room_actor: Actor, actor: Actor,
                      now: datetime | None = None) -> Standing:
    banned = await room_store.ban_of(session, room.id, actor.id) is not None
    member = bool(await follow_store.accepted_targets(session, actor.id, [room_actor.id]))
    staff = actor.local and actor.kind != "Group" and await manages_hub(session, actor, room.hub_id)
    verified = room.join_policy == "attributes" and await verification_store.current(
        session, room.id, actor.id, room.rule_version, now or datetime.now(timezone.utc)) is not None
    return Standing(member=member, banned=banned, staff=staff, verified=verified, local=actor.local)


async def room_verdict_for_join(session: Session, room: Room, room_actor: Actor, actor: Actor,
                                now: datetime | None = None) -> Decision:
    """May `actor` join (follow) the room: allow (accept at once), hold (a join request for the
    moderators) or refuse (answer with a Reject)."""
    return join_verdict(room, await standing_of(session, room, room_actor, actor, now))


async def room_verdict_for_post(session: Session, room: Room, room_actor: Actor, author: Actor,
                                note: Object | None = None) -> Decision:
    """May the room share `author`'s post: allow (share now), hold (queue it) or refuse. Without
    `note`, for a public post."""
    visibility = note.visibility if note is not None else "public"
    return post_verdict(room, await standing_of(session, room, room_actor, author), visibility)
