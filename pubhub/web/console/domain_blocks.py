"""Domain blocks in the console, for admins and moderators granted `manage_federation` (as
`/api/v1/admin/domain_blocks`, through the same moderation/domain_blocks.py):

    GET  /admin/domain_blocks               the blocks, newest first, and the form for a new one
    POST /admin/domain_blocks               block a server: severity, reject media, public comment
    POST /admin/domain_blocks/{id}/remove   lift a block

A suspension removes what is stored of the server at once, and lifting a block lets it in
again: both need the confirmation box ticked; without it the page comes back (422) and nothing
changes. A block the domain refuses (not a domain name, blocked already) comes back the same way.
"""

from __future__ import annotations

from aiohttp import web

from ...errors import PubHubError
from ...http.keys import runtime
from ...moderation.domain_blocks import COMMENT_LIMIT, SEVERITIES, block_domain, blocks_page, unblock_domain
from ...store.models import parse_id
from .access import Visit, form, page, require, see_other

PATH = "/admin/domain_blocks"
SHOWN = 200
PERMISSION = "manage_federation"


async def _blocks_page(request: web.Request, visit: Visit, *, status: int = 200, error: str = "",
                       values: dict | None = None) -> web.Response:
    async with runtime(request).db.read() as session:
        await require(session, visit, PERMISSION)
        blocks = await blocks_page(session, limit=SHOWN)
    return visit.page("console/domain_blocks.html", title=visit._("Domain blocks"), status=status, blocks=blocks,
                      severities=SEVERITIES, limit=COMMENT_LIMIT, error=error, values=values or {})


@page
async def list_blocks(request: web.Request, visit: Visit) -> web.Response:
    return await _blocks_page(request, visit)


async def _refused_unless_confirmed(request: web.Request, visit: Visit, fields: dict[str, str],
                                    message: str) -> web.Response | None:
    if fields.get("confirm") == "yes":
        return None
    return await _blocks_page(request, visit, status=422, values=fields, error=message)


@form
async def create(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
    rt = runtime(request)
    severity = fields.get("severity", "silence")
    if severity == "suspend":
        refused = await _refused_unless_confirmed(request, visit, fields, visit._(
            "Tick the box to confirm the suspension: what is stored of the server is removed at once."))
        if refused:
            return refused
    try:
        async with rt.db.write() as session:
            await require(session, visit, PERMISSION)
            await block_domain(rt, session, fields.get("domain", "")[:253], by=visit.account, severity=severity,
                               reject_media=fields.get("reject_media") == "yes",
                               public_comment=fields.get("public_comment", "")[:COMMENT_LIMIT])
    except PubHubError as error:
        if error.status not in (400, 422):
            raise
        return await _blocks_page(request, visit, status=422, values=fields, error=visit._(error.message))
    return see_other(PATH)


@form
async def remove(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
    rt = runtime(request)
    refused = await _refused_unless_confirmed(request, visit, {**fields, "remove": request.match_info["id"]}, visit._(
        "Tick the box to confirm: the server's activities are taken in again."))
    if refused:
        return refused
    async with rt.db.write() as session:
        await require(session, visit, PERMISSION)
        await unblock_domain(rt, session, parse_id(request.match_info["id"]), by=visit.account)
    return see_other(PATH)
