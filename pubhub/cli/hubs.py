"""`pubhub hubs`: the hubs of the instance and their moderators (the operator acts as an admin)."""

from __future__ import annotations

import click

from .common import table, when, with_session

LISTED = 1000  # the most hubs one `list` shows


@click.group()
def hubs() -> None:
    """Create and list hubs; name their moderators."""


@hubs.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The hub's name, as people see it.")
@click.option("--description", default="", help="What the hub is for.")
@click.option("--rules", default="", help="The hub's house rules, plain text.")
def hubs_create(slug: str, name: str, description: str, rules: str) -> None:
    """Create the hub SLUG (1-64 of a-z, 0-9, _ and -)."""
    from ..rooms.hubs import OPERATOR, create_hub

    async def run(session, rt):
        hub = await create_hub(session, OPERATOR, slug, name=name, description=description, rules=rules,
                               now=rt.clock.now())
        return hub.slug

    click.echo(f"created hub {with_session(run)}")


@hubs.command("list")
def hubs_list() -> None:
    """List the hubs, newest first, with their moderators."""
    from ..rooms.hubs import OPERATOR, list_hubs, moderators

    async def run(session, rt):
        found = await list_hubs(session, OPERATOR, limit=LISTED)
        return [(h.slug, h.name, ",".join(m.username for m in await moderators(session, h)) or "-",
                 when(h.created_at)) for h in found]

    rows = with_session(run)
    if not rows:
        click.echo("no hubs yet (pubhub hubs create SLUG --name TEXT)")
        return
    table(("SLUG", "NAME", "MODERATORS", "CREATED"), rows)


@hubs.group("moderators")
def hub_moderators() -> None:
    """Name, list and remove a hub's moderators (local accounts with the role moderator or admin)."""


@hub_moderators.command("add")
@click.argument("hub")
@click.argument("account")
def moderators_add(hub: str, account: str) -> None:
    """Make the local account ACCOUNT a moderator of HUB: it manages HUB's rooms, queues and members."""
    from ..accounts import admin
    from ..rooms.hubs import OPERATOR, add_moderator, hub_named

    async def run(session, rt):
        found = await admin.account(session, account)
        await add_moderator(session, OPERATOR, await hub_named(session, hub), found.id, rt.clock.now())

    with_session(run)
    click.echo(f"{account} moderates {hub}")


@hub_moderators.command("remove")
@click.argument("hub")
@click.argument("account")
def moderators_remove(hub: str, account: str) -> None:
    """ACCOUNT no longer moderates HUB."""
    from ..accounts import admin
    from ..errors import NotFound
    from ..rooms.hubs import OPERATOR, hub_named, remove_moderator

    async def run(session, rt):
        found = await admin.account(session, account)
        try:
            await remove_moderator(session, OPERATOR, await hub_named(session, hub), found.id)
        except NotFound as exc:
            raise NotFound(f"{account} does not moderate {hub}") from exc

    with_session(run)
    click.echo(f"{account} no longer moderates {hub}")


@hub_moderators.command("list")
@click.argument("hub")
def moderators_list(hub: str) -> None:
    """The moderators of HUB."""
    from ..rooms.hubs import hub_named, moderators

    async def run(session, rt):
        return [(m.username, m.role) for m in await moderators(session, await hub_named(session, hub))]

    rows = with_session(run)
    if not rows:
        click.echo(f"{hub} has no moderators (pubhub hubs moderators add {hub} ACCOUNT)")
        return
    table(("ACCOUNT", "ROLE"), rows)
