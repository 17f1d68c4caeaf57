"""Signing in to the console: the same name-and-password check, rate limits and CSRF protection
as the OAuth sign-in page (accounts/sign_in.py, http/forms.py); only moderators and admins get a
console session (accounts/console_sessions.py).

    GET  /admin/sign_in    the form (signed in already: on to /admin)
    POST /admin/sign_in    name + password; staff: a session, then /admin
    POST /admin/sign_out   the session ends here and in the browser

Beside the password, the identity attribute the OAuth page offers (sign_in_attribute.py).
"""

from __future__ import annotations

import math

from aiohttp import web

from ...accounts.console_sessions import close_session, is_staff, open_session
from ...accounts.sign_in import TooManyAttempts
from ...errors import Unauthorized
from ...http.keys import runtime
from ..sign_in import password_sign_in
from .access import (PATH, Visit, end_session, not_for_users, open_form, see_other, session_token, signed_in,
                     start_session)
from .sign_in_attribute import login_with


def _form_page(visit: Visit, *, error: str = "", username: str = "", status: int = 200) -> web.Response:
    return visit.page("console/sign_in.html", title=visit._("Sign in to moderate"), status=status, error=error,
                      username=username, login_with=login_with(visit))


async def sign_in_page(request: web.Request) -> web.StreamResponse:
    visit = await Visit.of(request)
    if await signed_in(visit) is not None:
        return see_other(PATH)
    return _form_page(visit)


@open_form
async def sign_in_form(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.StreamResponse:
    rt = runtime(request)
    username = fields.get("username", "")[:320]
    try:
        account = await password_sign_in(request, fields)
    except TooManyAttempts as exc:
        minutes = max(1, math.ceil(exc.retry_after / 60))
        message = visit.ngettext("Too many failed sign-ins. Try again in %(num)d minute.",
                                 "Too many failed sign-ins. Try again in %(num)d minutes.", minutes)
        response = _form_page(visit, error=message, username=username, status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except Unauthorized as exc:
        return _form_page(visit, error=visit._(exc.message), username=username, status=401)
    if not is_staff(account):
        return not_for_users(visit)
    response = see_other(PATH)
    start_session(request, response, await open_session(rt.db, rt.clock, account))
    return response


@open_form
async def sign_out(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.StreamResponse:
    await close_session(runtime(request).db, session_token(request))
    response = see_other(PATH + "/sign_in")
    end_session(request, response)
    return response
