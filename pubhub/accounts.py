"""Local accounts, the instance actor, and bearer tokens."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .errors import BadRequest, Gone, NotFound, Unauthorized
from .federation.signatures import generate_key_pair
from .federation.urls import Urls
from .federation.vocab import LOCAL_ACCOUNT_KINDS
from .store import actors as actor_store
from .store.models import Actor, Token, utcnow

USERNAME = re.compile(r"^[a-z0-9_]{1,30}$")
ROLES = ("user", "moderator", "admin")
RESERVED = {"actor", "inbox", "users", "api", "admin", "well-known", "nodeinfo", "tags", "static", "instance"}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_local_account(
    session: AsyncSession, urls: Urls, domain: str, username: str, *,
    display_name: str = "", kind: str = "person", role: str = "user", manually_approves: bool = False,
) -> Actor:
    username = username.strip().lower()
    if not USERNAME.match(username) or username in RESERVED:
        raise BadRequest(f"username {username!r} must be 1-30 of a-z, 0-9, _ and not reserved")
    if kind not in LOCAL_ACCOUNT_KINDS:
        raise BadRequest(f"kind must be one of {', '.join(LOCAL_ACCOUNT_KINDS)}")
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    if await actor_store.local_by_username(session, username) is not None:
        raise BadRequest(f"account {username!r} already exists")
    return await _insert_local_actor(session, urls, domain, username, urls.actor(username), LOCAL_ACCOUNT_KINDS[kind],
                                     display_name=display_name or username, role=role, manually_approves=manually_approves,
                                     url=urls.profile_page(username))


async def public_local_account(db, username: str) -> Actor:
    """The local account whose documents and pages anyone may see: 404 if there is none (the
    instance actor has no profile), 410 once it was deleted."""
    async with db.read() as session:
        actor = await actor_store.local_by_username(session, username)
    if actor is None or actor.kind == "Application":
        raise NotFound("Record not found")
    if actor.deleted_at is not None:
        raise Gone("account is gone")
    return actor


async def ensure_instance_actor(session: AsyncSession, urls: Urls, domain: str) -> Actor:
    """The Application actor that signs our fetches (authorized fetch), created once."""
    actor = await actor_store.by_uri(session, urls.instance_actor())
    if actor is None:
        actor = await _insert_local_actor(session, urls, domain, domain, urls.instance_actor(), "Application",
                                          display_name=domain, role="user", manually_approves=True, url=urls.base + "/")
    return actor


async def _insert_local_actor(session, urls: Urls, domain: str, username: str, uri: str, kind: str, **fields) -> Actor:
    private_pem, public_pem = generate_key_pair()
    actor = Actor(
        uri=uri, kind=kind, username=username, domain=domain, local=True,
        inbox=urls.inbox(uri), shared_inbox=urls.shared_inbox(), outbox=urls.outbox(uri),
        followers_url=urls.followers(uri), following_url=urls.following(uri),
        public_key_id=urls.key_id(uri), public_key_pem=public_pem, private_key_pem=private_pem,
        summary="", created_at=utcnow(), **fields,
    )
    session.add(actor)
    await session.flush()
    return actor


async def create_token(session: AsyncSession, actor: Actor, name: str = "cli") -> str:
    token = secrets.token_urlsafe(32)
    session.add(Token(token_hash=hash_token(token), actor_id=actor.id, name=name, created_at=utcnow()))
    await session.flush()
    return token


async def actor_for_token(session: AsyncSession, token: str) -> Actor:
    query = (
        select(Actor)
        .join(Token, Token.actor_id == Actor.id)
        .where(Token.token_hash == hash_token(token), Token.revoked_at.is_(None), Actor.deleted_at.is_(None))
    )
    actor = (await session.execute(query)).scalar_one_or_none()
    if actor is None:
        raise Unauthorized("The access token is invalid")
    return actor
