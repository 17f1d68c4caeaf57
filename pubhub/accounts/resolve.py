"""Finding an account by its handle: local from the database, remote through WebFinger and a
fetch of the actor (both through the guarded client and the policy seam)."""

from __future__ import annotations

from ..activitypub.webfinger import parse_acct
from ..errors import NotFound
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store.models import Actor


async def resolve_account(rt: Runtime, acct: str) -> Actor:
    """user@domain (or a bare local name) → Actor."""
    if "@" not in acct.lstrip("@"):
        acct = f"{acct.lstrip('@')}@{rt.domain}"
    username, domain = parse_acct(acct)
    if domain == rt.domain:
        actor = await find_local(rt, username)
        if actor is None:
            raise NotFound(f"no account {acct}")
        return actor
    uri = await rt.webfinger.actor_uri(username, domain)
    return await rt.actors.get(uri)


async def find_local(rt: Runtime, username: str) -> Actor | None:
    """A local account by name (case-insensitive), without the network."""
    async with rt.db.read() as session:
        actor = await actor_store.local_by_username(session, username.lstrip("@"))
    if actor is None or actor.kind == "Application" or actor.deleted_at is not None:
        return None
    return actor
