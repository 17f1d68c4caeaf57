"""`pubhub rooms`: the rooms of the hubs (the operator acts as an admin). A room is a Group
actor, `@SLUG@DOMAIN`, whose name shares the accounts' namespace."""

from __future__ import annotations

import json

import click

from .common import table, when, with_session

LISTED = 1000
JOIN, POST = click.Choice(["open", "approval", "attributes"]), click.Choice(["members", "anyone", "staff"])
MODERATION, VISIBILITY = click.Choice(["none", "pre", "post"]), click.Choice(["public", "members"])


@click.group()
def rooms() -> None:
    """Create, list, show and change rooms."""


@rooms.command("create")
@click.argument("hub")
@click.argument("slug")
@click.option("--name", required=True, help="The room's name, as people see it.")
@click.option("--description", default="", help="What the room is for (plain text).")
@click.option("--rules", default="", help="The room's rules (plain text).")
@click.option("--join", "join", type=JOIN, default="open", show_default=True,
              help="open: anyone may join; approval: a moderator accepts each member; attributes: "
                   "whoever proves --rule.")
@click.option("--rule", "rule", default=None, metavar="JSON",
              help='The attribute rule of --join attributes, e.g. {"attribute": "pbdf.gemeente.address.city", '
                   '"equals": "Nijmegen"} (README, Identity verifiers).')
@click.option("--post", "post", type=POST, default="members", show_default=True,
              help="Who may post: members, anyone, or staff (the hub's moderators and admins).")
@click.option("--moderation", type=MODERATION, default="none", show_default=True,
              help="none: shared at once; pre: held for a moderator; post: shared, removable later.")
@click.option("--visibility", type=VISIBILITY, default="public", show_default=True,
              help="public: for the fediverse; members: for members only.")
def rooms_create(hub: str, slug: str, name: str, description: str, rules: str, join: str, rule: str | None,
                 post: str, moderation: str, visibility: str) -> None:
    """Create the room SLUG in HUB (SLUG as an account name: 1-30 of a-z, 0-9, _); prints its handle."""
    from ..rooms.directory import RoomPolicy, create_room
    from ..rooms.hubs import OPERATOR, hub_named

    async def run(session, rt):
        made = await create_room(rt, session, OPERATOR, await hub_named(session, hub), slug, name=name,
                                 description=description, rules=rules,
                                 policy=RoomPolicy(join=join, post=post, moderation=moderation, visibility=visibility,
                                                   attribute_rule=attribute_rule))
        return f"@{made.slug}@{rt.domain} {made.actor.uri}"

    attribute_rule = _rule(rule)
    click.echo(with_session(run))


@rooms.command("list")
@click.option("--hub", help="Only this hub's rooms.")
def rooms_list(hub: str | None) -> None:
    """List rooms, newest first, with their policy and member count."""
    from ..rooms.directory import member_count, rooms_of_hub
    from ..rooms.hubs import OPERATOR, hub_named, list_hubs

    async def run(session, rt):
        names = {h.id: h.slug for h in await list_hubs(session, OPERATOR, limit=LISTED)}
        found = await rooms_of_hub(session, OPERATOR, await hub_named(session, hub) if hub else None, limit=LISTED)
        return [(r.slug, names.get(r.room.hub_id, "?"), r.room.join_policy, r.room.post_policy, r.room.moderation,
                 r.room.visibility, await member_count(session, r), when(r.room.created_at)) for r in found]

    rows = with_session(run)
    if not rows:
        click.echo("no rooms yet (pubhub rooms create HUB SLUG --name TEXT)")
        return
    table(("ROOM", "HUB", "JOIN", "POST", "MODERATION", "VISIBILITY", "MEMBERS", "CREATED"), rows)


@rooms.command("show")
@click.argument("room")
def rooms_show(room: str) -> None:
    """One room as `key: value` lines."""
    from ..rooms.directory import member_count, room_named
    from ..rooms.hubs import OPERATOR, find_hub

    async def run(session, rt):
        found = await room_named(session, room)
        hub = await find_hub(session, OPERATOR, found.room.hub_id)
        return [("handle", f"@{found.slug}@{rt.domain}"), ("uri", found.actor.uri), ("hub", hub.slug),
                ("name", found.actor.display_name), ("description", found.actor.summary_source or ""),
                ("rules", found.room.rules), ("join", found.room.join_policy), ("post", found.room.post_policy),
                ("moderation", found.room.moderation), ("visibility", found.room.visibility),
                *([("rule", f"{json.dumps(found.room.attribute_rule)} (version {found.room.rule_version})")]
                  if found.room.attribute_rule is not None else []),
                ("members", await member_count(session, found)), ("created", when(found.room.created_at))]

    for key, value in with_session(run):
        click.echo(f"{key}: {value}")


@rooms.command("modify")
@click.argument("room")
@click.option("--name")
@click.option("--description")
@click.option("--rules")
@click.option("--join", "join", type=JOIN)
@click.option("--rule", "rule", metavar="JSON", help="A new attribute rule (members verify again).")
@click.option("--post", "post", type=POST)
@click.option("--moderation", type=MODERATION)
@click.option("--visibility", type=VISIBILITY)
def rooms_modify(room: str, name, description, rules, join, rule, post, moderation, visibility) -> None:
    """Change a room's name, description, rules or policy (members' servers get an Update of its
    name, description and join policy)."""
    from ..rooms.directory import room_named, update_room
    from ..rooms.hubs import OPERATOR

    if (name, description, rules, join, rule, post, moderation, visibility) == (None,) * 8:
        raise click.UsageError("nothing to change: give --name, --description, --rules, --join, --rule, --post, "
                               "--moderation or --visibility")
    attribute_rule = _rule(rule)

    async def run(session, rt):
        await update_room(rt, session, OPERATOR, await room_named(session, room), name=name, description=description,
                          rules=rules, join=join, post=post, moderation=moderation, visibility=visibility,
                          attribute_rule=attribute_rule)

    with_session(run)
    click.echo(f"modified {room}")


def _rule(text: str | None) -> dict | None:
    """--rule, read and checked: a usage error saying what is wrong."""
    from ..errors import BadRequest
    from ..identity.attribute_rules import parse_rule

    if text is None:
        return None
    try:
        return parse_rule(json.loads(text))
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON ({exc.msg} at character {exc.pos})", param_hint="--rule") from exc
    except BadRequest as exc:
        raise click.BadParameter(exc.message, param_hint="--rule") from exc
