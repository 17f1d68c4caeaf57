"""The client's address, for rate limits.

Behind the reverse proxy of "Going live" (nginx on the same machine), every connection comes
from 127.0.0.1 and the client is the last address nginx appended to `X-Forwarded-For`
(`$proxy_add_x_forwarded_for`; what the client itself wrote in that header comes before it and
is ignored). The header counts only on a connection from the machine itself, so a client that
reaches `pubhub serve` directly cannot choose its address.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web


def client_address(request: web.Request) -> str:
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and _is_loopback(peer):
        last = forwarded.rsplit(",", 1)[-1].strip()
        if _is_address(last):
            return last
    return peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_loopback(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False
