"""Reports in the console, for the roles the API lets handle them (`manage_reports`):

    GET  /admin/reports               open ones (?show=resolved, ?show=all: open first); the newest
                                      100, and ?max_id= the 100 before (not for ?show=all)
    GET  /admin/reports/{id}          one report: who, what, the posts, and the resolve form
    POST /admin/reports/{id}/resolve  a decision (moderation/resolutions.py) with its ground
    POST /admin/reports/{id}/forward  a report about another server's account sent on to it, as
                                      the admin API's forward (moderation/flags.forward_report)

The reported posts are shown as stored: sanitised HTML (remote) or composed escaped (ours), as
the public pages show them. The reporter is shown as the admin API shows it to moderators: a
local account, another server's domain (a Flag names no one), a notice's name and address if
given. Removing posts and suspending need the confirmation box ticked: without it, the form
comes back and nothing changes.
"""

from __future__ import annotations

from aiohttp import web

from ...errors import Unprocessable
from ...http.keys import runtime
from ...moderation import reports as moderation
from ...moderation.flags import forward_report, forwardable
from ...moderation.permissions import role_allows
from ...moderation.resolutions import ACTIONS, DESTRUCTIVE, grounds_for, resolve_report
from ...store.models import parse_id
from .access import Visit, form, next_page, older_than, page, require, see_other, shown

SHOWN = 100
VIEWS = ("unresolved", "resolved", "all")


@page
async def list_reports(request: web.Request, visit: Visit) -> web.Response:
    rt = runtime(request)
    show = shown(request, VIEWS, "unresolved")
    async with rt.db.read() as session:
        await require(session, visit, "manage_reports")
        found = []
        below = older_than(request) if show != "all" else None  # one state's list pages on; "all" is two
        for resolved in {"unresolved": (False,), "resolved": (True,), "all": (False, True)}[show]:
            found += await moderation.reports_page(session, limit=SHOWN, resolved=resolved, max_id=below)
        accounts, statuses, _rules = await moderation.report_details(session, found)
    older = next_page(request, [report.id for report in found], SHOWN) if show != "all" else None
    return visit.page("console/reports.html", title=visit._("Reports"), reports=found, accounts=accounts,
                      statuses=statuses, show=show, older=older)


async def _report_page(request: web.Request, visit: Visit, *, status: int = 200, error: str = "",
                       values: dict | None = None) -> web.Response:
    rt = runtime(request)
    async with rt.db.read() as session:
        await require(session, visit, "manage_reports")
        report = await moderation.find_report(session, parse_id(request.match_info["id"]))
        accounts, statuses, rules = await moderation.report_details(session, [report])
        views = statuses[report.id]
        grounds = await grounds_for(session, visit.account, [view.note for view in views])
        statement = (await moderation.statements_of(session, [report])).get(report.id)
        may_restrict = await role_allows(session, visit.account.role, "manage_users")
    actions = [action for action in ACTIONS if may_restrict or ACTIONS[action] == "manage_reports"]
    if not any(view.note.deleted_at is None for view in views):
        actions.remove("remove")
    return visit.page("console/report.html", title=visit._("Report %(id)s", id=report.id), status=status,
                      report=report, accounts=accounts, posts=views, rules=[rules[i] for i in report.rule_ids or []
                                                                            if i in rules],
                      grounds=grounds, statement=statement, actions=actions, destructive=DESTRUCTIVE, error=error,
                      values=values or {}, forwardable=forwardable(accounts.get(report.target_account_id)))


@page
async def show_report(request: web.Request, visit: Visit) -> web.Response:
    return await _report_page(request, visit)


@form
async def resolve(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
    action = fields.get("action", "")
    report_id = parse_id(request.match_info["id"])
    if action in DESTRUCTIVE and fields.get("confirm") != "yes":
        return await _report_page(request, visit, status=422, values=fields, error=visit._(
            "Tick the box to confirm: this cannot simply be undone."))
    pick = (fields.get("ground", ""), fields.get("law", "")[:5000], fields.get("facts", "")[:5000])
    try:
        await resolve_report(runtime(request), visit.account, report_id, action, pick)
    except Unprocessable as error:
        return await _report_page(request, visit, status=422, values=fields, error=visit._(error.message))
    return see_other(f"/admin/reports/{report_id}")


@form
async def forward(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
    """Its refusals (one of ours, an account gone) are pages (422); forwarded already: as it is."""
    rt = runtime(request)
    report_id = parse_id(request.match_info["id"])
    await rt.instance_signer()  # the Flag's signer exists before the transaction
    async with rt.db.write() as session:
        await require(session, visit, "manage_reports")
        await forward_report(rt, session, await moderation.find_report(session, report_id), by=visit.account)
    return see_other(f"/admin/reports/{report_id}")
