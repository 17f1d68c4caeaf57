"""Signing in to the console by an identity attribute, the other half of "the same sign-in as the
OAuth page": when PUBHUB_LOGIN_VERIFIER is set, the console's sign-in page offers it beside the
password, through the same sessions and checks (identity/login.py: a single-use verifier session
bound to the browser that started it, the proof checked, the account found by the attribute's
keyed hash).

    POST /admin/sign_in/attribute                 start: the QR code to scan (Yivi) or the link to the provider
    POST /admin/sign_in/attribute/{id}/complete   Yivi: the disclosure is done, check it
    GET  /admin/sign_in/attribute/oidc            OpenID Connect: the provider's callback sends the browser
                                                  here with its state and code, proved here

A sign-in is bound to the browser's CSRF nonce and is proved only in that browser (the OpenID
Connect callback, which has no cookie of ours, sends the browser here to finish it): someone who
finishes at the provider a sign-in another started (a link they were sent) signs nobody in. Only an account already linked to the attribute may come in, and only staff get a session: the
console creates no accounts (a first proof is refused here; people make their account on the OAuth
page, and an admin gives it the role).
"""

from __future__ import annotations

from aiohttp import web

from ...accounts.console_sessions import is_staff, open_session
from ...errors import PubHubError
from ...http.keys import runtime
from ...identity.login import LoginOutcome, login_enabled, prove_login, start_login
from ...store.models import parse_id
from ..rendering import yivi_qr
from ..verification import MAX_PARAMETER
from .access import PATH, SIGN_IN, Visit, not_for_users, open_form, see_other, start_session

ATTRIBUTE = SIGN_IN + "/attribute"


def login_with(visit: Visit) -> str | None:
    """What the sign-in page offers beside the password (the verifier's name), if anything."""
    rt = runtime(visit.request)
    return rt.settings.login_verifier.title() if login_enabled(rt) else None


@open_form
async def start(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.StreamResponse:
    try:
        row, started = await start_login(runtime(request), visit.forms.nonce, PATH)
    except PubHubError as error:
        return visit.refused(error)
    qr = yivi_qr(started.client["sessionPtr"]) if started.client.get("type") == "yivi" else None
    return visit.page("console/sign_in_attribute.html", title=visit._("Sign in to moderate"), started=started, qr=qr,
                      action=f"{ATTRIBUTE}/{row.id}/complete", login_with=login_with(visit))


@open_form
async def complete(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.StreamResponse:
    try:
        outcome = await prove_login(runtime(request), session_id=parse_id(request.match_info["id"]),
                                    browser_key=visit.forms.nonce)
    except PubHubError as error:
        return visit.refused(error)
    return await _come_in(visit, outcome)


async def oidc_outcome(request: web.Request) -> web.StreamResponse:
    """Where the provider's callback sends the browser on, with the provider's `state` and `code`:
    the sign-in is proved here, under the console's cookie, only for the browser that started it."""
    visit = await Visit.of(request)
    state, code = (request.query.get(name, "")[:MAX_PARAMETER] for name in ("state", "code"))
    try:
        proved = await prove_login(runtime(request), reference=state, proof=code or None,
                                   browser_key=visit.forms.nonce)
    except PubHubError as error:
        return visit.refused(error)
    return await _come_in(visit, proved)


async def _come_in(visit: Visit, proved: LoginOutcome) -> web.StreamResponse:
    """A console session for staff whose account the proof belongs to; a refusal page otherwise."""
    if proved.account is None:
        return visit.refusal(403, visit._("Not allowed"), visit._(
            "No account is linked to what you proved. Sign in with your password, or ask an admin."))
    if not is_staff(proved.account):
        return not_for_users(visit)
    rt = runtime(visit.request)
    response = see_other(PATH)
    start_session(visit.request, response, await open_session(rt.db, rt.clock, proved.account))
    return response
