"""Reading an instance's database in tests: what was stored, handled, dropped or queued.
Plain SQLAlchemy selects on pubhub.store.models, through the instance's own read sessions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from pubhub.store.models import (Actor, AttributeVerification, Delivery, DomainAllow, DomainBlock, Follow, Hub,
                                 HubModerator, InboxActivity, Interaction, LinkCode, ModerationItem, Object, Report, Room,
                                 RoomBan, RoomDecision, Token, VerificationSession)


async def count(instance, model, *where) -> int:
    async with instance.runtime.db.read() as session:
        return (await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one()


async def one(instance, model, *where):
    async with instance.runtime.db.read() as session:
        return (await session.execute(select(model).where(*where))).scalar_one_or_none()


async def all_of(instance, model, *where) -> list:
    async with instance.runtime.db.read() as session:
        return list((await session.execute(select(model).where(*where).order_by(model.id))).scalars())


async def inbox_activities(instance) -> list[InboxActivity]:
    async with instance.runtime.db.read() as session:
        return list((await session.execute(select(InboxActivity).order_by(InboxActivity.id))).scalars())


async def inbox_activity(instance, uri: str) -> InboxActivity | None:
    return await one(instance, InboxActivity, InboxActivity.uri == uri)


async def note(instance, uri: str) -> Object | None:
    return await one(instance, Object, Object.uri == uri)


async def actor(instance, uri: str) -> Actor | None:
    return await one(instance, Actor, Actor.uri == uri)


async def follows(instance) -> list:
    """Every follow relation as (state, follower_uri, target_uri) rows."""
    follower, target = aliased(Actor), aliased(Actor)
    query = (select(Follow.state, follower.uri.label("follower_uri"), target.uri.label("target_uri"))
             .join(follower, follower.id == Follow.follower_id).join(target, target.id == Follow.target_id)
             .order_by(Follow.id))
    async with instance.runtime.db.read() as session:
        return list((await session.execute(query)).all())


async def nothing_stored(instance) -> bool:
    """True when no inbound activity, remote note, interaction, follow or delivery exists."""
    for model in (InboxActivity, Interaction, Follow, Delivery):
        if await count(instance, model):
            return False
    return await count(instance, Object, Object.local.is_(False)) == 0


__all__ = ["count", "one", "all_of", "follows", "inbox_activities", "inbox_activity", "note", "actor", "nothing_stored",
           "Actor", "Delivery", "DomainBlock", "Follow", "InboxActivity", "Interaction", "Object", "Token", "Hub",
           "HubModerator", "ModerationItem", "Report", "Room", "RoomBan", "RoomDecision"]
