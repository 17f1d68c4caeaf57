"""Queries on hubs, their moderators, rooms, bans, the moderation queue and the decisions log.

Lists are paged by id, newest first (`max_id` exclusive for older pages, `min_id` for newer),
the way the client API pages them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Actor, Follow, Hub, HubModerator, ModerationItem, Object, Room, RoomBan, RoomDecision


def _paged(query, column, *, limit: int, max_id: int | None, min_id: int | None):
    if max_id is not None:
        query = query.where(column < max_id)
    if min_id is not None:
        query = query.where(column > min_id)
    return query.order_by(column.desc()).limit(limit)


# ---- hubs and their moderators ----------------------------------------------------------------

async def add_hub(session: AsyncSession, **values) -> Hub:
    hub = Hub(**values)
    session.add(hub)
    await session.flush()
    return hub


async def hub_by_id(session: AsyncSession, hub_id: int) -> Hub | None:
    return await session.get(Hub, hub_id)


async def hub_by_slug(session: AsyncSession, slug: str) -> Hub | None:
    return (await session.execute(select(Hub).where(Hub.slug == slug))).scalar_one_or_none()


async def hubs(session: AsyncSession, *, limit: int, max_id: int | None = None, min_id: int | None = None,
               moderated_by: int | None = None) -> list[Hub]:
    """Hubs, newest first; only those `moderated_by` (an account id) moderates, when given."""
    query = select(Hub)
    if moderated_by is not None:
        query = query.join(HubModerator, HubModerator.hub_id == Hub.id).where(HubModerator.account_id == moderated_by)
    return list((await session.execute(_paged(query, Hub.id, limit=limit, max_id=max_id, min_id=min_id))).scalars())


async def is_moderator(session: AsyncSession, hub_id: int, account_id: int) -> bool:
    query = select(HubModerator.id).where(HubModerator.hub_id == hub_id, HubModerator.account_id == account_id)
    return (await session.execute(query)).first() is not None


async def add_moderator(session: AsyncSession, hub_id: int, account_id: int, now: datetime) -> bool:
    """False if the account moderated the hub already."""
    if await is_moderator(session, hub_id, account_id):
        return False
    session.add(HubModerator(hub_id=hub_id, account_id=account_id, created_at=now))
    await session.flush()
    return True


async def remove_moderator(session: AsyncSession, hub_id: int, account_id: int) -> bool:
    removed = await session.execute(delete(HubModerator).where(HubModerator.hub_id == hub_id,
                                                               HubModerator.account_id == account_id))
    return removed.rowcount > 0


async def moderators(session: AsyncSession, hub_id: int) -> list[Actor]:
    query = (select(Actor).join(HubModerator, HubModerator.account_id == Actor.id)
             .where(HubModerator.hub_id == hub_id).order_by(Actor.username))
    return list((await session.execute(query)).scalars())


# ---- rooms ------------------------------------------------------------------------------------

async def add_room(session: AsyncSession, **values) -> Room:
    room = Room(**values)
    session.add(room)
    await session.flush()
    return room


async def room_by_id(session: AsyncSession, room_id: int) -> tuple[Room, Actor] | None:
    row = (await session.execute(select(Room, Actor).join(Actor, Actor.id == Room.actor_id)
                                 .where(Room.id == room_id))).first()
    return (row[0], row[1]) if row else None


async def rooms_by_actor_ids(session: AsyncSession, actor_ids) -> dict[int, Room]:
    """actor id → room, for those of `actor_ids` that are rooms (one query)."""
    wanted = {i for i in actor_ids if i is not None}
    if not wanted:
        return {}
    found = await session.execute(select(Room).where(Room.actor_id.in_(wanted)))
    return {room.actor_id: room for room in found.scalars()}


async def rooms_by_actor_uris(session: AsyncSession, uris) -> list[tuple[Room, Actor]]:
    """The rooms whose actors have these URIs (local rooms only), in one query."""
    wanted = {u for u in uris if isinstance(u, str)}
    if not wanted:
        return []
    query = (select(Room, Actor).join(Actor, Actor.id == Room.actor_id)
             .where(Actor.uri.in_(wanted), Actor.local.is_(True), Actor.deleted_at.is_(None)).order_by(Room.id))
    return [(row[0], row[1]) for row in await session.execute(query)]


async def rooms_of_hub(session: AsyncSession, hub_id: int | None, *, limit: int, max_id: int | None = None,
                       min_id: int | None = None) -> list[tuple[Room, Actor]]:
    """The rooms of a hub (of every hub for None), newest first."""
    query = select(Room, Actor).join(Actor, Actor.id == Room.actor_id)
    if hub_id is not None:
        query = query.where(Room.hub_id == hub_id)
    rows = await session.execute(_paged(query, Room.id, limit=limit, max_id=max_id, min_id=min_id))
    return [(row[0], row[1]) for row in rows]


async def member_count(session: AsyncSession, actor_id: int) -> int:
    query = select(func.count()).select_from(Follow).where(Follow.target_id == actor_id, Follow.state == "accepted")
    return (await session.execute(query)).scalar_one()


async def members(session: AsyncSession, actor_id: int, *, limit: int, max_id: int | None = None,
                  min_id: int | None = None) -> list[tuple[Follow, Actor]]:
    """(follow, member) of the room actor's accepted followers, newest first by follow id."""
    query = (select(Follow, Actor).join(Actor, Actor.id == Follow.follower_id)
             .where(Follow.target_id == actor_id, Follow.state == "accepted", Actor.deleted_at.is_(None)))
    rows = await session.execute(_paged(query, Follow.id, limit=limit, max_id=max_id, min_id=min_id))
    return [(row[0], row[1]) for row in rows]


