"""Federation endpoints: WebFinger, host-meta, NodeInfo, actor and collection documents, inboxes.
Thin edges: parse, call one domain function, map the result."""

from __future__ import annotations

from aiohttp import web

from .. import __version__
from ..accounts import public_local_account
from ..app import SERVICES
from ..errors import BadRequest, NotFound
from ..jsonutil import dumps
from ..middlewares import read_body
from ..store import actors as actor_store
from ..store import follows as follow_store
from . import vocab
from .documents import actor_document, create_document, note_document
from .inbound import accept_inbound
from .outbox import outbox_page, public_note

PAGE_SIZE = 20


def setup(app: web.Application) -> None:
    app.router.add_get("/.well-known/webfinger", webfinger)
    app.router.add_get("/.well-known/host-meta", host_meta)
    app.router.add_get("/.well-known/nodeinfo", nodeinfo_links)
    app.router.add_get("/nodeinfo/{version:2\\.[01]}", nodeinfo)
    app.router.add_get("/actor", instance_actor)
    app.router.add_post("/inbox", inbox)
    app.router.add_get("/users/{username}", actor, name="actor")
    app.router.add_post("/users/{username}/inbox", inbox)
    app.router.add_get("/users/{username}/outbox", outbox)
    app.router.add_get("/users/{username}/followers", followers)
    app.router.add_get("/users/{username}/following", following)
    app.router.add_get("/users/{username}/statuses/{id:\\d+}", note)
    app.router.add_get("/users/{username}/statuses/{id:\\d+}/activity", note_activity)


def activity_response(document: dict, status: int = 200) -> web.Response:
    return web.Response(body=dumps(document), status=status, content_type=vocab.ACTIVITY_JSON)


def negotiated(response: web.Response) -> web.Response:
    """Actor and note URLs answer browsers with HTML and servers with JSON: caches must key on Accept."""
    response.headers["Vary"] = "Accept"
    return response


def wants_activitypub(request: web.Request) -> bool:
    accept = request.headers.get("Accept", "")
    return any(vocab.is_activitypub_media_type(part) or part.strip().startswith(vocab.ACTIVITY_JSON)
               for part in accept.split(","))


async def _local_actor(request: web.Request):
    services = request.app[SERVICES]
    return services, await public_local_account(services.db, request.match_info["username"])


# ---- discovery ------------------------------------------------------------------------------

async def webfinger(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    resource = request.query.get("resource", "").strip()
    if not resource:
        raise BadRequest("resource parameter is required")
    domain = services.settings.domain
    async with services.db.read() as session:
        if resource.startswith("acct:"):
            username, _, host = resource[5:].lstrip("@").rpartition("@")
            if host.lower() != domain:
                raise NotFound("no such account here")
            found = await actor_store.local_by_username(session, username)
        else:
            found = await actor_store.by_uri(session, resource)
            if found is None and resource.startswith(services.urls.base + "/@"):
                found = await actor_store.local_by_username(session, resource.rsplit("/@", 1)[1])
    if found is None or not found.local or found.deleted_at is not None:
        raise NotFound("no such account here")
    body = {
        "subject": f"acct:{found.username}@{domain}",
        "aliases": [found.uri, found.url or found.uri],
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": found.url or found.uri},
            {"rel": "self", "type": vocab.ACTIVITY_JSON, "href": found.uri},
        ],
    }
    return web.Response(body=dumps(body), content_type="application/jrd+json",
                        headers={"Access-Control-Allow-Origin": "*"})


async def host_meta(request: web.Request) -> web.Response:
    base = request.app[SERVICES].urls.base
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
           f'  <Link rel="lrdd" template="{base}/.well-known/webfinger?resource={{uri}}"/>\n</XRD>\n')
    return web.Response(text=xml, content_type="application/xrd+xml")


async def nodeinfo_links(request: web.Request) -> web.Response:
    base = request.app[SERVICES].urls.base
    return web.json_response({"links": [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": f"{base}/nodeinfo/2.0"},
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f"{base}/nodeinfo/2.1"},
    ]})


async def nodeinfo(request: web.Request) -> web.Response:
    from .outbox import usage_counts

    version = request.match_info["version"]
    services = request.app[SERVICES]
    users, posts = await usage_counts(services)
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
        "metadata": {"nodeName": services.settings.instance_name},
    }
    profile = f"http://nodeinfo.diaspora.software/ns/schema/{version}#"
    return web.Response(body=dumps(body), content_type="application/json", headers={"Content-Profile": profile})


# ---- actors and collections -----------------------------------------------------------------

async def instance_actor(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    async with services.db.read() as session:
        found = await actor_store.by_uri(session, services.urls.instance_actor())
    return activity_response(actor_document(found, services.urls))


async def actor(request: web.Request) -> web.Response:
    if not wants_activitypub(request):
        from ..web.pages import profile_page

        return negotiated(await profile_page(request))
    services, found = await _local_actor(request)
    return negotiated(activity_response(actor_document(found, services.urls)))


async def inbox(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    if "username" in request.match_info:
        await _local_actor(request)
    body = await read_body(request, services.settings.max_body_bytes)
    await accept_inbound(services, request.method, request.raw_path, request.headers, body)
    return web.Response(status=202, body=b"{}", content_type="application/json")


def _page_number(request: web.Request) -> int | None:
    raw = request.query.get("page")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or not 1 <= int(raw) <= 100_000:
        raise BadRequest("page must be a positive number")
    return int(raw)


async def _follow_collection(request: web.Request, *, followers: bool) -> web.Response:
    services, found = await _local_actor(request)
    collection_id = found.followers_url if followers else found.following_url
    page = _page_number(request)
    async with services.db.read() as session:
        total, items = await follow_store.page(session, found.id, followers=followers, limit=PAGE_SIZE,
                                               offset=((page or 1) - 1) * PAGE_SIZE)
    if page is None:
        return activity_response(vocab.ordered_collection(collection_id, total, f"{collection_id}?page=1"))
    next_page = f"{collection_id}?page={page + 1}" if page * PAGE_SIZE < total else None
    prev_page = f"{collection_id}?page={page - 1}" if page > 1 else None
    document = vocab.ordered_collection_page(f"{collection_id}?page={page}", collection_id, items, next_page, prev_page)
    document["totalItems"] = total
    return activity_response(document)


async def followers(request: web.Request) -> web.Response:
    return await _follow_collection(request, followers=True)


async def following(request: web.Request) -> web.Response:
    return await _follow_collection(request, followers=False)


async def outbox(request: web.Request) -> web.Response:
    services, found = await _local_actor(request)
    return activity_response(await outbox_page(services, found, _page_number(request)))


async def note(request: web.Request) -> web.Response:
    if not wants_activitypub(request):
        from ..web.pages import note_page

        return negotiated(await note_page(request))
    services, found = await _local_actor(request)
    item = await public_note(services, found, request.match_info["id"])
    return negotiated(activity_response(note_document(item, found)))


async def note_activity(request: web.Request) -> web.Response:
    services, found = await _local_actor(request)
    item = await public_note(services, found, request.match_info["id"])
    return activity_response(create_document(item, found, services.urls))


