"""`pubhub tokens`: bearer tokens for the client API."""

from __future__ import annotations

import click

from .common import with_session


@click.group()
def tokens() -> None:
    """Manage API bearer tokens."""


@tokens.command("create")
@click.argument("name")
@click.option("--scopes", default="read write follow", show_default=True,
              help="Space-separated Mastodon scopes (read, write, follow, push, admin:read, admin:write, "
                   "or sub-scopes such as read:statuses). Admin scopes need role moderator or admin.")
def tokens_create(name: str, scopes: str) -> None:
    """Create a bearer token for account NAME; prints it as the last line."""
    from ..accounts.tokens import create_token
    from ..errors import NotFound
    from ..store import actors as actor_store

    async def run(session, rt):
        actor = await actor_store.local_by_username(session, name)
        if actor is None or actor.kind == "Application" or actor.deleted_at is not None:
            raise NotFound(f"no local account {name!r}")
        return await create_token(session, actor, now=rt.clock.now(), name="cli", scopes=scopes)

    token = with_session(run)
    click.echo(f"token for {name} with scopes {' '.join(scopes.split())} (keep it secret; it is shown once):")
    click.echo(token)
