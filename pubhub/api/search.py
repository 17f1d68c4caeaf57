"""Search as apps use it: GET /api/v2/search (accounts, hashtags, statuses by URL)."""

from __future__ import annotations

from aiohttp import web

from ..accounts.local import account_counts
from ..accounts.principal import Principal
from ..errors import BadRequest
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import hashtags, reading, search
from ..social.visibility import Viewer
from .schemas import Search
from .serializers import account_json, statuses_json
from .tags import tag_json


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
        found = await hashtags.views_of(rt, [name for name, _ in await search.hashtags(rt, query)], principal.account)
        body["hashtags"] = [tag_json(request, tag) for tag in found]
    if "statuses" in wanted:
        found = await search.statuses(rt, Viewer(principal.account), query)
        body["statuses"] = statuses_json(await reading.views(rt.db, found), rt.domain)
    return ok(body)
