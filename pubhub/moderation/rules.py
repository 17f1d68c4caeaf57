"""The instance rules: what apps show before a report, what a report cites and what a decision
names as its ground. Admins (and moderators granted `manage_rules`) add, change, reorder and take
them away; every change is audited. A rule taken away keeps its id and text, so reports and
statements that cite it still read it, and an id is never given to another rule.

PUBHUB_RULES_FILE seeds them once: on the first start with a file (and no rules made yet), its
rules are stored in order (ids 1, 2, ... on a new database, as the file's positions were before).
After that the database is what counts; the file is not read again.
"""

from __future__ import annotations

import logging

from ..config import MAX_RULE_CHARS, Rule
from ..errors import NotFound, Unprocessable
from ..runtime import Runtime
from ..store import rules as rule_store
from ..store.db import DuplicateRow, Session
from ..store.models import Actor, InstanceRule
from ..accountability import audit

HINT_LIMIT = 1000
log = logging.getLogger("pubhub.moderation.rules")


async def current_rules(session: Session) -> list[InstanceRule]:
    return await rule_store.current(session)


async def cited(session: Session, rule_ids) -> list[InstanceRule]:
    """The rules a report or statement cites, in the order cited, taken away or not."""
    found = await rule_store.by_ids(session, rule_ids)
    return [found[rule_id] for rule_id in rule_ids if rule_id in found]


async def check_citable(session: Session, rule_ids: list) -> list[int]:
    """The ids, if each names a current rule (a report may not cite one taken away)."""
    found = await rule_store.by_ids(session, [rule_id for rule_id in rule_ids if rule_id is not None])
    if any(rule_id is None or rule_id not in found or found[rule_id].deleted_at is not None for rule_id in rule_ids):
        raise Unprocessable("Validation failed: rule_ids names a rule this instance does not have")
    return sorted(set(rule_ids))


def _checked(text: str | None, hint: str | None) -> dict:
    values = {}
    if text is not None:
        text = text.strip()
        if not text:
            raise Unprocessable("Validation failed: a rule needs its text")
        if len(text) > MAX_RULE_CHARS:
            raise Unprocessable(f"Validation failed: a rule's text is at most {MAX_RULE_CHARS} characters; "
                                "put the explanation in its hint")
        values["text"] = text
    if hint is not None:
        if len(hint) > HINT_LIMIT:
            raise Unprocessable(f"Validation failed: a rule's hint is at most {HINT_LIMIT} characters")
        values["hint"] = hint.strip()
    return values


async def add_rule(rt: Runtime, session: Session, *, by: Actor | None, text: str, hint: str = "",
                   position: int | None = None) -> InstanceRule:
    """A new rule, last unless `position` says where it goes among the others."""
    values = {"text": "", "hint": "", **_checked(text, hint)}
    if not values["text"]:
        raise Unprocessable("Validation failed: a rule needs its text")
    now = rt.clock.now()
    rule = await rule_store.add(session, position=await rule_store.last_position(session) + 1, now=now, **values)
    if position is not None:
        await _move(session, rule, position)
    await audit.record(session, by=by, action="rule.create", target=("rule", rule.id, rule.text), now=now)
    return rule


async def change_rule(rt: Runtime, session: Session, rule_id: int | None, *, by: Actor | None,
                      text: str | None = None, hint: str | None = None, position: int | None = None) -> InstanceRule:
    rule = await find_rule(session, rule_id)
    for name, value in _checked(text, hint).items():
        setattr(rule, name, value)
    if position is not None:
        await _move(session, rule, position)
    rule.updated_at = rt.clock.now()
    await audit.record(session, by=by, action="rule.update", target=("rule", rule.id, rule.text), now=rule.updated_at)
    return rule


async def remove_rule(rt: Runtime, session: Session, rule_id: int | None, *, by: Actor | None) -> InstanceRule:
    rule = await find_rule(session, rule_id)
    rule.deleted_at = rule.updated_at = rt.clock.now()
    await audit.record(session, by=by, action="rule.delete", target=("rule", rule.id, rule.text), now=rule.deleted_at)
    return rule


async def find_rule(session: Session, rule_id: int | None) -> InstanceRule:
    rule = await rule_store.by_id(session, rule_id) if rule_id is not None else None
    if rule is None or rule.deleted_at is not None:
        raise NotFound("Record not found")
    return rule


async def _move(session: Session, rule: InstanceRule, position: int) -> None:
    """Put `rule` at `position` (1 is first; past the end is last) and number the rest after it."""
    others = [other for other in await rule_store.current(session) if other.id != rule.id]
    index = min(max(position, 1), len(others) + 1) - 1
    for number, each in enumerate([*others[:index], rule, *others[index:]], 1):
        each.position = number


async def seed_rules(rt: Runtime, rules: tuple[Rule, ...]) -> int:
    """Store the rules file's rules once (see the module's note); how many were stored."""
    if not rules:
        return 0
    async with rt.db.read() as session:
        if await rule_store.seeded(session):
            return 0
    try:
        async with rt.db.write() as session:
            await rule_store.mark_seeded(session)  # another process starting now fails here
            if await rule_store.any_rule(session):
                log.info("PUBHUB_RULES_FILE not read: the instance has rules already (edit them with /api/v1/pubhub/rules)")
                return 0
            now = rt.clock.now()
            for position, rule in enumerate(rules, 1):
                await rule_store.add(session, text=rule.text, hint=rule.hint, position=position, now=now)
    except DuplicateRow:  # another process seeded them
        return 0
    log.info("stored %d rules from PUBHUB_RULES_FILE; from now on they are edited with /api/v1/pubhub/rules", len(rules))
    return len(rules)
