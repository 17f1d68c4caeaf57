"""`pubhub tokens`: bearer tokens for the client API."""

from __future__ import annotations

import click

from .common import destructive, go_ahead, table, when, with_session


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


# Tokens are stored as SHA-256 only; they are named by the start of that hash (their
# fingerprint, as `list` shows it), by the whole token, or by their account's name.
MIN_PREFIX = 6


@tokens.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Revoked tokens too.")
def tokens_list(include_revoked: bool) -> None:
    """List tokens: ID (the start of the token's SHA-256; the token itself is not stored),
    account, name, scopes, created, last used, and (with --all) revoked."""
    from ..accounts.tokens import fingerprint
    from ..store import tokens as token_store

    async def run(session, rt):
        return [(fingerprint(token), actor.username if actor else "-", token.name or "-", token.scopes,
                 when(token.created_at), when(token.last_used_at), when(token.revoked_at))
                for token, actor in await token_store.listed(session, include_revoked=include_revoked)]

    table(("ID", "ACCOUNT", "NAME", "SCOPES", "CREATED", "LAST USED", "REVOKED"), with_session(run))


async def _matching(session, wanted: str) -> list:
    """The live tokens WANTED names: a whole token, a hash prefix from `tokens list`, or an
    account name (all of its tokens)."""
    from ..accounts import admin
    from ..accounts.tokens import hash_token
    from ..errors import BadRequest, NotFound
    from ..store import tokens as token_store

    found = await token_store.live_matching(session, hash_prefix=hash_token(wanted))
    if not found and len(wanted) >= MIN_PREFIX and all(c in "0123456789abcdef" for c in wanted):
        found = await token_store.live_matching(session, hash_prefix=wanted)
        if len(found) > 1:
            raise BadRequest(f"{wanted!r} starts {len(found)} tokens' ids: give more of it")
    if not found:
        try:
            found = await token_store.live_matching(session, actor_id=(await admin.account(session, wanted)).id)
        except NotFound:
            raise NotFound(f"no live token or account matches {wanted!r}") from None
    return found


@tokens.command("revoke")
@click.argument("token_prefix_or_name")
@destructive
def tokens_revoke(token_prefix_or_name: str, yes: bool, dry_run: bool) -> None:
    """Revoke a token (its ID from `tokens list`, at least 6 characters, or the token itself),
    or every token of an account NAME. A revoked token answers 401 at once."""
    from ..accounts.tokens import fingerprint
    from ..store import tokens as token_store

    async def describe(session, rt):
        return [fingerprint(token) for token in await _matching(session, token_prefix_or_name)]

    ids = with_session(describe)
    if not ids:
        click.echo(f"{token_prefix_or_name} has no live token")
        return
    if not go_ahead(f"revoke {len(ids)} token(s): {' '.join(ids)}", f"Revoke {len(ids)} token(s) ({' '.join(ids)})?",
                    yes=yes, dry_run=dry_run):
        return

    async def run(session, rt):
        found = [t for t in await _matching(session, token_prefix_or_name) if fingerprint(t) in ids]
        await token_store.revoke(session, found, rt.clock.now())
        return len(found)

    click.echo(f"revoked {with_session(run)} token(s)")
