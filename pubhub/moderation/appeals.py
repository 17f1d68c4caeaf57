"""The affected account's side of a decision: it reads the statements of reasons about it
(its own restrictions and decisions on its posts) and appeals each once; a moderator with
manage_appeals who did not take the decision (nor made the appeal) upholds or reverses it.
Reversing an account restriction undoes it (moderation/accounts.py) and marks the statement
reversed; reversing a room's decision undoes it in the room (rooms/members.py, rooms/queue.py);
every step is in the audit log. The API and the console decide through `decide`.
"""

from __future__ import annotations

from datetime import datetime

from ..errors import Forbidden, NotFound, Unprocessable
from ..rooms import members, queue
from ..rooms.directory import find_room
from ..runtime import Runtime
from ..social.reading import StatusView, status_views
from ..store import accountability as store
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor, Appeal, Statement
from ..accountability import audit
from . import accounts
from ..accountability.reasons import GROUNDS_LIMIT
from .removals import restore_removed

OUTCOMES = {"uphold": "upheld", "reverse": "reversed"}
APPEAL_STATES = ("pending", "upheld", "reversed")
# The restriction each account decision is undone by.
_UNDO = {action: reversal for reversal, action in accounts.REVERSALS.items()}


async def decisions_about(session: Session, account: Actor, *, limit: int, max_id: int | None = None,
                          min_id: int | None = None) -> list[tuple[Statement, Appeal | None]]:
    statements = await store.statements_about(session, account.id, limit=limit, max_id=max_id, min_id=min_id)
    appeals = await store.appeals_of(session, [statement.id for statement in statements])
    return [(statement, appeals.get(statement.id)) for statement in statements]


async def decision_about(session: Session, account: Actor, statement_id: int | None) -> tuple[Statement, Appeal | None]:
    """One statement about the account; 404 for anyone else's, as for one that does not exist."""
    statement = await store.statement_by_id(session, statement_id) if statement_id is not None else None
    if statement is None or statement.account_id != account.id:
        raise NotFound("Record not found")
    return statement, (await store.appeals_of(session, [statement.id])).get(statement.id)


async def appeal(rt: Runtime, session: Session, account: Actor, statement_id: int | None, text: str) -> Appeal:
    """The account's one appeal against a statement about it; 422 for a second one, an empty
    text, or a decision already reversed."""
    statement, existing = await decision_about(session, account, statement_id)
    if existing is not None:
        raise Unprocessable("this decision was appealed already: a decision can be appealed once")
    if statement.reversed_at is not None:
        raise Unprocessable("this decision was reversed already")
    text = text.strip()
    if not text or len(text) > GROUNDS_LIMIT:
        raise Unprocessable(f"an appeal needs a text (up to {GROUNDS_LIMIT} characters) saying why")
    now = rt.clock.now()
    made = await store.add_appeal(session, statement_id=statement.id, account_id=account.id, text=text,
                                  state="pending", outcome="", created_at=now)
    await audit.record(session, by=account, action="appeal.create", target=("appeal", made.id, f"decision {statement.id}"),
                       now=now, reason=text, statement_id=statement.id)
    return made


async def appeals_page(session: Session, *, state: str | None, limit: int) -> list[tuple[Appeal, Statement]]:
    found = await store.appeals_page(session, state=state, limit=limit)
    statements = await store.statements_by_ids(session, [each.statement_id for each in found])
    return [(each, statements[each.statement_id]) for each in found]


async def appeal_details(session: Session, pairs: list[tuple[Appeal, Statement]]) -> tuple[dict[int, Actor],
                                                                                    dict[int, StatusView]]:
    """What a moderator deciding appeals reads with them: the accounts they name (appellants,
    the deciding and the decided moderators, the accounts decided about) and, by statement id,
    the post a decision is about as stored (a removed one tombstoned: its statement keeps it as
    it was, for the appeal period), in a fixed number of queries."""
    actor_ids = {actor_id for found, statement in pairs for actor_id in (
        found.account_id, found.decided_by_id, statement.moderator_id, statement.account_id) if actor_id is not None}
    notes = await object_store.by_ids(session, [statement.object_id for _, statement in pairs
                                                if statement.object_id is not None])
    views = {view.note.id: view for view in await status_views(session, list(notes.values()))}
    return (await actor_store.by_ids(session, actor_ids),
            {statement.id: views[statement.object_id] for _, statement in pairs if statement.object_id in views})


