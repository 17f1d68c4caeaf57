"""Reports for users: `POST /api/v1/reports` (Mastodon's) and the reporter's own reports with
their outcome (`GET /api/v1/pubhub/reports`)."""

from __future__ import annotations

from typing import Literal

from aiohttp import web
from pydantic import Field

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import Flag, IdText, Params, Text, ok, read_params
from ..http.principal import requires
from ..moderation.flags import report_and_forward
from ..moderation.reports import COMMENT_LIMIT, STATUS_LIMIT, ReportRequest, own_reports
from ..store.models import parse_id
from .paging import link_header, page_bounds
from .report_serializers import outcome_json, report_json
from .schemas import Page


class NewReport(Params):
    account_id: IdText
    status_ids: list[IdText] = Field(default_factory=list, max_length=STATUS_LIMIT)
    comment: Text(COMMENT_LIMIT) = ""
    category: Literal["other", "spam", "legal", "violation"] | None = None
    rule_ids: list[IdText] = Field(default_factory=list, max_length=50)
    forward: Flag = None


@requires("write:reports")
async def create_report(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, NewReport)
    wanted = ReportRequest(
        account_id=parse_id(data.account_id), status_ids=[parse_id(i) for i in data.status_ids],
        comment=data.comment, category=data.category, rule_ids=[parse_id(i) for i in data.rule_ids],
        forward=bool(data.forward))
    report, target = await report_and_forward(rt, principal.account, wanted)
    return ok(report_json(report, target, rt.domain))


@requires("read:accounts")
async def my_reports(request: web.Request, principal: Principal) -> web.Response:
    """The caller's own reports, newest first, with their state and, once decided with one, the
    statement of reasons (what was decided and why)."""
    rt = runtime(request)
    page = await read_params(request, Page)
    async with rt.db.read() as session:
        reports, statements, targets = await own_reports(session, principal.account, **page_bounds(page))
    body = [outcome_json(report, targets[report.target_account_id], statements.get(report.id), rt.domain)
            for report in reports]
    return ok(body, headers=link_header(request, [report.id for report in reports], page.limit))
