"""Notifications (Mastodon's): GET /api/v1/notifications (types[], exclude_types[], account_id,
max_id/since_id/min_id/limit with the Link header), GET /api/v1/notifications/:id,
POST /api/v1/notifications/clear and POST /api/v1/notifications/:id/dismiss."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import notifications
from ..social.notifications import TYPES, WITH_STATUS, NotificationView
from ..store.models import parse_id
from .paging import bounds_of, link_header
from .schemas import NoParams, NotificationsPage
from .serializers import account_json, statuses_json


def notification_json(view: NotificationView, local_domain: str) -> dict:
    """Mastodon's Notification entity: `status` only for the types about a status."""
    n = view.notification
    shown = {"id": str(n.id), "type": n.type, "created_at": iso(n.created_at), "group_key": f"ungrouped-{n.id}",
             "account": account_json(view.account, local_domain)}
    if n.type in WITH_STATUS:
        shown["status"] = statuses_json([view.status], local_domain)[0] if view.status else None
    return shown


@requires("read:notifications")
async def list_notifications(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    page = await read_params(request, NotificationsPage)
    types = [t for t in page.type_list if t in TYPES]
    if page.type_list and not types:
        return ok([])  # only unknown types asked for: none of them exist
    bounds = bounds_of(page)
    from_id = parse_id(page.account_id) if page.account_id else None
    if page.account_id and from_id is None:
        return ok([])
    views, read_ids = await notifications.page(rt.db, principal.account, bounds, types=types or None,
                                               exclude=page.exclude_list, from_account_id=from_id)
    return ok([notification_json(v, rt.domain) for v in views], headers=link_header(request, read_ids, page.limit))


@requires("read:notifications")
async def get_notification(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    view = await notifications.one(rt.db, principal.account, parse_id(request.match_info["id"]))
    return ok(notification_json(view, rt.domain))


@requires("write:notifications")
async def clear(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    await notifications.clear(runtime(request).db, principal.account)
    return ok({})


@requires("write:notifications")
async def dismiss(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    await notifications.dismiss(runtime(request).db, principal.account, parse_id(request.match_info["id"]))
    return ok({})
