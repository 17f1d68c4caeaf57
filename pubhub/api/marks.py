"""Bookmarks and pins as Mastodon has them: POST /api/v1/statuses/:id/bookmark, /unbookmark,
/pin, /unpin (each answers the status as the viewer now sees it) and GET /api/v1/bookmarks
(paged by the bookmark's id, with the Link header)."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import marks
from .interactions import act_on_status
from .paging import bounds_of, link_header
from .schemas import TimelinePage
from .serializers import statuses_json


@requires("write:bookmarks")
async def bookmark(request: web.Request, principal: Principal) -> web.Response:
    return await act_on_status(request, principal, marks.bookmark)


@requires("write:bookmarks")
async def unbookmark(request: web.Request, principal: Principal) -> web.Response:
    return await act_on_status(request, principal, marks.unbookmark)


@requires("read:bookmarks")
async def bookmarks(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, TimelinePage)
    views, read_ids = await marks.bookmarks(runtime(request).db, principal.account, bounds_of(page))
    return ok(statuses_json(views, runtime(request).domain), headers=link_header(request, read_ids, page.limit))


@requires("write:accounts")
async def pin(request: web.Request, principal: Principal) -> web.Response:
    return await act_on_status(request, principal, marks.pin)


@requires("write:accounts")
async def unpin(request: web.Request, principal: Principal) -> web.Response:
    return await act_on_status(request, principal, marks.unpin)
