"""Where an OpenID Connect provider sends the person back after they signed in there
(`/identity/oidc/callback?state=...&code=...`): the verification the state names is completed
(identity/sessions.py) and the page says what came of it. Nothing here is a form: the provider's
redirect is a GET, and the state (single use, unguessable) is what binds it to the account."""

from __future__ import annotations

from aiohttp import web

from ..errors import PubHubError
from ..http.keys import runtime
from ..identity.oidc import CALLBACK_PATH
from ..identity.sessions import complete_by_reference, room_of_outcome
from .rendering import render

MAX_PARAMETER = 2048


async def oidc_callback(request: web.Request) -> web.Response:
    rt = runtime(request)
    state = request.query.get("state", "")[:MAX_PARAMETER]
    if "error" in request.query:  # the person declined, or the provider refused
        return _not_verified(rt, "The sign-in was not completed at the provider "
                                 f"({request.query.get('error', '')[:100]}).", 422)
    try:
        outcome = await complete_by_reference(rt, "oidc", state, request.query.get("code", "")[:MAX_PARAMETER] or None)
    except PubHubError as exc:
        return _not_verified(rt, exc.message, exc.status)
    name, url = await room_of_outcome(rt, outcome)
    response = render("verified.html", rt.settings, title="Verified", outcome=outcome, room_name=name, room_url=url)
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_verified(rt, reason: str, status: int) -> web.Response:
    response = render("verified.html", rt.settings, title="Not verified", outcome=None, reason=reason, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def setup(app: web.Application) -> None:
    app.router.add_get(CALLBACK_PATH, oidc_callback)
