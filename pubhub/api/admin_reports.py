"""Mastodon's admin reports (`/api/v1/admin/reports`): for admins, and for moderators while the
instance grants the role `manage_reports` (moderation.permissions). Every change is audited by
moderation.reports."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import Flag, IdText, ok, read_params
from ..http.principal import requires
from ..moderation import reports as moderation
from ..moderation.flags import forward_report
from ..moderation.permissions import moderator_grant
from ..runtime import Runtime
from ..store.db import Session
from ..store.models import Report, parse_id
from .paging import bound, link_header, page_bounds
from .report_serializers import admin_report_json
from .schemas import NoParams, Page

MANAGE = "manage_reports"


class ReportFilter(Page):
    resolved: Flag = None
    unresolved: Flag = None  # Mastodon.py: with resolved, both kinds
    account_id: IdText | None = None
    target_account_id: IdText | None = None


def _report_id(request: web.Request) -> int | None:
    return parse_id(request.match_info["id"])


async def shown(rt: Runtime, session: Session, reports: list[Report]) -> list[dict]:
    accounts, statuses, rules = await moderation.report_details(session, reports)
    grant = await moderator_grant(session)
    return [admin_report_json(report, accounts, statuses[report.id], rules, rt.settings, grant) for report in reports]


@requires("admin:read:reports", permission=MANAGE)
async def list_reports(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    query = await read_params(request, ReportFilter)
    # Mastodon's filter: resolved ones with resolved=true, else the open ones (Mastodon.py asks
    # for both with resolved and unresolved).
    resolved = None if query.resolved and query.unresolved else bool(query.resolved)
    named = {"account_id": query.account_id, "target_account_id": query.target_account_id}
    filters = {name: bound(value) for name, value in named.items()}
    if any(value and filters[name] is None for name, value in named.items()):
        return ok([])  # an id that cannot exist matches nothing
    async with rt.db.read() as session:
        reports = await moderation.reports_page(session, **page_bounds(query), resolved=resolved,
                                                **filters)
        body = await shown(rt, session, reports)
    return ok(body, headers=link_header(request, [report.id for report in reports], query.limit))


@requires("admin:read:reports", permission=MANAGE)
async def get_report(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.read() as session:
        report = await moderation.find_report(session, _report_id(request))
        return ok((await shown(rt, session, [report]))[0])


async def _changed(request: web.Request, principal: Principal, change) -> web.Response:
    """Run `change(session, by, report_id, now)` on the report and answer it as it is after."""
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.write() as session:
        report = await change(session, principal.account, _report_id(request), now=rt.clock.now())
        return ok((await shown(rt, session, [report]))[0])


@requires("admin:write:reports", permission=MANAGE)
async def assign_to_self(request: web.Request, principal: Principal) -> web.Response:
    async def change(session, by, report_id, *, now):
        return await moderation.assign(session, by, report_id, to=by, now=now)
    return await _changed(request, principal, change)


@requires("admin:write:reports", permission=MANAGE)
async def unassign(request: web.Request, principal: Principal) -> web.Response:
    async def change(session, by, report_id, *, now):
        return await moderation.assign(session, by, report_id, to=None, now=now)
    return await _changed(request, principal, change)


@requires("admin:write:reports", permission=MANAGE)
async def resolve(request: web.Request, principal: Principal) -> web.Response:
    return await _changed(request, principal, moderation.resolve)


@requires("admin:write:reports", permission=MANAGE)
async def reopen(request: web.Request, principal: Principal) -> web.Response:
    return await _changed(request, principal, moderation.reopen)


@requires("admin:write:reports", permission=MANAGE)
async def forward(request: web.Request, principal: Principal) -> web.Response:
    """PubHub's: send a report about a remote account on to its server (a Flag from the
    instance actor, without the reporter)."""
    rt = runtime(request)
    await read_params(request, NoParams)
    await rt.instance_signer()  # the Flag's signer exists before the transaction
    async with rt.db.write() as session:
        report = await moderation.find_report(session, _report_id(request))
        await forward_report(rt, session, report, by=principal.account)
        return ok((await shown(rt, session, [report]))[0])
