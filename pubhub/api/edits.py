"""Editing a status: PUT /api/v1/statuses/:id, and its versions (GET .../history) and source
(GET .../source), as Mastodon has them."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..errors import Unprocessable
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import edits, reading
from ..social.visibility import Viewer
from ..store.models import parse_id
from .schemas import EditStatus, NoParams
from .serializers import status_edit_json, statuses_json


@requires("write:statuses")
async def edit_status(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, EditStatus)
    media_ids = None if data.media_ids is None else [parse_id(value) for value in data.media_ids]
    if media_ids is not None and None in media_ids:
        raise Unprocessable("Validation failed: media_ids must name this status's images or your own uploads "
                            "not yet attached to a status")
    edit = edits.Edit(text=data.status, spoiler_text=data.spoiler_text, sensitive=bool(data.sensitive),
                      language=data.language or None, media_ids=media_ids)
    note = await edits.edit_status(rt, principal.account, parse_id(request.match_info["id"]), edit)
    return ok(statuses_json(await reading.views(rt.db, [note], principal.account), rt.domain)[0])


@requires("read:statuses")
async def status_history(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    note, author, versions = await edits.history(rt.db, Viewer(principal.account), parse_id(request.match_info["id"]))
    return ok([status_edit_json(version, author, note.id, rt.domain) for version in versions])


@requires("read:statuses")
async def status_source(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    note = await edits.source(rt.db, Viewer(principal.account), parse_id(request.match_info["id"]))
    return ok({"id": str(note.id), "text": note.source_text or "", "spoiler_text": note.summary or ""})
