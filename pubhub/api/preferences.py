"""What apps ask for right after signing in: the account's preferences, custom emojis, filters
and timeline markers. PubHub has no custom emojis or filters yet: those lists are empty."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social.markers import markers_of, save_markers
from ..store.models import Marker
from .schemas import MarkersQuery, NoParams, SaveMarkers


@requires("read:accounts")
async def preferences(request: web.Request, principal: Principal) -> web.Response:
    """Mastodon's defaults: there are no per-account posting or reading settings yet."""
    await read_params(request, NoParams)
    return ok({"posting:default:visibility": "public", "posting:default:sensitive": False,
               "posting:default:language": None, "reading:expand:media": "default",
               "reading:expand:spoilers": False})


async def custom_emojis(request: web.Request) -> web.Response:
    """No token needed, as in Mastodon."""
    await read_params(request, NoParams)
    return ok([])


@requires("read:filters")
async def filters_v1(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    return ok([])


@requires("read:filters")
async def filters_v2(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    return ok([])


def _markers_json(markers: list[Marker]) -> dict:
    return {m.timeline: {"last_read_id": m.last_read_id, "version": m.version, "updated_at": iso(m.updated_at)}
            for m in markers}


@requires("read:statuses")
async def get_markers(request: web.Request, principal: Principal) -> web.Response:
    data = await read_params(request, MarkersQuery)
    return ok(_markers_json(await markers_of(runtime(request), principal.account, data.timelines)))


@requires("write:statuses")
async def post_markers(request: web.Request, principal: Principal) -> web.Response:
    data = await read_params(request, SaveMarkers)
    positions = {name: marker.last_read_id for name, marker in (("home", data.home), ("notifications", data.notifications))
                 if marker is not None}
    return ok(_markers_json(await save_markers(runtime(request), principal.account, positions)))
