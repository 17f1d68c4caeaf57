"""The client API's routes (Mastodon-compatible), each with the scope it needs.

Rails routes match with and without a trailing slash, and clients use both (Mastodon.py asks
for `/api/v1/instance/`): every route here is registered both ways.
"""

from __future__ import annotations

from aiohttp import web

from . import (accounts, apps, domain_blocks, follow_requests, hubs, instance, oauth, preferences, rooms,
               statuses)

ROUTES = [
    ("POST", "/api/v1/statuses", statuses.post_status),
    ("GET", "/api/v1/statuses/{id}", statuses.get_status),
    ("DELETE", "/api/v1/statuses/{id}", statuses.remove_status),
    ("GET", "/api/v1/statuses/{id}/context", statuses.status_context),
    ("GET", "/api/v1/accounts/verify_credentials", accounts.verify_credentials),
    ("PATCH", "/api/v1/accounts/update_credentials", accounts.update_credentials),
    ("GET", "/api/v1/accounts/lookup", accounts.lookup_account),
    ("GET", "/api/v1/accounts/relationships", accounts.relationships),
    ("GET", "/api/v1/accounts/{id}", accounts.get_account),
    ("POST", "/api/v1/accounts/{id}/follow", accounts.follow),
    ("POST", "/api/v1/accounts/{id}/unfollow", accounts.unfollow),
    ("GET", "/api/v1/follow_requests", follow_requests.list_requests),
    ("POST", "/api/v1/follow_requests/{id}/authorize", follow_requests.authorize),
    ("POST", "/api/v1/follow_requests/{id}/reject", follow_requests.reject),
    ("GET", "/api/v2/search", accounts.search),
    ("GET", "/api/v1/instance", instance.instance_v1),
    ("GET", "/api/v2/instance", instance.instance_v2),
    ("GET", "/api/v1/instance/rules", instance.instance_rules),
from . import (accounts, apps, domain_blocks, follow_requests, hubs, instance, oauth, preferences, rooms,
               statuses)
]


def setup(app: web.Application) -> None:
    for method, path, handler in ROUTES:
        for variant in (path, path + "/"):
            if method == "GET":
                app.router.add_get(variant, handler)  # with HEAD, as before
            else:
                app.router.add_route(method, variant, handler)
    for method, path, handler in OAUTH_ROUTES:
        app.router.add_route(method, path, handler)
