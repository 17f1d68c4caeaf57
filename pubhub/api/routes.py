"""The client API's routes (Mastodon-compatible), each with the scope it needs."""

from __future__ import annotations

from aiohttp import web

from . import accounts, instance, statuses


def setup(app: web.Application) -> None:
    app.router.add_post("/api/v1/statuses", statuses.post_status)
    app.router.add_get("/api/v1/statuses/{id}", statuses.get_status)
    app.router.add_delete("/api/v1/statuses/{id}", statuses.remove_status)
    app.router.add_get("/api/v1/statuses/{id}/context", statuses.status_context)
    app.router.add_get("/api/v1/accounts/verify_credentials", accounts.verify_credentials)
    app.router.add_get("/api/v1/accounts/lookup", accounts.lookup_account)
    app.router.add_get("/api/v1/accounts/relationships", accounts.relationships)
    app.router.add_get("/api/v1/accounts/{id}", accounts.get_account)
    app.router.add_post("/api/v1/accounts/{id}/follow", accounts.follow)
    app.router.add_post("/api/v1/accounts/{id}/unfollow", accounts.unfollow)
    app.router.add_get("/api/v2/search", accounts.search)
    app.router.add_get("/api/v1/instance", instance.instance)
