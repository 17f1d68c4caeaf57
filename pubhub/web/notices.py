"""The notice form for people without an account (moderation/notices.py has the rules):

    GET  /report?url=...   the form, with the URL of the page it was opened from filled in
    POST /report           the notice: a report (source notice) and a receipt with its reference

It works without JavaScript. Its CSRF token and cookie are the sign-in pages' (http/forms.py),
with the cookie limited to /report. A refused notice shows the form again, with each error
next to its field and nothing stored; a flood gets 429 with Retry-After.
"""

from __future__ import annotations

from aiohttp import web

from ..errors import Forbidden
from ..http.addresses import client_address
from ..http.bodies import read_form_pairs
from ..http.forms import Forms
from ..http.keys import runtime
from ..moderation.notices import (CATEGORIES, URL_LIMIT, Notice, NoticeRefused, TooManyNotices, address_key,
                                  file_notice)
from .i18n import N_, Speech, public_form_page
from .messages import try_again_in

PATH = "/report"
TITLE = N_("Report content")


def _form(request: web.Request, forms: Forms, notice: Notice, *, errors: dict | None = None,
          status: int = 200) -> web.Response:
    """The form; `errors` (English, as the domain says them) shown in the visitor's language."""
    speech = Speech.of(request)
    return public_form_page(request, "report.html", forms, speech=speech, status=status, title=speech._(TITLE),
                            notice=notice, errors={name: speech._(error) for name, error in (errors or {}).items()},
                            categories={value: speech._(text) for value, text in CATEGORIES.items()},
                            token=forms.token)


async def report_form(request: web.Request) -> web.Response:
    forms = await Forms.of(request, PATH)
    return _form(request, forms, Notice(url=request.query.get("url", "")[:URL_LIMIT]))


def _notice(form: dict[str, str]) -> Notice:
    return Notice(url=form.get("url", ""), explanation=form.get("explanation", ""),
                  category=form.get("category", ""), law=form.get("law", ""), name=form.get("name", ""),
                  email=form.get("email", ""), good_faith=form.get("good_faith") == "yes")


async def send_report(request: web.Request) -> web.Response:
    """CSRF first (403, nothing else looked at), then the flood limit, then the fields."""
    rt = runtime(request)
    speech = Speech.of(request)
    forms = await Forms.of(request, PATH)
    form = dict(await read_form_pairs(request))
    try:
        forms.check(form.get("authenticity_token"))
    except Forbidden as exc:
        return public_form_page(request, "error.html", forms, speech=speech, status=403, form_action="'none'",
                                title=speech._("Form expired"), heading=speech._("Form expired"),
                                explanation=speech._(exc.message))
    notice = _notice(form)
    try:
        report = await file_notice(rt.db, rt.clock, rt.settings, notice,
                                   address=address_key(await rt.signing_key(), client_address(request)))
    except TooManyNotices as exc:
        response = _form(request, forms, notice, errors={"form": try_again_in(speech, exc.retry_after, notices=True)},
                         status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NoticeRefused as exc:
        return _form(request, forms, notice, errors=exc.errors, status=422)
    return public_form_page(request, "report_received.html", forms, speech=speech, form_action="'none'",
                            title=speech._("Report received"), report=report,
                            category=speech._(CATEGORIES[report.category]))


def setup(app: web.Application) -> None:
    app.router.add_get(PATH, report_form)
    app.router.add_post(PATH, send_report)
