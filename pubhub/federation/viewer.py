"""Who is fetching: a remote actor proven by a signed GET (authorized fetch), or nobody.

A signature that is absent, malformed or does not verify makes the request anonymous (as in
Mastodon without authorized-fetch mode): it then sees what anyone may see, never less."""

from __future__ import annotations

import logging

from aiohttp import web

from ..activitypub.signatures import check_signature_preconditions
from ..activitypub.verification import verified_signer
from ..errors import PubHubError
from ..http.keys import runtime
from ..social.visibility import NOBODY, Viewer

log = logging.getLogger(__name__)


async def signed_viewer(request: web.Request) -> Viewer:
    if "Signature" not in request.headers:
        return NOBODY
    rt = runtime(request)
    try:
        parsed = check_signature_preconditions(request.method, request.headers, b"", expected_host=rt.domain,
                                               now=rt.clock.now())
        owner = await verified_signer(rt.actors, parsed, request.method, request.raw_path, request.headers,
                                      gone_ok=False)
        if owner is None or rt.urls.is_local(owner):
            return NOBODY
        return Viewer(await rt.actors.get(owner))
    except PubHubError as exc:
        log.info("signed fetch not verified path=%s reason=%s", request.path, exc.message)
        return NOBODY
