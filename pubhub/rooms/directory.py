"""Rooms: created in a hub by its moderators or an admin, changed, found. A room is a local
`Group` actor with its own key pair, named in the namespace of account names; its name and
description are the actor's, its rules and policy the room's. A change of name, description or
join policy is federated to the members' servers as an `Update` of the actor."""

from __future__ import annotations

from dataclasses import dataclass
from ..accounts.admin import federate_profile, set_note
from ..accounts.local import create_group_actor
from ..errors import BadRequest, NotFound
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import rooms as room_store
from ..store.db import DuplicateRow, Session
from ..store.models import Actor, Hub, Room
from . import decisions
from .authority import require_admin, require_hub_manager, require_staff_role
from .hubs import MAX_DESCRIPTION, MAX_RULES, bounded_text
from .verdicts import JOIN_POLICIES, MODERATION_MODES, POST_POLICIES, VISIBILITIES

MAX_ROOM_NAME = 100  # the actor's display name


@dataclass
class RoomActor:
    """A room and its Group actor."""
    room: Room
    actor: Actor

    @property
    def slug(self) -> str:
        return self.actor.username


@dataclass(frozen=True)
class RoomPolicy:
    join: str = "open"
    post: str = "members"
    moderation: str = "none"
    visibility: str = "public"
    # join: attributes: the attribute rule, already checked (identity/attribute_rules.parse_rule,
    # by the API or the CLI: rooms do not read rules, they only keep them and their version).
    attribute_rule: dict | None = None


NEEDS_RULE = "Validation failed: rule: a room that joins by attributes needs its attribute rule"


def _set_rule(room: Room, join: str, rule: dict | None) -> bool:
    """Keep a new rule (its version counted up: earlier verifications no longer hold); an
    `attributes` room must have one. Whether the rule changed."""
    changed = rule is not None and rule != room.attribute_rule
    if changed:
        room.attribute_rule = rule
        room.rule_version = (room.rule_version or 0) + 1
    if join == "attributes" and room.attribute_rule is None:
        raise BadRequest(NEEDS_RULE, status=422)
    return changed


def _check_policy(**given: str | None) -> None:
    allowed = {"join": JOIN_POLICIES, "post": POST_POLICIES, "moderation": MODERATION_MODES,
               "visibility": VISIBILITIES}
    for name, value in given.items():
        if value is not None and value not in allowed[name]:
            raise BadRequest(f"Validation failed: {name}: must be one of {', '.join(allowed[name])}", status=422)


async def create_room(rt: Runtime, session: Session, by: Actor | None, hub: Hub, slug: str, *, name: str,
                      description: str = "", rules: str = "", policy: RoomPolicy = RoomPolicy()) -> RoomActor:
    await require_hub_manager(session, by, hub.id)
    _check_policy(join=policy.join, post=policy.post, moderation=policy.moderation, visibility=policy.visibility)
    if policy.join == "attributes" and policy.attribute_rule is None:
        raise BadRequest(NEEDS_RULE, status=422)
    name = bounded_text(name, MAX_ROOM_NAME, "name", required=True)
    description = bounded_text(description, MAX_DESCRIPTION, "description")
    try:
        async with session.begin_nested():
            actor = await create_group_actor(session, rt.urls, rt.domain, slug, now=rt.clock.now(), display_name=name,
                                             summary="", summary_source="", manually_approves=policy.join == "approval")
    except DuplicateRow as exc:  # the same name, created by someone else just now
        raise BadRequest(f"the name {slug.strip().lower()!r} is taken", status=422) from exc
    set_note(actor, description, rt.urls)
    room = await room_store.add_room(
        session, actor_id=actor.id, hub_id=hub.id, join_policy=policy.join, post_policy=policy.post,
        moderation=policy.moderation, visibility=policy.visibility, rules=bounded_text(rules, MAX_RULES, "rules"),
        attribute_rule=policy.attribute_rule, rule_version=1 if policy.attribute_rule is not None else 0,
        created_at=rt.clock.now())
    return RoomActor(room, actor)


