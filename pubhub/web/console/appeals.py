"""Appeals in the console, for the roles the API lets decide them (`manage_appeals`):

    GET  /admin/appeals               pending ones (?show=upheld, reversed, or all: pending first)
    GET  /admin/appeals/{id}          one appeal: who appealed, the decision and its post, the form
    POST /admin/appeals/{id}/decide   uphold or reverse it, with the explanation the appellant reads

Deciding is moderation/appeals.decide, as the API's uphold and reverse: a different moderator
decides (the one who took the decision, or who appealed, is refused with the domain's 403), once
(422), with an explanation (422). Reversing undoes the decision, so it needs the confirmation box
ticked: without it, the form comes back and nothing changes. The post a decision is about is
shown as stored (sanitised HTML, or ours composed escaped) and, when it was removed, as its
statement keeps it for the appeal period.
"""

from __future__ import annotations

from aiohttp import web

from ...errors import Unprocessable
from ...http.keys import runtime
from ...moderation import appeals as moderation
from ...store.models import parse_id
from .access import Visit, form, page, require, see_other, shown

SHOWN = 100
VIEWS = {"pending": "pending", "upheld": "upheld", "reversed": "reversed", "all": None}


@page
async def list_appeals(request: web.Request, visit: Visit) -> web.Response:
    rt = runtime(request)
    show = shown(request, VIEWS, "pending")
    async with rt.db.read() as session:
        await require(session, visit, "manage_appeals")
        found = await moderation.appeals_page(session, state=VIEWS[show], limit=SHOWN)
        accounts, _posts = await moderation.appeal_details(session, found)
    return visit.page("console/appeals.html", title=visit._("Appeals"), appeals=found, accounts=accounts, show=show)


async def _appeal_page(request: web.Request, visit: Visit, *, status: int = 200, error: str = "",
                       values: dict | None = None) -> web.Response:
    rt = runtime(request)
    async with rt.db.read() as session:
        await require(session, visit, "manage_appeals")
        found, statement = await moderation.find_appeal(session, parse_id(request.match_info["id"]))
        accounts, posts = await moderation.appeal_details(session, [(found, statement)])
    return visit.page("console/appeal.html", title=visit._("Appeal %(id)s", id=found.id), status=status,
                      appeal=found, statement=statement, accounts=accounts, post_view=posts.get(statement.id),
                      may_decide=moderation.may_decide(visit.account, found, statement), error=error,
                      values=values or {})


@page
async def show_appeal(request: web.Request, visit: Visit) -> web.Response:
    return await _appeal_page(request, visit)


@form
async def decide(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
    rt = runtime(request)
    outcome = fields.get("outcome", "")
    appeal_id = parse_id(request.match_info["id"])
    if outcome not in moderation.OUTCOMES:
        return await _appeal_page(request, visit, status=422, values=fields, error=visit._(
            "Choose whether to uphold or to reverse the decision."))
    if outcome == "reverse" and fields.get("confirm") != "yes":
        return await _appeal_page(request, visit, status=422, values=fields, error=visit._(
            "Tick the box to confirm: reversing undoes the decision."))
    try:
        async with rt.db.write() as session:
            await require(session, visit, "manage_appeals")
            await moderation.decide(rt, session, visit.account, appeal_id, outcome, fields.get("explanation", "")[:5000])
    except Unprocessable as error:
        return await _appeal_page(request, visit, status=422, values=fields, error=visit._(error.message))
    return see_other(f"/admin/appeals/{appeal_id}")
