"""Federation endpoints: WebFinger, host-meta, NodeInfo, actor and collection documents, inboxes.
Thin edges: parse, call one domain function, map the result. The actor and note URLs answer
browsers with HTML; `pubhub.server` routes them by Accept to these handlers or the pages."""

from __future__ import annotations

import logging
import time

from aiohttp import web

from .. import __version__
from ..accounts.local import instance_actor as find_instance_actor
from ..accounts.local import public_local_account, webfinger_subject
from ..activitypub import vocab
from ..activitypub.documents import actor_document, create_document, featured_document, note_document
from ..errors import BadRequest, PubHubError
from ..http.keys import RUNTIME, runtime
from ..http.middlewares import json_error
from ..http.bodies import read_body
from ..jsonutil import dumps
from ..metrics import INBOX as INBOX_ACTIVITIES
from ..metrics import labelled
from ..rooms import documents as rooms
from ..social import marks
from ..social.follows import follow_collection
from ..social.outbox import PAGE_SIZE, note_of, outbox_page, usage_counts
from .backlog import RETRY_AFTER, Backlog
from .inbound import Inbox
from .viewer import signed_viewer

INBOX = web.AppKey("inbox", Inbox)
BACKLOG = web.AppKey("inbox_backlog", Backlog)
log = logging.getLogger(__name__)


def setup(app: web.Application) -> None:
    async def inbox_lifetime(app: web.Application):
        app[INBOX] = Inbox(app[RUNTIME])
        app[BACKLOG] = Backlog(app[RUNTIME])
        yield
        await app[INBOX].drain()

    app.cleanup_ctx.append(inbox_lifetime)
    app.router.add_get("/.well-known/webfinger", webfinger)
    app.router.add_get("/.well-known/host-meta", host_meta)
    app.router.add_get("/.well-known/nodeinfo", nodeinfo_links)
    app.router.add_get("/nodeinfo/{version:2\\.[01]}", nodeinfo)
    app.router.add_get("/actor", instance_actor)
    app.router.add_post("/inbox", inbox)
    app.router.add_post("/users/{username}/inbox", inbox)
    app.router.add_get("/users/{username}/outbox", outbox)
    app.router.add_get("/users/{username}/followers", followers)
    app.router.add_get("/users/{username}/following", following)
    app.router.add_get("/users/{username}/collections/featured", featured)
    app.router.add_get("/users/{username}/statuses/{id:\\d+}/activity", note_activity)


def activity_response(document: dict, status: int = 200) -> web.Response:
    return web.Response(body=dumps(document), status=status, content_type=vocab.ACTIVITY_JSON)


def wants_activitypub(request: web.Request) -> bool:
    accept = request.headers.get("Accept", "")
    return any(vocab.is_activitypub_media_type(part) or part.strip().startswith(vocab.ACTIVITY_JSON)
               for part in accept.split(","))


async def _local_actor(request: web.Request):
    rt = runtime(request)
    return rt, await public_local_account(rt.db, request.match_info["username"])


# ---- discovery ------------------------------------------------------------------------------

async def webfinger(request: web.Request) -> web.Response:
    rt = runtime(request)
    resource = request.query.get("resource", "").strip()
    if not resource:
        raise BadRequest("resource parameter is required")
    found = await webfinger_subject(rt.db, rt.urls, rt.domain, resource)
    body = {
        "subject": f"acct:{found.username}@{rt.domain}",
        "aliases": [found.uri, found.url or found.uri],
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": found.url or found.uri},
            {"rel": "self", "type": vocab.ACTIVITY_JSON, "href": found.uri},
        ],
    }
    return web.Response(body=dumps(body), content_type="application/jrd+json",
                        headers={"Access-Control-Allow-Origin": "*"})


async def host_meta(request: web.Request) -> web.Response:
    base = runtime(request).urls.base
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
           f'  <Link rel="lrdd" template="{base}/.well-known/webfinger?resource={{uri}}"/>\n</XRD>\n')
    return web.Response(text=xml, content_type="application/xrd+xml")


async def nodeinfo_links(request: web.Request) -> web.Response:
    base = runtime(request).urls.base
    return web.json_response({"links": [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": f"{base}/nodeinfo/2.0"},
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f"{base}/nodeinfo/2.1"},
    ]})


async def nodeinfo(request: web.Request) -> web.Response:
    version = request.match_info["version"]
    rt = runtime(request)
    users, posts = await usage_counts(rt.db)
    software = {"name": "pubhub", "version": __version__}
    if version == "2.1":
        software["repository"] = "https://github.com/pubhub/pubhub"
    body = {
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": False,
        "usage": {"users": {"total": users, "activeMonth": users, "activeHalfyear": users}, "localPosts": posts},
        "metadata": {"nodeName": rt.settings.instance_name},
    }
    profile = f"http://nodeinfo.diaspora.software/ns/schema/{version}#"
    return web.Response(body=dumps(body), content_type="application/json", headers={"Content-Profile": profile})