async def update_room(rt: Runtime, session: Session, by: Actor | None, target: RoomActor, *,
                      name: str | None = None, description: str | None = None, rules: str | None = None,
                      join: str | None = None, post: str | None = None, moderation: str | None = None,
                      visibility: str | None = None, attribute_rule: dict | None = None) -> RoomActor:
    """Change what is given. Posts already queued stay queued when moderation turns off `pre`
    (a moderator still decides on them)."""
    await require_hub_manager(session, by, target.room.hub_id)
    _check_policy(join=join, post=post, moderation=moderation, visibility=visibility)
    room, actor = target.room, target.actor
    federated = False
    if name is not None:
        actor.display_name = bounded_text(name, MAX_ROOM_NAME, "name", required=True)
        federated = True
    if description is not None:
        set_note(actor, bounded_text(description, MAX_DESCRIPTION, "description"), rt.urls)
        federated = True
    if rules is not None:
        room.rules = bounded_text(rules, MAX_RULES, "rules")
    if _set_rule(room, join or room.join_policy, attribute_rule):
        await decisions.record(session, room.id, "rule_changed", by=by, now=rt.clock.now(),
                               reason=f"rule version {room.rule_version}: members verify again")
    if join is not None and join != room.join_policy:
        room.join_policy = join
        actor.manually_approves = join == "approval"
        federated = True
    room.post_policy = post or room.post_policy
    room.moderation = moderation or room.moderation
    room.visibility = visibility or room.visibility
    await session.flush()
    if federated:
        await federate_profile(rt, session, actor)
    return target


async def find_room(session: Session, by: Actor | None, room_id: int | None) -> RoomActor:
    """The room, for someone who manages its hub: 404 if there is none, 403 for anyone else."""
    require_staff_role(by)
    found = await room_store.room_by_id(session, room_id) if room_id is not None else None
    if found is None:
        raise NotFound("Record not found")
    await require_hub_manager(session, by, found[0].hub_id)
    return RoomActor(*found)


async def room_named(session: Session, slug: str) -> RoomActor:
    """The room called `slug` (the command line names rooms by their handle)."""
    actor = await actor_store.local_by_username(session, slug.strip().lstrip("@").lower())
    rooms = await room_store.rooms_by_actor_ids(session, [actor.id]) if actor is not None else {}
    if actor is None or actor.id not in rooms:
        raise NotFound(f"no room {slug!r} (see `pubhub rooms list`)")
    return RoomActor(rooms[actor.id], actor)


async def rooms_of_hub(session: Session, by: Actor | None, hub: Hub | None, *, limit: int,
                       max_id: int | None = None, min_id: int | None = None) -> list[RoomActor]:
    """The rooms of `hub` (of every hub for None: admins only), newest first."""
    if hub is None:
        require_admin(by)
    else:
        await require_hub_manager(session, by, hub.id)
    rows = await room_store.rooms_of_hub(session, hub.id if hub is not None else None, limit=limit,
                                         max_id=max_id, min_id=min_id)
    return [RoomActor(room, actor) for room, actor in rows]


async def rooms_addressed(session: Session, uris) -> list[RoomActor]:
    """The local rooms among these actor URIs (a post's to, cc, audience and mentions)."""
    return [RoomActor(room, actor) for room, actor in await room_store.rooms_by_actor_uris(session, uris)]


async def member_count(session: Session, target: RoomActor) -> int:
    return await room_store.member_count(session, target.actor.id)


async def room_of_actor(session: Session, actor: Actor) -> RoomActor | None:
    """The room whose Group actor this is, if it is one."""
    rooms = await room_store.rooms_by_actor_ids(session, [actor.id])
    return RoomActor(rooms[actor.id], actor) if actor.id in rooms else None


def policy_of(room: Room) -> dict:
    policy = {"join": room.join_policy, "post": room.post_policy, "moderation": room.moderation,
              "visibility": room.visibility}
    if room.attribute_rule is not None:
        policy.update(rule=room.attribute_rule, rule_version=room.rule_version)
    return policy