# ---- bans -------------------------------------------------------------------------------------

async def ban_of(session: AsyncSession, room_id: int, actor_id: int) -> RoomBan | None:
    query = select(RoomBan).where(RoomBan.room_id == room_id, RoomBan.actor_id == actor_id)
    return (await session.execute(query)).scalar_one_or_none()


async def add_ban(session: AsyncSession, **values) -> RoomBan:
    ban = RoomBan(**values)
    session.add(ban)
    await session.flush()
    return ban


async def remove_ban(session: AsyncSession, ban: RoomBan) -> None:
    await session.execute(delete(RoomBan).where(RoomBan.id == ban.id))


async def bans(session: AsyncSession, room_id: int, *, limit: int, max_id: int | None = None,
               min_id: int | None = None) -> list[tuple[RoomBan, Actor]]:
    query = select(RoomBan, Actor).join(Actor, Actor.id == RoomBan.actor_id).where(RoomBan.room_id == room_id)
    rows = await session.execute(_paged(query, RoomBan.id, limit=limit, max_id=max_id, min_id=min_id))
    return [(row[0], row[1]) for row in rows]


async def all_bans_by_uri(session: AsyncSession) -> dict[str, set[str]]:
    """Banned actor URI → the URIs of the rooms it is banned from, for every ban."""
    banned, room_actor = Actor.__table__.alias("banned"), Actor.__table__.alias("room_actor")
    query = (select(banned.c.uri, room_actor.c.uri).select_from(RoomBan)
             .join(banned, banned.c.id == RoomBan.actor_id).join(Room, Room.id == RoomBan.room_id)
             .join(room_actor, room_actor.c.id == Room.actor_id))
    found: dict[str, set[str]] = {}
    for actor_uri, room_uri in await session.execute(query):
        found.setdefault(actor_uri, set()).add(room_uri)
    return found


# ---- the moderation queue ---------------------------------------------------------------------

async def item_of(session: AsyncSession, room_id: int, object_id: int) -> ModerationItem | None:
    query = select(ModerationItem).where(ModerationItem.room_id == room_id, ModerationItem.object_id == object_id)
    return (await session.execute(query)).scalar_one_or_none()


async def item_by_id(session: AsyncSession, room_id: int, item_id: int) -> ModerationItem | None:
    item = await session.get(ModerationItem, item_id)
    return item if item is not None and item.room_id == room_id else None


async def add_item(session: AsyncSession, **values) -> ModerationItem:
    item = ModerationItem(**values)
    session.add(item)
    await session.flush()
    return item


