"""`pubhub accounts`: the operator's hands on local accounts (as Mastodon's tootctl)."""

from __future__ import annotations

import sys

import click

from .common import destructive, go_ahead, table, when, with_session


@click.group()
def accounts() -> None:
    """Manage local accounts."""


@accounts.command("create")
@click.argument("name")
@click.option("--display-name", default="", help="Name shown on the profile.")
@click.option("--kind", type=click.Choice(["person", "service", "organization"]), default="person", show_default=True)
@click.option("--role", type=click.Choice(["user", "moderator", "admin"]), default="user", show_default=True)
@click.option("--locked", is_flag=True, help="Approve followers by hand.")
@click.option("--email", default=None, help="An e-mail address to sign in with (besides NAME); never shown.")
def accounts_create(name: str, display_name: str, kind: str, role: str, locked: bool, email: str | None) -> None:
    """Create a local account NAME; prints its actor URL. Give it a password with
    `pubhub accounts password NAME` to sign in with apps."""
    from ..accounts.local import create_local_account

    async def run(session, rt):
        actor = await create_local_account(session, rt.urls, rt.domain, name, now=rt.clock.now(),
                                           display_name=display_name, kind=kind, role=role, manually_approves=locked,
                                           email=email)
        return actor.uri

    click.echo(with_session(run))


@accounts.command("list")
def accounts_list() -> None:
    """List local accounts (deleted and suspended ones too), by name."""
    from ..accounts import admin

    async def run(session, rt):
        return [(a.username, a.role, a.kind, admin.state(a), "yes" if a.manually_approves else "no",
                 when(a.created_at)) for a in await admin.all_accounts(session)]

    table(("NAME", "ROLE", "KIND", "STATE", "LOCKED", "CREATED"), with_session(run))


@accounts.command("show")
@click.argument("name")
def accounts_show(name: str) -> None:
    """Show one local account: its URL, profile, role, state and counts."""
    from ..accounts import admin
    from ..content import plain_text
    from ..store import actors as actor_store
    from ..store import tokens as token_store

    async def run(session, rt):
        actor = await admin.account(session, name, deleted_too=True)
        counts = await actor_store.counts(session, actor)
        live = await token_store.live_matching(session, actor_id=actor.id)
        return [("name", actor.username), ("uri", actor.uri), ("display name", actor.display_name),
                ("note", plain_text(actor.summary)), ("kind", actor.kind), ("role", actor.role),
                ("locked", "yes" if actor.manually_approves else "no"), ("state", admin.state(actor)),
                ("created", when(actor.created_at)), ("suspended", when(actor.suspended_at)),
                ("silenced", when(actor.silenced_at)), ("sensitive", when(actor.sensitized_at)),
                ("disabled", when(actor.disabled_at)),
                ("deleted", when(actor.deleted_at)), ("e-mail", actor.email or "-"),
                ("password", "set" if actor.password_hash else "not set"),
                ("live tokens", len(live)), *counts.items()]

    for key, value in with_session(run):
        click.echo(f"{key}: {value}")


@accounts.command("modify")
@click.argument("name")
@click.option("--display-name", help="Name shown on the profile.")
@click.option("--note", help="The profile's note, plain text (blank lines separate paragraphs).")
@click.option("--role", type=click.Choice(["user", "moderator", "admin"]))
@click.option("--locked/--unlocked", default=None, help="Approve followers by hand, or not.")
def accounts_modify(name: str, display_name: str | None, note: str | None, role: str | None,
                    locked: bool | None) -> None:
    """Change a local account's profile, role or follower approval (followers' servers get
    an Update of the profile)."""
    from ..accounts import admin

    if (display_name, note, role, locked) == (None, None, None, None):
        raise click.UsageError("nothing to change: give --display-name, --note, --role, --locked or --unlocked")

    async def run(session, rt):
        actor = await admin.account(session, name)
        await admin.modify(rt, session, actor, display_name=display_name, note=note, role=role, locked=locked)

    with_session(run)
    click.echo(f"modified {name}")


