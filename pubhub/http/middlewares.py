"""Errors with the right status (JSON, or an HTML page for browsers), request ids, and the
security headers of every answer."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from aiohttp import web

from ..errors import ClientDisconnected, PubHubError, RequestTimeout
from ..jsonutil import dumps
from ..logs import request_id as current_request_id
from ..metrics import HTTP_REQUESTS, HTTP_SECONDS, labelled, timed
from .negotiation import prefers_html, vary

log = logging.getLogger("pubhub.http")


def json_error(status: int, message: str) -> web.Response:
    return web.Response(status=status, body=dumps({"error": message}), content_type="application/json")


# Paths that only programs read: their errors stay JSON whatever the Accept header says.
MACHINE_PATHS = ("/api/", "/.well-known/", "/nodeinfo/")

# Renders the HTML page for an error status, for browsers (the web layer provides it).
ErrorPage = Callable[[web.Request, int], web.Response]


def negotiated(request: web.Request) -> bool:
    """Whether the Accept header chooses how an error is answered here: a GET or HEAD outside
    the machine paths."""
    return request.method in ("GET", "HEAD") and not request.path.startswith(MACHINE_PATHS)


def wants_error_page(request: web.Request) -> bool:
    """A browser navigating to a page (a GET or HEAD that prefers HTML, outside the machine
    paths) is shown an error page; API, ActivityPub and other clients get JSON."""
    return negotiated(request) and prefers_html(request)


def error_responses(error_page: ErrorPage | None = None):
    """The middleware that turns every error into its status: `{"error": message}` as JSON,
    or, given `error_page`, an HTML page for browsers (`wants_error_page`)."""

    def answer(request: web.Request, status: int, message: str) -> web.Response:
        if error_page is not None and wants_error_page(request):
            response = error_page(request, status)
        else:
            response = json_error(status, message)
        if error_page is not None and negotiated(request):
            vary(response, "Accept")  # the page or the JSON, by Accept: a cache must not mix them up
        return response

    @web.middleware
    async def errors(request: web.Request, handler):
        request_id = request.headers.get("X-Request-Id", "")[:64] or secrets.token_hex(8)
        current_request_id.set(request_id)  # every log line written for this request carries it
        try:
            response = await handler(request)
        except PubHubError as exc:
            # The cause too: a lookup answers "Record not found" for a server that could not be
            # reached, but the operator needs the DNS or connection error behind it.
            cause = f" cause={_cause(exc)}" if isinstance(exc.__cause__, PubHubError) else ""
            log.info("refused method=%s path=%s status=%d reason=%s%s request_id=%s",
                     request.method, request.path, exc.status, exc.message, cause, request_id)
            response = answer(request, exc.status, exc.message)
            if isinstance(exc, RequestTimeout):
                response.force_close()  # the rest of a stalled body is not worth waiting for
        except ClientDisconnected:
            # Not a server error: the client hung up mid-body; nobody will read this answer.
            log.debug("client disconnected method=%s path=%s request_id=%s", request.method, request.path, request_id)
            response = json_error(400, "client disconnected")
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            response = answer(request, exc.status, exc.reason or "error")
        except Exception:
            log.exception("unhandled error method=%s path=%s request_id=%s", request.method, request.path, request_id)
            response = answer(request, 500, "internal server error")
        response.headers["X-Request-Id"] = request_id
        return response

    return errors


errors_as_json = error_responses()  # for apps without pages (the metrics listener)


METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


@web.middleware
async def count_requests(request: web.Request, handler):
    """Requests by route template (never the path: one series per URL would grow without end),
    method and status. Outermost, so it sees the status the error middleware made."""
    resource = getattr(request.match_info.route, "resource", None)
    route = resource.canonical if resource is not None else "unmatched"
    method = request.method if request.method in METHODS else "other"
    status = 500
    try:
        with timed(HTTP_SECONDS, route):
            response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:  # redirects are raised, not returned
        status = exc.status
        raise
    finally:
        labelled(HTTP_REQUESTS, route, method, str(status)).inc()


def _cause(exc: Exception) -> str:
    cause = exc.__cause__
    return f"{cause.__class__.__name__}: {cause.message}"[:500]


def security_headers(page_policy: str):
    """A response-prepare hook: no content sniffing on any response; HTML pages also get their
    Content-Security-Policy, may not be framed, and send the Referer only to our own origin."""

    async def add(request: web.Request, response: web.StreamResponse) -> None:
        response.headers["X-Content-Type-Options"] = "nosniff"
        if response.content_type == "text/html":
            # A page with forms sets its own (the same, with the form targets it needs).
            response.headers.setdefault("Content-Security-Policy", page_policy)
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Referrer-Policy"] = "same-origin"

    return add
