"""What a client asked for in its Accept header (RFC 9110, 12.5.1): whether it is a browser
that wants a page, or a program that wants JSON. Browsers name text/html when they navigate;
programs name JSON, or send `*/*` (curl, HTTP libraries), which is no wish for a page."""

from __future__ import annotations

from aiohttp import web

HTML_TYPES = ("text/html", "application/xhtml+xml")


def media_ranges(accept: str) -> list[tuple[str, float]]:
    """(media range, q) for each part of an Accept header, lower-cased, in the order given;
    a malformed q counts as 0 (not acceptable) rather than failing the request."""
    ranges = []
    for part in accept.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def prefers_html(request: web.Request) -> bool:
    """The client names an HTML type, and likes it at least as well as any JSON type it names
    (a tie goes to whichever it names first)."""
    ranges = media_ranges(request.headers.get("Accept", ""))
    html = [(q, -i) for i, (media, q) in enumerate(ranges) if media in HTML_TYPES and q > 0]
    json = [(q, -i) for i, (media, q) in enumerate(ranges) if _is_json(media) and q > 0]
    return bool(html) and (not json or max(html) > max(json))


def accepts_html(request: web.Request) -> bool:
    """HTML is acceptable at all: no Accept header, or a range that covers text/html with q > 0."""
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        return True
    ranges = media_ranges(accept)
    named = [q for media, q in ranges if media in HTML_TYPES]
    if named:  # an HTML type named outright decides, even against a wildcard
        return max(named) > 0
    return any(q > 0 and media in ("text/*", "*/*") for media, q in ranges)


def prefers_csv(request: web.Request) -> bool:
    """The client names text/csv and likes it at least as well as any JSON type it names."""
    ranges = media_ranges(request.headers.get("Accept", ""))
    csv = [q for media, q in ranges if media == "text/csv" and q > 0]
    json = [q for media, q in ranges if _is_json(media) and q > 0]
    return bool(csv) and (not json or max(csv) >= max(json))


def vary(response: web.StreamResponse, field: str) -> None:
    """Add `field` to the response's Vary (caches key on each field named there)."""
    fields = [name.strip() for name in response.headers.get("Vary", "").split(",") if name.strip()]
    if field.lower() not in (name.lower() for name in fields):
        response.headers["Vary"] = ", ".join([*fields, field])
