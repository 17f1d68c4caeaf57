"""The dashboard (`GET /admin`): what waits for this moderator. Open reports and pending appeals
when the instance lets their role handle them (moderation.permissions, as the API's
`manage_reports` and `manage_appeals`), the pre-moderation queue of every room they may act on
(rooms.queue.queues: an admin's every room, a hub moderator's own hubs'), and the item that has
waited longest among them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from ...http.keys import runtime
from ...moderation.appeals import pending_summary
from ...moderation.permissions import role_allows
from ...moderation.reports import open_summary
from ...rooms.queue import queues
from .access import Visit, page


@dataclass(frozen=True)
class Waiting:
    what: str  # said in the page's language
    since: datetime
    link: str | None = None


def _oldest(visit: Visit, reports, appeals, rooms) -> Waiting | None:
    candidates = []
    if reports is not None and reports[1] is not None:
        candidates.append(Waiting(visit._("the oldest open report"), reports[1], "/admin/reports"))
    if appeals is not None and appeals[1] is not None:
        candidates.append(Waiting(visit._("the oldest pending appeal"), appeals[1], "/admin/appeals"))
    for queue in rooms:
        if queue.oldest is not None:
            name = queue.room.actor.display_name or queue.room.actor.username
            candidates.append(Waiting(visit._("a post in the queue of %(room)s", room=name), queue.oldest))
    return min(candidates, key=lambda waiting: waiting.since, default=None)


@page
async def dashboard(request: web.Request, visit: Visit) -> web.Response:
    rt = runtime(request)
    role = visit.account.role
    async with rt.db.read() as session:
        reports = await open_summary(session) if await role_allows(session, role, "manage_reports") else None
        appeals = await pending_summary(session) if await role_allows(session, role, "manage_appeals") else None
        rooms = await queues(session, visit.account)
    return visit.page("console/dashboard.html", title=visit._("Dashboard"), reports=reports, appeals=appeals,
                      rooms=rooms, oldest=_oldest(visit, reports, appeals, rooms))
