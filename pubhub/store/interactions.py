"""Likes and Announces of the notes we know. Their ids come from the notes' generator
(objects.new_object_id): a boost is a status of its own in timelines, paged with the notes."""

from __future__ import annotations


from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .models import Actor, Interaction
from .objects import new_object_id
from .timelines import Bounds, paged_by


async def insert_many(session: AsyncSession, rows: list[dict]) -> None:
    """Reactions (kind, activity_uri, actor_id, object_id, created_at) in one statement; one
    the actor already made of the note (or whose activity is recorded) is left out."""
    if rows:
        rows = [{"id": new_object_id(), **row} for row in rows]
        await session.execute(insert_statement(session, Interaction.__table__).on_conflict_do_nothing(), rows)


async def by_activity_uri(session: AsyncSession, uri: str) -> Interaction | None:
    return (await session.execute(select(Interaction).where(Interaction.activity_uri == uri))).scalar_one_or_none()


async def by_activity_uris(session: AsyncSession, uris: list[str]) -> dict[str, Interaction]:
    """The reactions recorded from these activities, in one query."""
    query = select(Interaction).where(Interaction.activity_uri.in_(uris))
    return {row.activity_uri: row for row in (await session.execute(query)).scalars()}


async def by_id(session: AsyncSession, kind: str, interaction_id: int) -> Interaction | None:
    found = await session.get(Interaction, interaction_id)
    return found if found is not None and found.kind == kind else None


async def ids_of_kind(session: AsyncSession, kind: str, object_id: int) -> list[int]:
    """The ids of the reactions of this kind to the note (its boosts, for `Announce`)."""
    query = select(Interaction.id).where(Interaction.kind == kind, Interaction.object_id == object_id)
    return list((await session.execute(query)).scalars())


async def remove(session: AsyncSession, interaction: Interaction) -> None:
    await session.execute(delete(Interaction).where(Interaction.id == interaction.id))


async def of_actor(session: AsyncSession, kind: str, actor_id: int, object_id: int) -> Interaction | None:
    """The actor's reaction of this kind to the note, if it made one."""
    query = select(Interaction).where(Interaction.kind == kind, Interaction.actor_id == actor_id,
                                      Interaction.object_id == object_id)
    return (await session.execute(query)).scalar_one_or_none()


async def add(session: AsyncSession, **values) -> Interaction:
    interaction = Interaction(id=new_object_id(), **values)
    session.add(interaction)
    await session.flush()
    return interaction


async def kinds_by(session: AsyncSession, actor_id: int, object_ids: list[int]) -> dict[int, set[str]]:
    """Which kinds of reaction the actor made to each of these notes, in one query."""
    found: dict[int, set[str]] = {}
    if object_ids:
        query = select(Interaction.object_id, Interaction.kind).where(Interaction.actor_id == actor_id,
                                                                       Interaction.object_id.in_(object_ids))
        for object_id, kind in await session.execute(query):
            found.setdefault(object_id, set()).add(kind)
    return found


async def actors_page(session: AsyncSession, kind: str, object_id: int, bounds: Bounds) -> list[tuple[int, Actor]]:
    """(reaction id, actor) of who reacted so to the note, newest first, cut by the reaction's
    id (Mastodon pages favourited_by and reblogged_by by the favourite's and the boost's id)."""
    query = (select(Interaction.id, Actor).join(Actor, Actor.id == Interaction.actor_id)
             .where(Interaction.kind == kind, Interaction.object_id == object_id, Actor.deleted_at.is_(None)))
    rows = [tuple(row) for row in await session.execute(paged_by(query, Interaction.id, bounds))]
    return sorted(rows, key=lambda row: row[0], reverse=True)
