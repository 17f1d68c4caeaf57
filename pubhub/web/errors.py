"""The error pages browsers see (the error middleware asks for them; programs get JSON). A page
says only what its status says: a post that exists but is not public gets exactly the page of
one that never existed."""

from __future__ import annotations

from http import HTTPStatus

from aiohttp import web

from ..http.keys import runtime
from .rendering import render

# (heading, explanation) by status; the rest say their status phrase.
EXPLANATIONS = {
    400: ("Bad request", "This address is not one we can answer."),
    403: ("Not allowed", "You may not see this page."),
    404: ("Page not found", "There is nothing here. The address may be mistyped, or what it named is not public."),
    405: ("Not a page", "This address is for other servers, not for browsers."),
    406: ("Not available in this form", "This address has no version your browser asked for."),
    410: ("Gone", "What was here has been deleted."),
}
SERVER_ERROR = ("Something went wrong", "This is a fault on our side. Please try again later.")


def error_page(request: web.Request, status: int) -> web.Response:
    if status >= 500:
        heading, explanation = SERVER_ERROR
    else:
        heading, explanation = EXPLANATIONS.get(status, (_phrase(status), ""))
    return render("error.html", runtime(request).settings, title=heading, status=status,
                  heading=heading, explanation=explanation)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
