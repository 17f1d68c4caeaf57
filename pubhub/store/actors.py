"""Queries on actors, local and remote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Actor, Follow, Interaction, Object, Token, utcnow

REMOTE_FIELDS = (
    "kind", "username", "domain", "display_name", "summary", "url", "icon_url", "image_url", "inbox", "shared_inbox",
    "outbox", "followers_url", "following_url", "public_key_id", "public_key_pem", "manually_approves",
)


async def by_uri(session: AsyncSession, uri: str) -> Actor | None:
    return (await session.execute(select(Actor).where(Actor.uri == uri))).scalar_one_or_none()


async def by_uris(session: AsyncSession, uris: list[str]) -> dict[str, Actor]:
    """Actors by uri, in one query."""
    if not uris:
        return {}
    found = await session.execute(select(Actor).where(Actor.uri.in_(set(uris))))
    return {actor.uri: actor for actor in found.scalars()}


async def by_id(session: AsyncSession, actor_id: int) -> Actor | None:
    return await session.get(Actor, actor_id)


async def by_ids(session: AsyncSession, actor_ids) -> dict[int, Actor]:
    """Actors by id, in one query."""
    wanted = {i for i in actor_ids if i is not None}
    if not wanted:
        return {}
    return {actor.id: actor for actor in (await session.execute(select(Actor).where(Actor.id.in_(wanted)))).scalars()}


async def add_local(session: AsyncSession, **values) -> Actor:
    actor = Actor(**values)
    session.add(actor)
    await session.flush()
    return actor


async def local_account_count(session: AsyncSession) -> int:
    """Local accounts that exist (the instance actor is not an account)."""
    query = select(func.count()).select_from(Actor).where(
        Actor.local.is_(True), Actor.kind != "Application", Actor.deleted_at.is_(None))
    return (await session.execute(query)).scalar_one()


async def remove_remote(session: AsyncSession, actor_id: int, now: datetime) -> None:
    """An actor deleted at its origin: its content gone (`remove_content`), the actor marked deleted."""
    await remove_content(session, [actor_id], now)
    await session.execute(update(Actor).where(Actor.id == actor_id).values(deleted_at=now))


async def remove_content(session: AsyncSession, actor_ids: list[int], now: datetime) -> None:
    """What these actors had here: their notes tombstoned (emptied, kept so that replies keep
    their parent), their follows both ways and their reactions removed."""
    for start in range(0, len(actor_ids), 500):
        ids = actor_ids[start:start + 500]
        await session.execute(update(Object).where(Object.author_id.in_(ids), Object.deleted_at.is_(None))
                              .values(deleted_at=now, content="", summary="", source_text=None, attachments=None))
        await session.execute(delete(Follow).where(or_(Follow.follower_id.in_(ids), Follow.target_id.in_(ids))))
        await session.execute(delete(Interaction).where(Interaction.actor_id.in_(ids)))


async def local_by_username(session: AsyncSession, username: str) -> Actor | None:
    query = select(Actor).where(Actor.local.is_(True), func.lower(Actor.username) == username.lower())
    return (await session.execute(query)).scalar_one_or_none()


async def upsert_remote_many(session: AsyncSession, items: list[tuple[str, dict]], now: datetime | None = None) -> list[Actor]:
    """Insert or refresh remote actors, (uri, values) each, in one executemany upsert (safe when
    two processes race); the stored actors, in the order given. A refresh keeps `deleted_at`:
    an actor that deleted itself is not brought back by fetching its document again."""
    now = now or utcnow()
    rows: dict[str, dict] = {}
    for uri, values in items:
        row = {key: values.get(key) for key in REMOTE_FIELDS}
        row.update(uri=uri, local=False, fetched_at=now, deleted_at=None, created_at=now)
        rows[uri] = row
    table = Actor.__table__
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    refreshed = [*REMOTE_FIELDS, "fetched_at"]
    statement = statement.on_conflict_do_update(index_elements=[table.c.uri],
                                                set_={name: statement.excluded[name] for name in refreshed})
    await session.execute(statement, list(rows.values()))
    found = await session.execute(select(Actor).where(Actor.uri.in_(list(rows))).execution_options(populate_existing=True))
    by_uri_ = {actor.uri: actor for actor in found.scalars()}
    return [by_uri_[uri] for uri, _ in items]


async def counts(session: AsyncSession, actor: Actor) -> dict[str, int]:
    followers = select(func.count()).select_from(Follow).where(Follow.target_id == actor.id, Follow.state == "accepted")
    following = select(func.count()).select_from(Follow).where(Follow.follower_id == actor.id, Follow.state == "accepted")
    # Direct messages are not counted (as in Mastodon): the count is public, they are not.
    statuses = select(func.count()).select_from(Object).where(
        Object.author_id == actor.id, Object.deleted_at.is_(None), Object.visibility != "direct")
    # Boosts are statuses of the booster's too (Mastodon counts them), while their post is there.
    boosts = select(func.count()).select_from(Interaction).join(Object, Object.id == Interaction.object_id).where(
        Interaction.actor_id == actor.id, Interaction.kind == "Announce", Object.deleted_at.is_(None))
    row = (await session.execute(select(followers.scalar_subquery(), following.scalar_subquery(),
                                        statuses.scalar_subquery() + boosts.scalar_subquery()))).one()
    return {"followers": row[0], "following": row[1], "statuses": row[2]}


async def by_key_id(session: AsyncSession, key_id: str) -> Actor | None:
    query = select(Actor).where(Actor.public_key_id == key_id).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def local_accounts(session: AsyncSession) -> list[Actor]:
    """Every local account, deleted and suspended ones too (not the instance actor), by name."""
    query = select(Actor).where(Actor.local.is_(True), Actor.kind != "Application").order_by(Actor.username)
    return list((await session.execute(query)).scalars())


async def shown_local_accounts(session: AsyncSession, limit: int) -> list[Actor]:
    """Local accounts anyone may see (not deleted, not suspended, not the instance actor), by name."""
    query = (select(Actor).where(Actor.local.is_(True), Actor.kind != "Application", Actor.deleted_at.is_(None),
                                 Actor.suspended_at.is_(None)).order_by(Actor.username).limit(limit))
    return list((await session.execute(query)).scalars())


async def remove_local(session: AsyncSession, actor: Actor, now: datetime) -> None:
    """A local account deleted by the operator: what a remote one loses, plus its profile, its
    password and its tokens. The row (name and keys) stays: the name is not given to anyone
    else, and the key signs the Delete still being delivered."""
    await remove_remote(session, actor.id, now)
    await session.execute(update(Token).where(Token.actor_id == actor.id, Token.revoked_at.is_(None))
                          .values(revoked_at=now))
    await session.execute(update(Actor).where(Actor.id == actor.id).values(
        display_name="", summary="", summary_source=None, fields=None, icon_url=None, image_url=None, password_hash=None, email=None,
        deleted_at=now))
    await session.refresh(actor)


async def remote_domain_count(session: AsyncSession) -> int:
    """Other servers we know an actor of."""
    query = select(func.count(func.distinct(Actor.domain))).where(Actor.local.is_(False))
    return (await session.execute(query)).scalar_one()


async def first_local_with_role(session: AsyncSession, roles: tuple[str, ...]) -> Actor | None:
    """The oldest local account (not deleted, not the instance actor) with one of `roles`."""
    query = (select(Actor).where(Actor.local.is_(True), Actor.kind != "Application", Actor.deleted_at.is_(None),
                                 Actor.suspended_at.is_(None), Actor.role.in_(roles)).order_by(Actor.id).limit(1))
    return (await session.execute(query)).scalar_one_or_none()


async def local_by_email(session: AsyncSession, email: str) -> Actor | None:
    """The local account with this sign-in address (stored in lower case)."""
    query = select(Actor).where(Actor.local.is_(True), Actor.email == email.strip().lower())
    return (await session.execute(query)).scalar_one_or_none()
