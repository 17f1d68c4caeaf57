"""Statements of reasons (EU Digital Services Act, art. 17). Every decision that removes or
restricts content or an account, instance-wide or in a room, records one in the decision's own
transaction, together with its audit entry:

    statement = await reasons.record_decision(
        session, by=moderator, action="suspend", account=actor, now=rt.clock.now(),
        grounds=Grounds(kind="rule", text="2. No harassment", facts="Threatened a resident in three posts"))

The affected local user reads it and may appeal it once; a remote one learns of it from their
own server. `by` None is an automated decision (a room's or the instance's own policy), unless
the grounds say otherwise (an operator at the command line decides, but has no account).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import Unprocessable
from ..store import accountability as store
from ..store.db import Session
from ..store.models import Actor, Object, Statement
from . import audit

GROUND_KINDS = ("rule", "room_rule", "law")
# Decisions that restrict (the ones a statement is owed for), by what they act on.
ACCOUNT_ACTIONS = ("suspend", "silence", "sensitive", "disable", "ban", "refuse_join")
CONTENT_ACTIONS = ("remove", "reject", "refuse", "sensitive")
GROUNDS_LIMIT = 5000
REDRESS = (
    "You can appeal this decision once: in your app, or on the page of the affected post, or with "
    "POST /api/v1/pubhub/decisions/{id}/appeal. A moderator other than the one who decided reviews "
    "the appeal, and the outcome is shown with this statement. You may also turn to a certified "
    "out-of-court dispute settlement body (Digital Services Act, art. 21) or to a court.")


@dataclass(frozen=True)
class Grounds:
    """Why: `kind` is rule (an instance rule), room_rule or law; `text` the rule or the law and
    article applied; `facts` what was found."""

    kind: str
    text: str
    facts: str = ""
    automated: bool | None = None  # None: automated when no moderator decides (`by` None)

    def checked(self) -> "Grounds":
        if self.kind not in GROUND_KINDS:
            raise Unprocessable(f"the ground must be one of {', '.join(GROUND_KINDS)}")
        if not self.text.strip():
            raise Unprocessable("a decision must name its ground: the rule or the law it applies")
        if len(self.text) > GROUNDS_LIMIT or len(self.facts) > GROUNDS_LIMIT:
            raise Unprocessable(f"the ground and the facts are each at most {GROUNDS_LIMIT} characters")
        return self


async def record_decision(session: Session, *, by: Actor | None, action: str, grounds: Grounds, now: datetime,
                          account: Actor | None = None, status: Object | None = None, hub_id: int | None = None,
                          room_id: int | None = None, report_id: int | None = None) -> Statement:
    """The statement, and its audit entry ("status.remove", "account.suspend" ...)."""
    grounds = grounds.checked()
    assert action in (CONTENT_ACTIONS if status is not None else ACCOUNT_ACTIONS), action
    author_id = account.id if account is not None else (status.author_id if status is not None else None)
    statement = await store.add_statement(
        session, action=action, account_id=author_id, object_id=status.id if status is not None else None,
        object_uri=status.uri if status is not None else None, hub_id=hub_id, room_id=room_id, report_id=report_id,
        moderator_id=by.id if by is not None else None, facts=grounds.facts, ground_kind=grounds.kind,
        ground=grounds.text, automated=by is None if grounds.automated is None else grounds.automated, redress="", created_at=now)
    statement.redress = REDRESS.format(id=statement.id)  # the id is known once flushed
    target = ("status", status.id, status.uri) if status is not None else ("account", account.id, _acct(account))
    await audit.record(session, by=by, action=f"{target[0]}.{action}", target=target, now=now,
                       reason=grounds.facts or grounds.text, hub_id=hub_id, statement_id=statement.id)
    return statement


def _acct(actor: Actor | None) -> str:
    if actor is None:
        return ""
    return actor.username if actor.local else f"{actor.username}@{actor.domain}"
