"""PubHub's: a moderator removes a post with a statement of reasons
(`POST /api/v1/pubhub/statuses/:id/remove`), for admins and moderators granted manage_reports."""

from __future__ import annotations

from typing import Literal

from aiohttp import web

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..errors import NotFound
from ..http.keys import runtime
from ..http.params import IdText, Params, Text, ok, read_params
from ..http.principal import requires
from ..accountability.reasons import GROUNDS_LIMIT, Grounds
from ..moderation.removals import remove_status
from ..social import reading
from ..store.models import Statement, parse_id
from .paging import bound
from .serializers import statuses_json


class Removal(Params):
    kind: Literal["rule", "room_rule", "law"]
    text: Text(GROUNDS_LIMIT)
    facts: Text(GROUNDS_LIMIT) = ""
    report_id: IdText | None = None


def statement_json(statement: Statement) -> dict:
    return {
        "id": str(statement.id), "action": statement.action,
        "status_id": str(statement.object_id) if statement.object_id else None, "status_uri": statement.object_uri,
        "account_id": str(statement.account_id) if statement.account_id else None,
        "report_id": str(statement.report_id) if statement.report_id else None,
        "ground_kind": statement.ground_kind, "ground": statement.ground, "facts": statement.facts,
        "automated": statement.automated, "redress": statement.redress, "created_at": iso(statement.created_at),
    }


@requires("admin:write:reports", permission="manage_reports")
async def remove(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, Removal)
    report_id = bound(data.report_id) if data.report_id else None
    if data.report_id and report_id is None:
        raise NotFound("Record not found")  # an id that cannot exist
    statement, snapshot = await remove_status(
        rt, principal.account, parse_id(request.match_info["id"]), Grounds(data.kind, data.text, data.facts),
        report_id=report_id)
    status = statuses_json(await reading.views(rt.db, [snapshot]), rt.domain)[0]
    return ok({"statement": statement_json(statement), "status": status})
