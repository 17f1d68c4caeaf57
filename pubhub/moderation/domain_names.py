"""Domain names as blocks name them: one normal form (lower case, no trailing dot, punycode),
and whether a host falls under a blocked domain (the domain itself or a subdomain of it:
`policy.covering`, which the store's queries use too)."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

import idna

from ..errors import BadRequest

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")  # `_` occurs in real host names


def normalize_domain(text: str) -> str:
    """The normal form of a domain an operator typed (`Example.COM.`, `münchen.de`); BadRequest
    if it is not a domain name or an IP address (a URL, a port, a wildcard)."""
    name = (text or "").strip().lower().rstrip(".")
    if not name:
        raise BadRequest("a domain is required")
    try:
        return str(ipaddress.ip_address(name.strip("[]")))
    except ValueError:
        pass
    if not name.isascii():  # an internationalised name: its punycode (xn--) form
        try:
            name = idna.encode(name, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise BadRequest(f"not a domain name: {text!r} ({exc})") from None
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise BadRequest(f"not a domain name: {text!r}")
    return name


def host_of(url: str | None) -> str:
    """The normal form of a URL's host (no port), or "" if it has none."""
    if not isinstance(url, str):
        return ""
    return _host_of(url)


def _read_host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
        return normalize_domain(host) if host else ""
    except (ValueError, BadRequest):
        return ""


# Cached: every inbox request asks for its sender's host, and the same senders come back.
# (Wrapped, not a decorator: mutation testing leaves decorated functions alone.)
_host_of = lru_cache(maxsize=16384)(_read_host)