@accounts.command("password")
@click.argument("name")
def accounts_password(name: str) -> None:
    """Set a local account's password, read from standard input (its first line; asked twice,
    hidden, on a terminal). Stored as an argon2id hash."""
    from ..accounts import admin

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")

    async def run(session, rt):
        await admin.set_password(session, await admin.account(session, name), password)

    with_session(run)
    click.echo(f"password set for {name}")


def _describe(name: str, describe):
    """A read-only look at the account (it must exist) before asking."""
    from ..accounts import admin

    async def run(session, rt):
        return await describe(session, await admin.account(session, name))

    return with_session(run)


OPERATOR_GROUND = "the operator's decision (pubhub accounts suspend, no --reason given)"


@accounts.command("suspend")
@click.argument("name")
@click.option("--reason", default="", help="Why: the facts, kept in the statement of reasons the account reads.")
@click.option("--ground", default="", help="The rule or the law (and article) applied; default: the reason.")
@click.option("--ground-kind", type=click.Choice(["rule", "law"]), default="rule", show_default=True)
@destructive
def accounts_suspend(name: str, reason: str, ground: str, ground_kind: str, yes: bool, dry_run: bool) -> None:
    """Suspend a local account, as the admin API's suspend does: its documents and pages answer
    404 and its tokens 401, its waiting deliveries stop and its followers' servers get a Delete of
    it, until `unsuspend`. Nothing is deleted here. A statement of reasons (without a moderator:
    the operator's) and an audit entry are recorded; the account can read and appeal it."""
    from ..accounts import admin
    from ..moderation import accounts as moderation
    from ..accountability.reasons import Grounds

    async def describe(session, actor):
        return admin.state(actor)

    if _describe(name, describe) == "suspended":
        click.echo(f"{name} is already suspended")
        return
    if not go_ahead(f"suspend {name}", f"Suspend {name}?", yes=yes, dry_run=dry_run):
        return
    grounds = Grounds(kind=ground_kind, text=ground or reason or OPERATOR_GROUND, facts=reason,
                      automated=False)  # a person decided, at the command line

    async def run(session, rt):
        await moderation.act(rt, session, by=None, target=await admin.account(session, name), action="suspend",
                             grounds=grounds)

    with_session(run)
    click.echo(f"suspended {name}")


@accounts.command("unsuspend")
@click.argument("name")
@click.option("--reason", default="", help="Why, for the audit log.")
def accounts_unsuspend(name: str, reason: str) -> None:
    """Lift a suspension: the account, its notes and its tokens work again, and its followers'
    servers get an Update of it. Recorded in the audit log."""
    from ..accounts import admin
    from ..moderation import accounts as moderation

    async def run(session, rt):
        actor = await admin.account(session, name)
        if actor.suspended_at is None:
            return False
        await moderation.undo(rt, session, by=None, target=actor, reversal="unsuspend", reason=reason)
        return True

    click.echo(f"unsuspended {name}" if with_session(run) else f"{name} was not suspended")


@accounts.command("delete")
@click.argument("name")
@destructive
def accounts_delete(name: str, yes: bool, dry_run: bool) -> None:
    """Delete a local account for good: a Delete of the actor goes to its followers' servers,
    its notes are tombstoned, its follows, profile, password and tokens removed. Its name stays
    taken (the actor URL answers 410)."""
    from ..accounts import admin
    from ..store import actors as actor_store

    async def describe(session, actor):
        return len(await admin.follower_inboxes(session, actor)), (await actor_store.counts(session, actor))["statuses"]

    inboxes, statuses = _describe(name, describe)
    summary = f"{name}: a Delete to {inboxes} inbox(es), {statuses} note(s) tombstoned"
    if not go_ahead(f"delete {summary}", f"Delete {name} for good ({inboxes} inbox(es) told, {statuses} note(s) removed)?",
                    yes=yes, dry_run=dry_run):
        return

    async def run(session, rt):
        return await admin.delete(rt, session, await admin.account(session, name))

    told = with_session(run)
    click.echo(f"deleted {name}; a Delete is queued for {told} inbox(es)")
