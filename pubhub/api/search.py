"""Search as apps use it: GET /api/v2/search (accounts, hashtags, statuses by URL) and a
hashtag's own entity, GET /api/v1/tags/:name."""

from __future__ import annotations

from aiohttp import web

from ..accounts.local import account_counts
from ..accounts.principal import Principal
from ..errors import BadRequest, NotFound
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import reading, search
from ..social.visibility import Viewer
from .schemas import NoParams, Search
from .serializers import account_json, statuses_json


def tag_json(request: web.Request, name: str) -> dict:
    """Mastodon's Tag (no usage history is kept; following hashtags is not offered yet)."""
    return {"name": name, "url": runtime(request).urls.tag(name), "history": [], "following": False}


@requires("read:search")
async def search_v2(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, Search)
    if not data.q.strip():
        raise BadRequest("Validation failed: q: can't be blank", status=422)
    query = search.Query(data.q, resolve=bool(data.resolve), limit=data.limit, offset=data.offset)
    wanted = {data.type} if data.type else {"accounts", "hashtags", "statuses"}
    body = {"accounts": [], "statuses": [], "hashtags": []}
    if "accounts" in wanted:
        body["accounts"] = [account_json(actor, rt.domain, await account_counts(rt.db, actor))
                            for actor in await search.accounts(rt, query)]
    if "hashtags" in wanted:
        body["hashtags"] = [tag_json(request, name) for name, _ in await search.hashtags(rt, query)]
    if "statuses" in wanted:
        found = await search.statuses(rt, Viewer(principal.account), query)
        body["statuses"] = statuses_json(await reading.views(rt.db, found), rt.domain)
    return ok(body)


async def get_tag(request: web.Request) -> web.Response:
    """A hashtag that public posts here carry (404 for one none does); no token needed, as in
    Mastodon."""
    await read_params(request, NoParams)
    name = request.match_info["name"].lstrip("#").lower()
    found = await search.hashtags(runtime(request), search.Query(name, limit=200))
    if name not in {tag for tag, _ in found}:
        raise NotFound("Record not found")
    return ok(tag_json(request, name))
