"""`pubhub accounts`: the operator's hands on local accounts."""

from __future__ import annotations

import click

from .common import with_session


@click.group()
def accounts() -> None:
    """Manage local accounts."""


@accounts.command("create")
@click.argument("name")
@click.option("--display-name", default="", help="Name shown on the profile.")
@click.option("--kind", type=click.Choice(["person", "service", "organization"]), default="person", show_default=True)
@click.option("--role", type=click.Choice(["user", "moderator", "admin"]), default="user", show_default=True)
@click.option("--locked", is_flag=True, help="Approve followers by hand.")
def accounts_create(name: str, display_name: str, kind: str, role: str, locked: bool) -> None:
    """Create a local account NAME; prints its actor URL."""
    from ..accounts.local import create_local_account

    async def run(session, rt):
        actor = await create_local_account(session, rt.urls, rt.domain, name, now=rt.clock.now(),
                                           display_name=display_name, kind=kind, role=role, manually_approves=locked)
        return actor.uri

    click.echo(with_session(run))
