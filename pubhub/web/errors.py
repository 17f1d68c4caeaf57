"""The error pages browsers see (the error middleware asks for them; programs get JSON). A page
says only what its status says: a post that exists but is not public gets exactly the page of
one that never existed."""

from __future__ import annotations

from http import HTTPStatus

from aiohttp import web

from .i18n import N_, Speech, public_page

# (heading, explanation) by status; the rest say their status phrase (in English: HTTP's own).
EXPLANATIONS = {
    400: (N_("Bad request"), N_("This address is not one we can answer.")),
    403: (N_("Not allowed"), N_("You may not see this page.")),
    404: (N_("Page not found"),
          N_("There is nothing here. The address may be mistyped, or what it named is not public.")),
    405: (N_("Not a page"), N_("This address is for other servers, not for browsers.")),
    406: (N_("Not available in this form"), N_("This address has no version your browser asked for.")),
    410: (N_("Gone"), N_("What was here has been deleted.")),
}
SERVER_ERROR = (N_("Something went wrong"), N_("This is a fault on our side. Please try again later."))


def error_page(request: web.Request, status: int) -> web.Response:
    """The page of `status`, in the visitor's language."""
    if status >= 500:
        heading, explanation = SERVER_ERROR
    else:
        heading, explanation = EXPLANATIONS.get(status, (_phrase(status), ""))
    speech = Speech.of(request)
    heading, explanation = speech._(heading), speech._(explanation) if explanation else ""
    return public_page(request, "error.html", speech=speech, title=heading, status=status, heading=heading,
                       explanation=explanation)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
