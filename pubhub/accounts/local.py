"""Local accounts: creating them, and finding the ones anyone may see."""

from __future__ import annotations

import re
from datetime import datetime

from ..activitypub.local_actors import local_actor_values
from ..activitypub.urls import Urls
from ..activitypub.vocab import LOCAL_ACCOUNT_KINDS
from ..errors import BadRequest, Gone, NotFound
from ..store import actors as actor_store
from ..store.db import Database, Session
from ..store.models import Actor
from .principal import ROLES

USERNAME = re.compile(r"^[a-z0-9_]{1,30}$")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")  # what config.py asks of PUBHUB_CONTACT_EMAIL
RESERVED = {"actor", "inbox", "users", "api", "admin", "well-known", "nodeinfo", "tags", "static", "instance"}


def valid_username(username: str) -> str:
    """The name folded to lower case; BadRequest unless it is 1-30 of a-z, 0-9, _ and not reserved.
    Accounts and rooms share this namespace, so that @name@DOMAIN names one actor."""
    username = username.strip().lower()
    if not USERNAME.match(username) or username in RESERVED:
        raise BadRequest(f"username {username!r} must be 1-30 of a-z, 0-9, _ and not reserved")
    return username


async def create_local_account(
    session: Session, urls: Urls, domain: str, username: str, *, now: datetime,
    display_name: str = "", kind: str = "person", role: str = "user", manually_approves: bool = False,
    email: str | None = None,
) -> Actor:
    username = valid_username(username)
    if kind not in LOCAL_ACCOUNT_KINDS:
        raise BadRequest(f"kind must be one of {', '.join(LOCAL_ACCOUNT_KINDS)}")
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    if await actor_store.local_by_username(session, username) is not None:
        raise BadRequest(f"account {username!r} already exists")
    email = await sign_in_email(session, email) if email is not None else None
    return await _add_local_actor(session, urls, domain, username, kind=LOCAL_ACCOUNT_KINDS[kind], now=now,
                                  display_name=display_name, role=role, manually_approves=manually_approves,
                                  email=email)


async def create_group_actor(session: Session, urls: Urls, domain: str, username: str, *, now: datetime,
                             display_name: str, summary: str, summary_source: str,
                             manually_approves: bool) -> Actor:
    """The Group actor of a room, with its own key pair, named in the accounts' namespace:
    BadRequest if the name is invalid or taken (by an account or another room, deleted ones too)."""
    username = valid_username(username)
    if await actor_store.local_by_username(session, username) is not None:
        raise BadRequest(f"the name {username!r} is taken (rooms and accounts share one namespace)", status=422)
    return await _add_local_actor(session, urls, domain, username, kind="Group", now=now, display_name=display_name,
                                  role="user", manually_approves=manually_approves, summary=summary,
                                  summary_source=summary_source)


async def _add_local_actor(session: Session, urls: Urls, domain: str, username: str, *, kind: str, now: datetime,
                           display_name: str, role: str, manually_approves: bool, **profile) -> Actor:
    return await actor_store.add_local(
        session, **local_actor_values(urls, urls.actor(username)), kind=kind,
        username=username, domain=domain, display_name=display_name or username, role=role,
        manually_approves=manually_approves, url=urls.profile_page(username), created_at=now,
        **{"summary": "", **profile},
    )


async def sign_in_email(session: Session, email: str) -> str:
    """An e-mail address staff may sign in with: well formed, in lower case, nobody else's."""
    email = email.strip().lower()
    if len(email) > 320 or not EMAIL.fullmatch(email):
        raise BadRequest(f"{email!r} is not an e-mail address (write e.g. jan@gemeente.example)")
    if await actor_store.local_by_email(session, email) is not None:
        raise BadRequest(f"another account signs in with {email}")
    return email


async def public_local_account(db: Database, username: str) -> Actor:
    """The local account whose documents and pages anyone may see: 404 if there is none (the
    instance actor has no profile) or while it is suspended, 410 once it was deleted."""
    async with db.read() as session:
        actor = await actor_store.local_by_username(session, username)
    if actor is None or actor.kind == "Application" or _suspended(actor):
        raise NotFound("Record not found")
    if actor.deleted_at is not None:
        raise Gone("account is gone")
    return actor


async def official_accounts(db: Database, limit: int = 200) -> list[Actor]:
    """The accounts the front page lists: every local account with a public profile (on a
    hub, accounts are made by the operator, for the agency)."""
    async with db.read() as session:
        return await actor_store.shown_local_accounts(session, limit)


async def account_by_id(db: Database, actor_id: int | None) -> Actor:
    """An account (local or remote) the client API may show: 404 for the instance actor and
    for accounts that are gone."""
    async with db.read() as session:
        actor = await actor_store.by_id(session, actor_id) if actor_id is not None else None
    if actor is None or actor.deleted_at is not None or actor.kind == "Application" or _suspended(actor):
        raise NotFound("Record not found")
    return actor


def _suspended(actor: Actor) -> bool:
    """A suspended local account is not shown (404, not 410: the suspension can be lifted)."""
    return actor.local and actor.suspended_at is not None


async def account_counts(db: Database, actor: Actor) -> dict[str, int]:
    async with db.read() as session:
        return await actor_store.counts(session, actor)


async def webfinger_subject(db: Database, urls: Urls, domain: str, resource: str) -> Actor:
    """The local account a WebFinger resource names (acct:, actor URL or profile page URL);
    404 for anything else, the instance actor and deleted accounts included."""
    async with db.read() as session:
        found = None
        if resource.startswith("acct:"):
            username, _, host = resource[5:].lstrip("@").rpartition("@")
            if host.lower() == domain:
                found = await actor_store.local_by_username(session, username)
        else:
            found = await actor_store.by_uri(session, resource)
            if found is None and resource.startswith(urls.base + "/@"):
                found = await actor_store.local_by_username(session, resource.rsplit("/@", 1)[1])
    if found is None or not found.local or found.deleted_at is not None or _suspended(found):
        raise NotFound("no such account here")
    return found


async def instance_actor(db: Database, urls: Urls) -> Actor:
    async with db.read() as session:
        found = await actor_store.by_uri(session, urls.instance_actor())
    if found is None:
        raise NotFound("Record not found")
    return found


async def instance_overview(db: Database) -> tuple[Actor | None, int]:
    """(the contact account: the first admin, else the first moderator, if any; the number of
    other servers known) for the instance description."""
    async with db.read() as session:
        contact = await actor_store.first_local_with_role(session, ("admin",))
        contact = contact or await actor_store.first_local_with_role(session, ("moderator",))
        return contact, await actor_store.remote_domain_count(session)