# ---- actors, notes and collections ----------------------------------------------------------

async def instance_actor(request: web.Request) -> web.Response:
    rt = runtime(request)
    return activity_response(actor_document(await find_instance_actor(rt.db, rt.urls), rt.urls))


async def actor(request: web.Request) -> web.Response:
    rt, found = await _local_actor(request)
    room = await rooms.room_for(rt, found)  # a room's actor is a Group with its house rules
    return activity_response(rooms.room_document(rt, room) if room else actor_document(found, rt.urls))


async def inbox(request: web.Request) -> web.Response:
    rt = runtime(request)
    if await request.app[BACKLOG].full():  # before the body is even read: the cheapest answer
        INBOX_ACTIVITIES.labels("refused", "Backlog").inc()
        log.info("refused method=POST path=%s status=503 reason=inbox backlog full", request.path)
        response = json_error(503, "too many activities waiting; retry later")
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
    rt.inbox_requests += 1  # the inbox worker steps aside while many are being answered
    rt.inbox_last_request = time.monotonic()
    try:
        if "username" in request.match_info:
            await _local_actor(request)
        body = await read_body(request, rt.settings.max_body_bytes)
        is_new = await request.app[INBOX].accept(request.method, request.raw_path, request.headers, body)
    except PubHubError as exc:  # the kind of refusal, not its message: a label must have few values
        INBOX_ACTIVITIES.labels("refused", exc.__class__.__name__).inc()
        raise
    finally:
        rt.inbox_requests -= 1
    if is_new:
        request.app[BACKLOG].accepted()
    labelled(INBOX_ACTIVITIES, "accepted" if is_new else "duplicate", "").inc()
    return web.Response(status=202, body=b"{}", content_type="application/json")


def _page_number(request: web.Request) -> int | None:
    raw = request.query.get("page")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or not 1 <= int(raw) <= 100_000:
        raise BadRequest("page must be a positive number")
    return int(raw)


def _collection(collection_id: str, total: int, page: int | None, items: list) -> dict:
    if page is None:
        return vocab.ordered_collection(collection_id, total, f"{collection_id}?page=1")
    next_page = f"{collection_id}?page={page + 1}" if page * PAGE_SIZE < total else None
    prev_page = f"{collection_id}?page={page - 1}" if page > 1 else None
    document = vocab.ordered_collection_page(f"{collection_id}?page={page}", collection_id, items, next_page, prev_page)
    document["totalItems"] = total
    return document


async def _readable_room(request: web.Request, rt, found):
    """The room whose collection is asked for (None for an account), once the asker may read
    it: a members-only room's only by a signed fetch from a member's server, else 404."""
    room = await rooms.room_for(rt, found)
    if room is not None:
        await rooms.require_member_server(rt, room, (await signed_viewer(request)).actor)
    return room


async def _follow_collection(request: web.Request, *, followers: bool) -> web.Response:
    rt, found = await _local_actor(request)
    await _readable_room(request, rt, found)
    collection_id = found.followers_url if followers else found.following_url
    page = _page_number(request)
    total, items = await follow_collection(rt.db, found, followers=followers, limit=PAGE_SIZE,
                                           offset=((page or 1) - 1) * PAGE_SIZE)
    return activity_response(_collection(collection_id, total, page, items if page else []))


async def followers(request: web.Request) -> web.Response:
    return await _follow_collection(request, followers=True)


async def following(request: web.Request) -> web.Response:
    return await _follow_collection(request, followers=False)


async def outbox(request: web.Request) -> web.Response:
    rt, found = await _local_actor(request)
    page = _page_number(request)
    room = await _readable_room(request, rt, found)
    if room is not None:  # what the room shares: its Announces
        total, announces = await rooms.outbox_page(rt, room, page)
        return activity_response(_collection(found.outbox, total, page, announces))
    total, notes = await outbox_page(rt.db, await signed_viewer(request), found, page)
    items = [vocab.embedded(create_document(n, found, rt.urls)) for n in notes]
    return activity_response(_collection(found.outbox, total, page, items))


async def featured(request: web.Request) -> web.Response:
    """The account's pinned notes (Mastodon's `featured`), those the asker may see."""
    rt, found = await _local_actor(request)
    notes = await marks.featured(rt.db, await signed_viewer(request), found)
    return activity_response(featured_document(rt.urls.featured(found.uri), notes, found))


async def note(request: web.Request) -> web.Response:
    rt, found = await _local_actor(request)
    item = await note_of(rt.db, await signed_viewer(request), found, request.match_info["id"])
    return activity_response(note_document(item, found))


async def note_activity(request: web.Request) -> web.Response:
    rt, found = await _local_actor(request)
    item = await note_of(rt.db, await signed_viewer(request), found, request.match_info["id"])
    return activity_response(create_document(item, found, rt.urls))
