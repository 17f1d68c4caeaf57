"""Timelines: GET /api/v1/timelines/home, /public, /tag/:hashtag and
/api/v1/accounts/:id/statuses, with Mastodon's pagination (max_id, since_id, min_id, limit) and
its Link header."""

from __future__ import annotations

import re

from aiohttp import web

from ..accounts.principal import Principal
from ..errors import NotFound
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import timelines
from ..social.visibility import Viewer
from ..store.models import parse_id
from .paging import bounds_of, link_header
from .schemas import AccountStatuses, TimelinePage
from .serializers import statuses_json

HASHTAG = re.compile(r"^\w{1,100}$")


def _answer(request: web.Request, page, limit: int) -> web.Response:
    views, read_ids = page
    return ok(statuses_json(views, runtime(request).domain), headers=link_header(request, read_ids, limit))


def _where(page: TimelinePage) -> bool | None:
    """local=true: ours only; remote=true: other servers' only; neither: both."""
    if page.local:
        return True
    return False if page.remote else None


@requires("read:statuses")
async def home(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, TimelinePage)
    return _answer(request, await timelines.home(runtime(request).db, principal.account, bounds_of(page)), page.limit)


@requires("read:statuses")
async def public(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, TimelinePage)
    found = await timelines.public(runtime(request).db, Viewer(principal.account), bounds_of(page), local=_where(page),
                                   only_media=bool(page.only_media))
    return _answer(request, found, page.limit)


@requires("read:statuses")
async def hashtag(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, TimelinePage)
    name = request.match_info["hashtag"].lstrip("#")
    if not HASHTAG.match(name):
        raise NotFound("Record not found")
    found = await timelines.hashtag(runtime(request).db, Viewer(principal.account), name, bounds_of(page),
                                    local=_where(page))
    return _answer(request, found, page.limit)


@requires("read:statuses")
async def account_statuses(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, AccountStatuses)
    found = await timelines.of_account(
        runtime(request).db, Viewer(principal.account), parse_id(request.match_info["id"]), bounds_of(page),
        exclude_replies=bool(page.exclude_replies), only_media=bool(page.only_media), pinned=bool(page.pinned),
        exclude_reblogs=bool(page.exclude_reblogs))
    return _answer(request, found, page.limit)
