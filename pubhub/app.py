"""The aiohttp application: middlewares, routes, and the services' lifetime."""

from __future__ import annotations

from aiohttp import web

from .config import Settings
from .middlewares import errors_as_json
from .services import Services

SERVICES = web.AppKey("services", Services)


def create_app(settings: Settings, *, workers: bool = True) -> web.Application:
    from .api import routes as api_routes
    from .federation import routes as federation_routes
    from .web import pages

    app = web.Application(middlewares=[errors_as_json], client_max_size=settings.max_body_bytes)

    async def lifetime(app: web.Application):
        services = Services.create(settings)
        app[SERVICES] = services
        await services.instance_signer()
        if workers:
            services.start_workers()
        yield
        await services.close()

    app.cleanup_ctx.append(lifetime)
    federation_routes.setup(app)
    api_routes.setup(app)
    pages.setup(app)
    app.router.add_get("/livez", _livez)
    app.router.add_get("/readyz", _readyz)
    return app


async def _livez(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    from sqlalchemy import text

    async with request.app[SERVICES].db.read() as session:
        await session.execute(text("SELECT 1"))
    return web.json_response({"status": "ok"})
