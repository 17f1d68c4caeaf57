"""Mastodon-compatible endpoints so agency staff can use existing tools."""

from __future__ import annotations

from aiohttp import web

from ..app import SERVICES
from ..errors import BadRequest, NotFound, PubHubError
from ..federation.publish import (
    StatusRequest,
    create_status,
    delete_status,
    follow_account,
    resolve_account,
    unfollow_account,
)
from ..jsonutil import dumps
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store.models import parse_id
from .auth import as_bool, current_account, params
from .reading import can_see, statuses_json, visible_status
from .serializers import account_json


def setup(app: web.Application) -> None:
    app.router.add_post("/api/v1/statuses", post_status)
    app.router.add_get("/api/v1/statuses/{id}", get_status)
    app.router.add_delete("/api/v1/statuses/{id}", remove_status)
    app.router.add_get("/api/v1/statuses/{id}/context", status_context)
    app.router.add_get("/api/v1/accounts/verify_credentials", verify_credentials)
    app.router.add_get("/api/v1/accounts/lookup", lookup_account)
    app.router.add_get("/api/v1/accounts/relationships", relationships)
    app.router.add_get("/api/v1/accounts/{id}", get_account)
    app.router.add_post("/api/v1/accounts/{id}/follow", follow)
    app.router.add_post("/api/v1/accounts/{id}/unfollow", unfollow)
    app.router.add_get("/api/v2/search", search)
    app.router.add_get("/api/v1/instance", instance)


def ok(body, status: int = 200) -> web.Response:
    return web.Response(body=dumps(body), status=status, content_type="application/json")


def _id(request: web.Request) -> int:
    record_id = parse_id(request.match_info["id"])
    if record_id is None:
        raise NotFound("Record not found")
    return record_id


async def _account_json(services, actor) -> dict:
    async with services.db.read() as session:
        counts = await actor_store.counts(session, actor)
    return account_json(actor, services.settings.domain, counts)


# ---- statuses -------------------------------------------------------------------------------

async def post_status(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    author = await current_account(request)
    data = await params(request)
    reply_to = data.get("in_reply_to_id")
    if reply_to not in (None, "") and parse_id(reply_to) is None:
        raise NotFound("the status replied to does not exist")
    status_request = StatusRequest(
        text=str(data.get("status") or ""),
        visibility=str(data.get("visibility") or "public"),
        in_reply_to_id=parse_id(reply_to) if reply_to not in (None, "") else None,
        spoiler_text=str(data.get("spoiler_text") or ""),
        sensitive=as_bool(data.get("sensitive", False)),
        language=str(data["language"])[:16] if data.get("language") else None,
    )
    if status_request.in_reply_to_id is not None:
        async with services.db.read() as session:
            await visible_status(session, author, status_request.in_reply_to_id)
    note = await create_status(services, author, status_request)
    async with services.db.read() as session:
        return ok((await statuses_json(session, [note], services.settings.domain))[0])


async def get_status(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    viewer = await current_account(request)
    async with services.db.read() as session:
        note = await visible_status(session, viewer, _id(request))
        return ok((await statuses_json(session, [note], services.settings.domain))[0])


async def remove_status(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    author = await current_account(request)
    snapshot = await delete_status(services, author, _id(request))
    async with services.db.read() as session:
        body = (await statuses_json(session, [snapshot], services.settings.domain))[0]
    body["text"] = snapshot.source_text
    return ok(body)


async def status_context(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    viewer = await current_account(request)
    async with services.db.read() as session:
        note = await visible_status(session, viewer, _id(request))
        ancestors = [n for n in await object_store.ancestors(session, note) if await can_see(session, viewer, n)]
        descendants = [n for n in await object_store.descendants(session, note) if await can_see(session, viewer, n)]
        return ok({
            "ancestors": await statuses_json(session, ancestors, services.settings.domain),
            "descendants": await statuses_json(session, descendants, services.settings.domain),
        })


# ---- accounts -------------------------------------------------------------------------------

async def verify_credentials(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    actor = await current_account(request)
    body = await _account_json(services, actor)
    body["source"] = {"privacy": "public", "sensitive": False, "language": None, "note": "", "fields": []}
    body["role"] = {"name": actor.role}
    return ok(body)


async def _account_by_id(request: web.Request):
    services = request.app[SERVICES]
    async with services.db.read() as session:
        actor = await actor_store.by_id(session, _id(request))
    if actor is None or actor.deleted_at is not None or actor.kind == "Application":
        raise NotFound("Record not found")
    return services, actor


async def get_account(request: web.Request) -> web.Response:
    await current_account(request)
    services, actor = await _account_by_id(request)
    return ok(await _account_json(services, actor))


async def lookup_account(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    await current_account(request)
    acct = request.query.get("acct", "")
    if "@" not in acct.lstrip("@"):
        acct = f"{acct.lstrip('@')}@{services.settings.domain}"
    try:
        actor = await resolve_account(services, acct)
    except PubHubError as exc:
        raise NotFound("Record not found") from exc
    return ok(await _account_json(services, actor))


async def search(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    await current_account(request)
    query = request.query.get("q", "").strip()
    if not query:
        raise BadRequest("q is required", status=422)
    accounts = []
    if "@" in query.lstrip("@") and as_bool(request.query.get("resolve", "false")):
        try:
            accounts.append(await _account_json(services, await resolve_account(services, query)))
        except PubHubError:
            pass
    elif "@" not in query.lstrip("@"):
        async with services.db.read() as session:
            found = await actor_store.local_by_username(session, query.lstrip("@"))
        if found is not None:
            accounts.append(await _account_json(services, found))
    return ok({"accounts": accounts, "statuses": [], "hashtags": []})


async def _relationship(services, viewer, target) -> dict:
    async with services.db.read() as session:
        out = await follow_store.between(session, viewer.id, target.id)
        back = await follow_store.between(session, target.id, viewer.id)
    return {
        "id": str(target.id),
        "following": out is not None and out.state == "accepted",
        "requested": out is not None and out.state == "pending",
        "followed_by": back is not None and back.state == "accepted",
        "blocking": False, "blocked_by": False, "muting": False, "muting_notifications": False,
        "domain_blocking": False, "endorsed": False, "showing_reblogs": True, "notifying": False, "note": "",
    }


async def relationships(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    viewer = await current_account(request)
    result = []
    for raw in request.query.getall("id[]", []) + request.query.getall("id", []):
        if parse_id(raw) is not None:
            async with services.db.read() as session:
                target = await actor_store.by_id(session, parse_id(raw))
            if target is not None:
                result.append(await _relationship(services, viewer, target))
    return ok(result)


async def follow(request: web.Request) -> web.Response:
    viewer = await current_account(request)
    services, target = await _account_by_id(request)
    await follow_account(services, viewer, target)
    return ok(await _relationship(services, viewer, target))


async def unfollow(request: web.Request) -> web.Response:
    viewer = await current_account(request)
    services, target = await _account_by_id(request)
    await unfollow_account(services, viewer, target)
    return ok(await _relationship(services, viewer, target))


async def instance(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    return ok({
        "uri": services.settings.domain,
        "domain": services.settings.domain,
        "title": services.settings.instance_name,
        "version": "4.2.0 (compatible; PubHub)",
        "registrations": False,
    })
