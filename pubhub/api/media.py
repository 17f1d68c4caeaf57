"""Media uploads as Mastodon apps make them: POST /api/v2/media (and v1) with the image in a
multipart `file` field, alt text as `description` and a `focus`; then GET and PUT
/api/v1/media/:id until the upload is posted with a status (media_ids[])."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..errors import NotFound
from ..http.bodies import read_upload
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import media
from ..social.attachments import local_entries, media_entity
from ..store.models import MediaAttachment, parse_id
from .schemas import DescribeMedia, NoParams


def media_json(request: web.Request, item: MediaAttachment) -> dict:
    entry = local_entries([item], runtime(request).urls.media_file)[0]
    entity = media_entity(entry, str(item.id))
    entity["meta"]["small"] = {"width": item.preview_width, "height": item.preview_height,
                               "size": f"{item.preview_width}x{item.preview_height}",
                               "aspect": round(item.preview_width / item.preview_height, 6)}
    return entity


@requires("write:media")
async def upload(request: web.Request, principal: Principal) -> web.Response:
    """Images are processed before the answer, so v2 answers 200 with the URL at once (Mastodon
    answers 202 only while a video is still being transcoded)."""
    rt = runtime(request)
    data, fields = await read_upload(request, rt.settings.media_max_bytes)
    item = media.Upload(data=data, description=fields.get("description", ""),
                        focus=media.parse_focus(fields.get("focus")))
    return ok(media_json(request, await media.upload(rt, principal.account, item)))


@requires("write:media")
async def show(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    return ok(media_json(request, await media.own_upload(runtime(request), principal.account, _id(request))))


@requires("write:media")
async def update(request: web.Request, principal: Principal) -> web.Response:
    data = await read_params(request, DescribeMedia)
    item = await media.describe(runtime(request), principal.account, _id(request), data.description, data.focus)
    return ok(media_json(request, item))


def _id(request: web.Request) -> int:
    media_id = parse_id(request.match_info["id"])
    if media_id is None:
        raise NotFound("Record not found")
    return media_id
