"""Resolving a report with a decision, in one step (the console's resolve form): remove the
reported posts (removals.remove_status, which resolves the report it names), restrict the
reported account (accounts.act, then resolve), or resolve it with no restriction. The API
takes the same steps as separate calls; these are the same functions, so the same rules.

A restriction's ground is picked from what applies (`grounds_for`): the instance rules, the
rules of each room the reported posts were submitted to (of the rooms whose hub `by` manages,
as rooms.authority says), or a law the moderator names. What is picked is looked up again on
the server: a rule that is not there is 422, another hub's room 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..accountability.reasons import Grounds
from ..errors import Forbidden, NotFound, Unprocessable
from ..rooms.authority import manages_hub
from ..rooms.directory import find_room
from ..rooms.queue import room_rules, rooms_of_post
from ..runtime import Runtime
from ..store.db import Session
from ..store.models import Actor, Object, Report, Statement
from . import accounts
from .permissions import NOT_ALLOWED, role_allows
from .removals import remove_status
from .reports import find_report, resolve
from .rules import current_rules

# What resolving may do, and the permission each needs (the API's for the same step).
ACTIONS = {"none": "manage_reports", "remove": "manage_reports", "sensitive": "manage_users",
           "silence": "manage_users", "suspend": "manage_users"}
DESTRUCTIVE = ("remove", "suspend")  # the console asks to confirm these
LAW = "law"


@dataclass(frozen=True)
class Ground:
    """One ground a decision may cite: `key` is what a form sends back."""
    key: str
    kind: str  # rule | room_rule
    text: str
    room: str = ""  # the room's name, for a room rule


async def require_action(session: Session, by: Actor, action: str) -> None:
    if action not in ACTIONS:
        raise Unprocessable("the action must be one of those offered")
    if not await role_allows(session, by.role, ACTIONS[action]):
        raise Forbidden(NOT_ALLOWED)


async def grounds_for(session: Session, by: Actor, notes: list[Object]) -> list[Ground]:
    """The instance rules, then the rules of the rooms the posts were submitted to whose hub
    `by` manages."""
    found = [Ground(f"rule:{rule.id}", "rule", rule.text) for rule in await current_rules(session)]
    seen = set()
    for note in notes:
        for target in await rooms_of_post(session, note.id):
            if target.room.id in seen or not await manages_hub(session, by, target.room.hub_id):
                continue
            seen.add(target.room.id)
            name = target.actor.display_name or target.actor.username
            found += [Ground(f"room:{target.room.id}:{number}", "room_rule", text, name)
                      for number, text in enumerate(room_rules(target), 1)]
    return found


async def picked_ground(session: Session, by: Actor, key: str, law: str, facts: str) -> Grounds:
    """The grounds a form's pick names, looked up again (see the module's note)."""
    kind, _, rest = key.partition(":")
    if kind == LAW:
        return Grounds("law", law.strip(), facts).checked()
    if kind == "rule" and rest.isdigit():
        rule = next((rule for rule in await current_rules(session) if rule.id == int(rest)), None)
        if rule is not None:
            return Grounds("rule", rule.text, facts).checked()
    room_id, _, number = rest.partition(":")
    if kind == "room" and room_id.isdigit() and number.isdigit():
        target = await find_room(session, by, int(room_id))  # 403 for another hub's room
        lines = room_rules(target)
        if 1 <= int(number) <= len(lines):
            name = target.actor.display_name or target.actor.username
            return Grounds("room_rule", f"{name}: {lines[int(number) - 1]}", facts).checked()
    raise Unprocessable("the ground must be one of the rules offered, or a law")


async def _open_report(session: Session, report_id: int | None) -> Report:
    report = await find_report(session, report_id)
    if report.action_taken_at is not None:
        raise Unprocessable("This report is resolved already")
    return report


async def resolve_report(rt: Runtime, by: Actor, report_id: int | None, action: str,
                         pick: tuple[str, str, str] | None) -> list[Statement]:
    """Resolve the report by `action` (one of ACTIONS) on the ground `pick` (key, law, facts;
    None for `none`); the statements of reasons recorded."""
    async with rt.db.write() as session:
        await require_action(session, by, action)
        report = await _open_report(session, report_id)
        grounds = await picked_ground(session, by, *pick) if action != "none" else None
        if action == "remove":
            notes = list(report.status_ids or [])
        elif action == "none":
            await resolve(session, by, report.id, now=rt.clock.now())
            return []
        else:
            target = await accounts.find_account(session, report.target_account_id)
            statement = await accounts.act(rt, session, by=by, target=target, action=action, grounds=grounds,
                                           report_id=report.id)
            await resolve(session, by, report.id, now=rt.clock.now())
            return [statement]
    return await _remove_posts(rt, by, report, notes, grounds)


async def _remove_posts(rt: Runtime, by: Actor, report: Report, note_ids: list[int], grounds: Grounds) -> list[Statement]:
    """Each reported post still there, removed with its own statement (each in its own
    transaction, as the API removes them); the first removal resolves the report."""
    statements = []
    for note_id in note_ids:
        try:
            statement, _ = await remove_status(rt, by, note_id, grounds, report_id=report.id)
        except NotFound:
            continue  # deleted meanwhile (by its author, or removed already)
        statements.append(statement)
    if not statements:
        raise Unprocessable("The report names no posts that are still there to remove")
    return statements
