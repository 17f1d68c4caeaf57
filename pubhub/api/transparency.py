"""The transparency report, for anyone (no token): `GET /api/v1/pubhub/transparency?from=&to=`,
in JSON, or in CSV with `Accept: text/csv`. The figures are moderation/transparency.py's."""

from __future__ import annotations

import csv
import io

from aiohttp import web
from pydantic import Field

from ..http.keys import runtime
from ..http.negotiation import prefers_csv
from ..http.params import Params, Text, ok, read_params
from ..moderation.transparency import TransparencyReport, period, transparency_report


class TransparencyQuery(Params):
    from_: Text(32) | None = Field(default=None, alias="from")
    to: Text(32) | None = None


def as_csv(report: TransparencyReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["from", "to", "scope", "figure", "kind", "value"])
    first, last = report.period.first.isoformat(), report.period.last.isoformat()
    writer.writerows([first, last, *row] for row in report.rows())
    return out.getvalue()


async def chosen_report(request: web.Request) -> TransparencyReport:
    """The report for the period the query asks for (422 for a bad one)."""
    rt = runtime(request)
    query = await read_params(request, TransparencyQuery)
    return await transparency_report(rt.db, period(query.from_, query.to, rt.clock.now().date()))


async def show(request: web.Request) -> web.Response:
    report = await chosen_report(request)
    if prefers_csv(request):
        name = f"transparency-{report.period.first.isoformat()}-{report.period.last.isoformat()}.csv"
        return web.Response(text=as_csv(report), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'inline; filename="{name}"', "Vary": "Accept"})
    return ok(report.as_json(), headers={"Vary": "Accept"})