async def items(session: AsyncSession, room_id: int, states: tuple[str, ...], *, limit: int,
                max_id: int | None = None, min_id: int | None = None) -> list[tuple[ModerationItem, Object, Actor]]:
    """(item, post, author) of a room in these states, newest first."""
    query = (select(ModerationItem, Object, Actor).join(Object, Object.id == ModerationItem.object_id)
             .join(Actor, Actor.id == ModerationItem.author_id)
             .where(ModerationItem.room_id == room_id, ModerationItem.state.in_(states)))
    rows = await session.execute(_paged(query, ModerationItem.id, limit=limit, max_id=max_id, min_id=min_id))
    return [(row[0], row[1], row[2]) for row in rows]


async def items_of_post(session: AsyncSession, object_id: int) -> list[tuple[ModerationItem, Room, Actor]]:
    """(item, room, room actor) of every room a post was submitted to."""
    query = (select(ModerationItem, Room, Actor).join(Room, Room.id == ModerationItem.room_id)
             .join(Actor, Actor.id == Room.actor_id).where(ModerationItem.object_id == object_id)
             .order_by(ModerationItem.id))
    return [(row[0], row[1], row[2]) for row in await session.execute(query)]


# ---- the decisions log ------------------------------------------------------------------------

async def add_decision(session: AsyncSession, **values) -> RoomDecision:
    decision = RoomDecision(**values)
    session.add(decision)
    await session.flush()
    return decision


async def decisions(session: AsyncSession, room_id: int, *, limit: int, max_id: int | None = None,
                    min_id: int | None = None) -> list[RoomDecision]:
    query = select(RoomDecision).where(RoomDecision.room_id == room_id)
    return list((await session.execute(_paged(query, RoomDecision.id, limit=limit, max_id=max_id,
                                              min_id=min_id))).scalars())


# ---- what a room shows the fediverse ----------------------------------------------------------

async def has_member_on(session: AsyncSession, actor_id: int, domain: str) -> bool:
    """Whether the room actor has an accepted follower (a member) on the server `domain`."""
    query = (select(Follow.id).join(Actor, Actor.id == Follow.follower_id)
             .where(Follow.target_id == actor_id, Follow.state == "accepted", Actor.domain == domain.lower(),
                    Actor.deleted_at.is_(None)).limit(1))
    return (await session.execute(query)).first() is not None


async def count_items(session: AsyncSession, room_id: int, states: tuple[str, ...]) -> int:
    query = (select(func.count()).select_from(ModerationItem)
             .where(ModerationItem.room_id == room_id, ModerationItem.state.in_(states)))
    return (await session.execute(query)).scalar_one()


async def items_page(session: AsyncSession, room_id: int, states: tuple[str, ...], *, limit: int,
                     offset: int) -> list[tuple[ModerationItem, Object, Actor]]:
    """(item, post, author) in these states, newest first, by offset (the outbox's pages)."""
    query = (select(ModerationItem, Object, Actor).join(Object, Object.id == ModerationItem.object_id)
             .join(Actor, Actor.id == ModerationItem.author_id)
             .where(ModerationItem.room_id == room_id, ModerationItem.state.in_(states))
             .order_by(ModerationItem.id.desc()).limit(limit).offset(offset))
    return [(row[0], row[1], row[2]) for row in await session.execute(query)]


async def waiting_by_room(session: AsyncSession, moderated_by: int | None) -> list[tuple[Room, Actor, int, datetime | None]]:
    """(room, room actor, posts pending, the oldest pending one's arrival) for every room, or for
    the rooms of the hubs `moderated_by` (an account id) moderates; the busiest first."""
    pending = (select(ModerationItem.room_id, func.count().label("waiting"),
                      func.min(ModerationItem.created_at).label("oldest"))
               .where(ModerationItem.state == "pending").group_by(ModerationItem.room_id).subquery())
    query = (select(Room, Actor, func.coalesce(pending.c.waiting, 0), pending.c.oldest)
             .join(Actor, Actor.id == Room.actor_id).outerjoin(pending, pending.c.room_id == Room.id))
    if moderated_by is not None:
        query = query.join(HubModerator, HubModerator.hub_id == Room.hub_id).where(
            HubModerator.account_id == moderated_by)
    query = query.order_by(func.coalesce(pending.c.waiting, 0).desc(), Actor.username)
    return [(row[0], row[1], row[2], row[3]) for row in await session.execute(query)]
