"""Who is at the console, and how its pages answer.

Every page runs through `page` (GET) or `form` (POST), which check, in this order and before
anything else is looked at: the CSRF token (forms: 403 "Form expired"), the session (GET: to
the sign-in page; POST: 401), the staff role (403). A refusal changes nothing. Signing in and
out run through `open_form`: the CSRF token only. What a staff member may then do is the
domain's to say (moderation.permissions, rooms.authority): its refusals are shown as pages with
their status, in the page's language.

The session cookie is HttpOnly, SameSite=Strict (another site can neither read it nor make the
browser send it), Secure when PUBHUB_SCHEME is https, limited to /admin, and expires with its
session (accounts/console_sessions.LIFETIME). It is no bearer token: the API reads only the
Authorization header, so the cookie alone gets 401 there.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode
from dataclasses import dataclass

from aiohttp import web

from ...accounts.console_sessions import LIFETIME, is_staff, session_account
from ...errors import Forbidden, PubHubError
from ...http.bodies import read_form_pairs
from ...http.forms import Forms, clear_cookie, set_cookie
from ...http.keys import runtime
from ...moderation.permissions import NOT_ALLOWED, role_allows
from ...store.models import Actor, parse_id
from ..i18n import Speech, page_language, templates
from ..rendering import content_security_policy, render

PATH = "/admin"
SESSION_COOKIE = "pubhub_console"
SIGN_IN = PATH + "/sign_in"


@dataclass
class Visit:
    """One request at the console: its CSRF side, language and (once signed in) account."""
    request: web.Request
    forms: Forms
    language: str
    account: Actor | None = None

    @classmethod
    async def of(cls, request: web.Request) -> "Visit":
        language = page_language(runtime(request).settings, request.headers.get("Accept-Language"))
        return cls(request, await Forms.of(request, PATH), language)

    def _(self, message: str, **values) -> str:
        return Speech(self.language)._(message, **values)

    def ngettext(self, one: str, many: str, number: int, **values) -> str:
        return Speech(self.language).ngettext(one, many, number, **values)

    def page(self, name: str, *, title: str, status: int = 200, **values) -> web.Response:
        """A console page: posting only to this site, never cached, in the visit's language."""
        response = render(name, runtime(self.request).settings, title=title, lang=self.language, status=status,
                          templates=templates(self.language), account=self.account, csrf=self.forms.token, **values)
        response.headers["Content-Security-Policy"] = content_security_policy("'self'")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Language"] = self.language
        response.headers["Vary"] = "Accept-Language, Cookie"
        self.forms.remember(response)
        return response

    def refusal(self, status: int, heading: str, explanation: str) -> web.Response:
        return self.page("console/refused.html", title=heading, status=status, heading=heading,
                         explanation=explanation)

    def refused(self, error: PubHubError) -> web.Response:
        """A domain refusal (403 not allowed, 404, 422 ...) as a page; its message translated
        when the catalogue has it."""
        headings = {403: self._("Not allowed"), 404: self._("Not found")}
        return self.refusal(error.status, headings.get(error.status, self._("This could not be done")),
                            self._(error.message))


async def require(session, visit: Visit, permission: str) -> None:
    """Forbidden unless the visitor's role may do this instance-wide (as the API decides)."""
    if not await role_allows(session, visit.account.role, permission):
        raise Forbidden(NOT_ALLOWED)


def older_than(request: web.Request) -> int | None:
    """`?max_id=`: the page below that id (Mastodon's paging; anything but an id is the first page)."""
    return parse_id(request.query.get("max_id"))


def next_page(request: web.Request, ids: list[int], size: int) -> str | None:
    """The link to the older entries after this page (filters kept), or None when this page was
    not full: then there are no more."""
    if len(ids) < size:
        return None
    query = {name: value for name, value in request.query.items() if name != "max_id"}
    return f"{request.path}?{urlencode({**query, 'max_id': min(ids)})}"


def shown(request: web.Request, views, default: str) -> str:
    """Which of a list page's views (`?show=`) is asked for; `default` for none or another."""
    show = request.query.get("show", default)
    return show if show in views else default


def see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})


def start_session(request: web.Request, response: web.StreamResponse, token: str) -> None:
    set_cookie(request, response, SESSION_COOKIE, token, int(LIFETIME.total_seconds()), PATH, samesite="Strict")


def end_session(request: web.Request, response: web.StreamResponse) -> None:
    clear_cookie(request, response, SESSION_COOKIE, PATH, samesite="Strict")


def session_token(request: web.Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


async def signed_in(visit: Visit) -> Actor | None:
    rt = runtime(visit.request)
    return await session_account(rt.db, rt.clock, session_token(visit.request))


def _not_staff(visit: Visit) -> web.Response:
    return visit.refusal(403, visit._("Not allowed"),
                         visit._("The moderation console is for moderators and admins of this server."))


def not_for_users(visit: Visit) -> web.Response:
    """What a user who signed in (password or attribute) gets instead of a console session."""
    return visit.refusal(403, visit._("Not allowed"), visit._(
        "The moderation console is for moderators and admins of this server. Your account can still "
        "be used with apps."))


def page(handler):
    """A GET page for staff: `handler(request, visit)`."""
    @functools.wraps(handler)
    async def checked(request: web.Request) -> web.StreamResponse:
        visit = await Visit.of(request)
        visit.account = await signed_in(visit)
        if visit.account is None:
            return see_other(SIGN_IN)
        if not is_staff(visit.account):
            return _not_staff(visit)
        try:
            return await handler(request, visit)
        except PubHubError as error:
            return visit.refused(error)
    return checked


async def posted(visit: Visit) -> dict[str, str] | web.Response:
    """The form's fields, or the page that refuses a post without its CSRF token."""
    fields = dict(await read_form_pairs(visit.request))
    try:
        visit.forms.check(fields.get("authenticity_token"))
    except Forbidden:
        return visit.refusal(403, visit._("Form expired"), visit._(
            "This form has expired or did not come from this site. Go back, reload the page and try again."))
    return fields


def open_form(handler):
    """A POST anyone may send with this site's form (signing in and out): `handler(request,
    visit, fields)`, once the CSRF token is checked."""
    @functools.wraps(handler)
    async def checked(request: web.Request) -> web.StreamResponse:
        visit = await Visit.of(request)
        fields = await posted(visit)
        if isinstance(fields, web.Response):
            return fields
        return await handler(request, visit, fields)
    return checked


def form(handler):
    """A POST for staff: `handler(request, visit, fields)`."""
    @open_form
    @functools.wraps(handler)
    async def checked(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.StreamResponse:
        visit.account = await signed_in(visit)
        if visit.account is None:
            return visit.refusal(401, visit._("Signed out"), visit._(
                "Your session has ended, so nothing was changed. Sign in again and repeat what you did."))
        if not is_staff(visit.account):
            return _not_staff(visit)
        try:
            return await handler(request, visit, fields)
        except PubHubError as error:
            return visit.refused(error)
    return checked
