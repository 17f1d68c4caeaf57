"""Hashtags as Mastodon's client API has them: GET /api/v1/tags/:name (no token needed; with
one, `following`), POST /api/v1/tags/:name/follow and /unfollow (write:follows; answered with
the Tag), GET /api/v1/followed_tags (read:follows; Mastodon's paging by the follow's id, 100 by
default, Link header). A name that is no hashtag is a 404 with a JSON error saying so."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import optional_principal, requires
from ..social import hashtags
from ..social.hashtags import TagView
from .paging import bounds_of, link_header
from .schemas import FollowedTagsPage, NoParams


def tag_json(request: web.Request, tag: TagView) -> dict:
    """Mastodon's Tag; `following` only for a signed-in account."""
    body = {"name": tag.name, "url": runtime(request).urls.tag(tag.name), "history": tag.history}
    if tag.following is not None:
        body["following"] = tag.following
    return body


async def get_tag(request: web.Request) -> web.Response:
    await read_params(request, NoParams)
    principal = await optional_principal(request)
    found = await hashtags.tag(runtime(request), request.match_info["name"], principal and principal.account)
    return ok(tag_json(request, found))


@requires("write:follows")
async def follow(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    return ok(tag_json(request, await hashtags.follow(runtime(request), principal.account, request.match_info["name"])))


@requires("write:follows")
async def unfollow(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    return ok(tag_json(request, await hashtags.unfollow(runtime(request), principal.account, request.match_info["name"])))


@requires("read:follows")
async def followed_tags(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, FollowedTagsPage)
    found, ids = await hashtags.followed(runtime(request), principal.account, bounds_of(page))
    return ok([tag_json(request, tag) for tag in found], headers=link_header(request, ids, page.limit))
