"""The audit log in the console, for admins and moderators granted `view_audit_log` (as
`GET /api/v1/pubhub/audit_log`, through the same `accountability.audit.entries`):

    GET /admin/audit_log    the newest 100 entries first; ?action=, ?moderator= (a local
                            account's name), ?target_type= and ?target_id= narrow it;
                            ?max_id= the 100 before that entry (the page's "Older entries" link)

Read-only, as the log is: no form here changes an entry. A moderator name no account has
finds nothing (as the API's unknown account id), rather than the whole log.
"""

from __future__ import annotations

from aiohttp import web

from ...accountability import audit
from ...http.keys import runtime
from .access import Visit, next_page, older_than, page, require

SHOWN = 100
FILTERS = ("action", "moderator", "target_type", "target_id")


def _filters(request: web.Request) -> dict[str, str]:
    """The filters as typed, trimmed and bounded as the API's parameters are."""
    bounds = {"action": 64, "moderator": 30, "target_type": 32, "target_id": 2048}
    return {name: request.query.get(name, "").strip()[:bounds[name]] for name in FILTERS}


@page
async def audit_log(request: web.Request, visit: Visit) -> web.Response:
    chosen = _filters(request)
    async with runtime(request).db.read() as session:
        await require(session, visit, "view_audit_log")
        moderator = await audit.moderator_named(session, chosen["moderator"]) if chosen["moderator"] else None
        found = [] if chosen["moderator"] and moderator is None else await audit.entries(
            session, action=chosen["action"] or None, actor_id=moderator.id if moderator else None,
            target_type=chosen["target_type"] or None, target_id=chosen["target_id"] or None, limit=SHOWN,
            max_id=older_than(request))
    return visit.page("console/audit_log.html", title=visit._("Audit log"), entries=found, chosen=chosen,
                      target_types=audit.TARGET_TYPES, older=next_page(request, [e.id for e in found], SHOWN))