def may_decide(moderator: Actor, found: Appeal, statement: Statement) -> bool:
    """An appeal is decided by another moderator: not the one who took the decision, nor the
    one who appealed (a moderator appealing a decision about themselves)."""
    return moderator.id not in (statement.moderator_id, found.account_id)


async def pending_summary(session: Session) -> tuple[int, datetime | None]:
    """How many appeals wait for a moderator, and since when the oldest waits."""
    return await store.pending_appeals_summary(session)


async def find_appeal(session: Session, appeal_id: int | None) -> tuple[Appeal, Statement]:
    found = await store.appeal_by_id(session, appeal_id) if appeal_id is not None else None
    if found is None:
        raise NotFound("Record not found")
    return found, await store.statement_by_id(session, found.statement_id)


async def decide(rt: Runtime, session: Session, moderator: Actor, appeal_id: int | None, outcome: str,
                 explanation: str) -> tuple[Appeal, Statement]:
    """Uphold or reverse (OUTCOMES) a pending appeal, with an explanation the appellant reads.
    403 for the moderator who took the decision and for the appellant; 422 if it was decided."""
    found, statement = await find_appeal(session, appeal_id)
    if not may_decide(moderator, found, statement):
        raise Forbidden("a different moderator decides this appeal: not the one who took the decision, "
                        "nor the one who appealed")
    if found.state != "pending":
        raise Unprocessable(f"this appeal was {found.state} already")
    explanation = explanation.strip()
    if not explanation or len(explanation) > GROUNDS_LIMIT:
        raise Unprocessable(f"explain the outcome (up to {GROUNDS_LIMIT} characters): the appellant reads it")
    now = rt.clock.now()
    if outcome == "reverse":
        if statement.room_id is not None:
            await _reverse_in_room(rt, session, moderator, statement, explanation)
        else:
            await _reverse(rt, session, moderator, statement, explanation)
        statement.reversed_at = now  # a room's decision too: its subject reads that it was reversed
    found.state, found.outcome, found.decided_by_id, found.decided_at = OUTCOMES[outcome], explanation, moderator.id, now
    await session.flush()
    await audit.record(session, by=moderator, action=f"appeal.{outcome}",
                       target=("appeal", found.id, f"decision {statement.id}"), now=now, reason=explanation,
                       statement_id=statement.id)
    return found, statement


async def _reverse_in_room(rt: Runtime, session: Session, moderator: Actor, statement: Statement,
                           explanation: str) -> None:
    """A room's decision undone in the room: a ban lifted, a refused, rejected or removed post
    shared after all; a refused join needs nothing (they may ask again). The appeal's decider
    need not moderate the hub."""
    target = await find_room(session, None, statement.room_id)
    reason = f"appeal upheld: {explanation}"[:1000]
    try:
        if statement.action == "ban" and statement.account_id is not None:
            await members.unban(rt, session, moderator, target, statement.account_id, reason)
        elif statement.action in ("reject", "remove", "refuse"):
            await queue.reinstate(rt, session, moderator, target, statement.object_id, reason)
    except NotFound:
        pass  # undone in the room already


async def _reverse(rt: Runtime, session: Session, moderator: Actor, statement: Statement, explanation: str) -> None:
    """Undo what the statement decided: a removed post is restored (while it is kept), an account
    restriction is lifted (if it still holds)."""
    if statement.action == "remove" and statement.room_id is None:
        await restore_removed(rt, session, moderator, statement)
        return
    if statement.object_id is not None or statement.room_id is not None or statement.action not in _UNDO:
        raise Unprocessable(f"reversing a {statement.action} decision through its appeal is not possible yet "
                            "(account decisions and post removals are): undo it where it was taken")
    target = await accounts.find_account(session, statement.account_id)
    if getattr(target, accounts.STATE_FIELDS[statement.action]) is not None:
        await accounts.undo(rt, session, by=moderator, target=target, reversal=_UNDO[statement.action],
                            reason=explanation, statement_id=statement.id)
