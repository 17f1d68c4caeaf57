"""PubHub's own: statements of reasons and appeals (EU Digital Services Act, art. 17 and 20).
The affected account reads the decisions about it and appeals each once, even while it is
suspended or disabled (its token is taken here, and only here); moderators with
manage_appeals decide the appeals of decisions they did not take."""

from __future__ import annotations

from typing import Literal

from aiohttp import web

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import Params, Text, ok, read_params
from ..http.principal import requires
from ..moderation import appeals
from ..accountability.reasons import GROUNDS_LIMIT
from ..store.models import Appeal, Statement, parse_id
from .paging import link_header, page_bounds
from .schemas import Limit, NoParams, Page


class AppealText(Params):
    text: Text(GROUNDS_LIMIT) = ""


class Explanation(Params):
    explanation: Text(GROUNDS_LIMIT) = ""


class AppealList(Params):
    state: Literal["pending", "upheld", "reversed"] | None = None
    limit: Limit = 40


def appeal_json(appeal: Appeal | None) -> dict | None:
    if appeal is None:
        return None
    return {"id": str(appeal.id), "text": appeal.text, "state": appeal.state, "outcome": appeal.outcome or None,
            "created_at": iso(appeal.created_at), "decided_at": iso(appeal.decided_at) if appeal.decided_at else None}


def decision_json(statement: Statement, appeal: Appeal | None) -> dict:
    """A statement of reasons as its subject reads it: what was decided about what, on which
    ground and facts, whether automatically, how to seek redress, and the appeal's state."""
    on_status = statement.object_id is not None or statement.object_uri is not None
    return {
        "id": str(statement.id), "action": statement.action,
        "target": {"type": "status" if on_status else "account",
                   "account_id": str(statement.account_id) if statement.account_id else None,
                   "status_id": str(statement.object_id) if statement.object_id else None,
                   "uri": statement.object_uri},
        "ground_kind": statement.ground_kind, "ground": statement.ground, "facts": statement.facts,
        "automated": statement.automated, "redress": statement.redress,
        "hub_id": str(statement.hub_id) if statement.hub_id else None,
        "room_id": str(statement.room_id) if statement.room_id else None,
        "created_at": iso(statement.created_at),
        "reversed_at": iso(statement.reversed_at) if statement.reversed_at else None,
        "appeal": appeal_json(appeal),
    }


@requires("read:accounts", restricted_ok=True)
async def list_decisions(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, Page)
    async with runtime(request).db.read() as session:
        found = await appeals.decisions_about(session, principal.account, **page_bounds(page))
    return ok([decision_json(*pair) for pair in found],
              headers=link_header(request, [statement.id for statement, _ in found], page.limit))


@requires("read:accounts", restricted_ok=True)
async def get_decision(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    async with runtime(request).db.read() as session:
        found = await appeals.decision_about(session, principal.account, parse_id(request.match_info["id"]))
    return ok(decision_json(*found))


@requires("write:accounts", restricted_ok=True)
async def appeal_decision(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    params = await read_params(request, AppealText)
    async with rt.db.write() as session:
        made = await appeals.appeal(rt, session, principal.account, parse_id(request.match_info["id"]), params.text)
        statement, _ = await appeals.decision_about(session, principal.account, made.statement_id)
        return ok(decision_json(statement, made))


def moderator_appeal_json(appeal: Appeal, statement: Statement) -> dict:
    return {**appeal_json(appeal), "account_id": str(appeal.account_id),
            "decided_by_id": str(appeal.decided_by_id) if appeal.decided_by_id else None,
            "decision": {**decision_json(statement, None), "moderator_id": str(statement.moderator_id)
                         if statement.moderator_id else None}}


@requires("admin:read:accounts", permission="manage_appeals")
async def list_appeals(request: web.Request, principal: Principal) -> web.Response:
    params = await read_params(request, AppealList)
    async with runtime(request).db.read() as session:
        found = await appeals.appeals_page(session, state=params.state, limit=params.limit)
    return ok([moderator_appeal_json(*pair) for pair in found])


def _deciding(outcome: str):
    @requires("admin:write:accounts", permission="manage_appeals")
    async def decide(request: web.Request, principal: Principal) -> web.Response:
        rt = runtime(request)
        params = await read_params(request, Explanation)
        appeal_id = parse_id(request.match_info["id"])
        async with rt.db.write() as session:
            found = await appeals.decide(rt, session, principal.account, appeal_id, outcome, params.explanation)
            return ok(moderator_appeal_json(*found))

    decide.__name__ = decide.__qualname__ = f"{outcome}_appeal"
    return decide


uphold_appeal, reverse_appeal = _deciding("uphold"), _deciding("reverse")

