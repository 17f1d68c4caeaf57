"""Proving a room's attribute rule in the browser (identity/sessions.py):

- `GET /@ROOM/verify` and its form, for someone on another fediverse server: the verifier's
  session starts (bound to this browser's form cookie) and the page shows what to do: Yivi's QR
  code (rendered here, no script) and a Continue button, or the OpenID Connect sign-in link;
- `POST /identity/verifications/:id/complete`: Continue, after sharing in the Yivi app;
- `GET /identity/oidc/callback`: where an OpenID Connect provider sends the person back.

A local member's app uses the API instead; a browser's proof ends in a one-time link code.
"""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from ..errors import Forbidden, NotFound, PubHubError
from ..http.bodies import read_form_pairs
from ..http.forms import Forms
from ..http.keys import runtime
from ..identity.attribute_rules import attributes_of
from ..identity.oidc import CALLBACK_PATH
from ..identity.login import login_started_at
from ..identity.sessions import (complete_by_reference, complete_in_browser, room_of_outcome,
                                 start_verification)
from ..rooms.documents import room_for
from ..accounts.local import public_local_account
from ..store.models import parse_id
from .i18n import Speech, public_form_page, public_page
from .messages import said
from .rendering import yivi_qr

MAX_PARAMETER = 2048
COOKIE_PATH = "/"  # the form cookie goes to /@ROOM/verify and /identity/verifications/


async def _gated_room(request: web.Request):
    rt = runtime(request)
    room = await room_for(rt, await public_local_account(rt.db, request.match_info["username"]))
    if room is None or room.room.join_policy != "attributes" or room.room.attribute_rule is None:
        raise NotFound("This room asks for no proof.")
    return rt, room


def _page(request: web.Request, rt, forms: Forms, room, *, status: int = 200, **values) -> web.Response:
    speech = Speech.of(request)
    if values.get("error"):
        values["error"] = said(speech, values["error"])
    name = room.actor.display_name or room.actor.username
    return public_form_page(request, "verify.html", forms, speech=speech, status=status,
                            title=speech._("Prove it for %(room)s", room=name), room_name=name,
                            room_url=room.actor.url or room.actor.uri, token=forms.token,
                            providers=list(rt.verifiers), **values)


async def verify_form(request: web.Request) -> web.Response:
    rt, room = await _gated_room(request)
    forms = await Forms.of(request, COOKIE_PATH)
    return _page(request, rt, forms, room, started=None, attributes=attributes_of(room.room.attribute_rule),
                 action=f"/@{room.actor.username}/verify")


async def start(request: web.Request) -> web.Response:
    rt, room = await _gated_room(request)
    forms = await Forms.of(request, COOKIE_PATH)
    form = dict(await read_form_pairs(request))
    forms.check(form.get("authenticity_token"))
    provider = form.get("provider") or None
    try:
        row, started = await start_verification(rt, None, room.room.id, provider, browser_key=forms.nonce)
    except PubHubError as exc:
        return _page(request, rt, forms, room, status=exc.status, started=None, error=exc.message,
                     attributes=attributes_of(room.room.attribute_rule), action=f"/@{room.actor.username}/verify")
    qr = yivi_qr(started.client["sessionPtr"]) if started.client.get("type") == "yivi" else None
    return _page(request, rt, forms, room, started=started, qr=qr, action=f"/identity/verifications/{row.id}/complete")


async def complete(request: web.Request) -> web.Response:
    rt = runtime(request)
    forms = await Forms.of(request, COOKIE_PATH)
    form = dict(await read_form_pairs(request))
    try:
        forms.check(form.get("authenticity_token"))
        outcome = await complete_in_browser(rt, parse_id(request.match_info["id"]), forms.nonce)
    except (Forbidden, PubHubError) as exc:
        return _not_verified(request, exc.message, exc.status)
    return await _verified(request, rt, outcome)


async def oidc_callback(request: web.Request) -> web.Response:
    rt = runtime(request)
    state = request.query.get("state", "")[:MAX_PARAMETER]
    if "error" in request.query:  # the person declined, or the provider refused
        speech = Speech.of(request)
        return _not_verified(request, speech._("The sign-in was not completed at the provider (%(error)s).",
                                               error=request.query.get("error", "")[:100]), 422)
    code = request.query.get("code", "")[:MAX_PARAMETER] or None
    try:
        started_at = await login_started_at(rt, state)
        if started_at is not None:  # a sign-in: finished where it was started, in that browser
            page = "/admin/sign_in" if started_at == "/admin" else "/oauth/sign_in"
            query = urlencode({"state": state, "code": code or ""})
            return web.Response(status=303, headers={"Location": f"{page}/attribute/oidc?{query}",
                                                     "Cache-Control": "no-store"})
        outcome = await complete_by_reference(rt, "oidc", state, code)
    except PubHubError as exc:
        return _not_verified(request, exc.message, exc.status)
    return await _verified(request, rt, outcome)


async def _verified(request: web.Request, rt, outcome) -> web.Response:
    name, url, handle = await room_of_outcome(rt, outcome)
    speech = Speech.of(request)
    response = public_page(request, "verified.html", speech=speech, title=speech._("Verified"), outcome=outcome,
                           room_name=name, room_url=url, room_handle=handle)
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_verified(request: web.Request, reason: str, status: int) -> web.Response:
    """`reason`: the domain's (English, shown in the visitor's language) or one said here already."""
    speech = Speech.of(request)
    response = public_page(request, "verified.html", speech=speech, title=speech._("Not verified"), outcome=None,
                           reason=said(speech, reason), status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def setup(app: web.Application) -> None:
    app.router.add_get("/@{username}/verify", verify_form)
    app.router.add_post("/@{username}/verify", start)
    app.router.add_post("/identity/verifications/{id:\\d+}/complete", complete)
    app.router.add_get(CALLBACK_PATH, oidc_callback)
