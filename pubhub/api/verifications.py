"""PubHub's own: a local account proves a room's attribute rule (identity/sessions.py).
`POST /api/v1/pubhub/rooms/:id/verifications` starts the verifier's session and answers what the
app needs (for Yivi the session pointer, also as a QR code); `POST
/api/v1/pubhub/verifications/:id/complete` checks the proof once. Joining is then the ordinary
follow of the room's account."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import Params, Text, ok, read_params
from ..http.principal import requires
from ..identity.sessions import complete_verification, start_verification
from ..store.models import parse_id
from .schemas import NoParams


class Start(Params):
    provider: Text(64) | None = None  # default: the first of PUBHUB_IDENTITY_VERIFIERS


@requires("write:follows")
async def start(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, Start)
    row, started = await start_verification(rt, principal.account, parse_id(request.match_info["id"]), data.provider)
    return ok({"id": str(row.id), "room_id": str(row.room_id), "provider": row.provider,
               "attributes": list(row.attributes), "client": started.client, "expires_at": iso(row.expires_at)})


@requires("write:follows")
async def complete(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    outcome = await complete_verification(rt, principal.account, parse_id(request.match_info["id"]))
    return ok({"room_id": str(outcome.room_id), "provider": outcome.provider, "rule_version": outcome.rule_version,
               "satisfied_until": iso(outcome.satisfied_until)})
