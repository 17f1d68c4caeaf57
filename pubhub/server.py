"""The HTTP application and its wiring: one Runtime per process, the entry points' routes,
the middlewares, and (unless told otherwise) the background workers in the same process."""

from __future__ import annotations

import asyncio
import logging
import socket

from aiohttp import web

from .api import routes as api_routes
from .clock import SYSTEM_CLOCK, Clock
from .config import Settings
from .errors import PubHubError
from .federation import routes as federation_routes
from .federation.workers import Workers
from .http.cors import cors
from .http.keys import RUNTIME, runtime
from .http.middlewares import count_requests, error_responses, errors_as_json, security_headers
from .http.negotiation import vary
from .activitypub.client import HttpClient
from .identity.registry import load_verifiers
from .moderation.rules import seed_rules
from .moderation.seam import AllowList, DomainBlocks, SuspendedAccounts
from .policy import Policies, Policy
from .rooms.seam import RoomBans
from .runtime import Runtime
from .store import notify
from .store.db import DatabaseError, ping
from .store.streams import CHANNEL
from .web import errors as web_errors
from .web import pages, rendering
from .web import routes as web_routes

WORKERS = web.AppKey("workers", Workers)
log = logging.getLogger("pubhub.server")


def create_app(settings: Settings, *, workers: bool = True, policy: Policy | None = None,
               clock: Clock = SYSTEM_CLOCK, metrics_socket: socket.socket | None = None) -> web.Application:
    """The public application; with `metrics_socket` (see `listening_socket`), Prometheus
    metrics are served there too, on a listener of their own (never on the public port)."""
    # Errors as JSON, or as an HTML page for browsers.
    # CORS outside the error middleware, so that browser apps can read refusals too.
    app = web.Application(middlewares=[count_requests, cors, error_responses(web_errors.error_page)],
                          client_max_size=settings.max_body_bytes)
    app.on_response_prepare.append(security_headers(rendering.CONTENT_SECURITY_POLICY))

    async def lifetime(app: web.Application):
        rt = create_runtime(settings, policy=policy, clock=clock)
        app[RUNTIME] = rt
        app[WORKERS] = Workers(rt)
        try:
            await rt.media.start()
            await rt.instance_signer()
            await seed_rules(rt, settings.rules)
        except BaseException:  # not started: what is open closes (the bucket's client, the database)
            await rt.close()
            raise
        metrics = await start_metrics(rt, metrics_socket) if metrics_socket is not None else None
        if workers:
            app[WORKERS].start()
            log.info("inbox and delivery workers started")
        else:
            log.info("workers not started in this process (--no-workers): run `pubhub worker`")
        streams = _listen_for_streams(rt)
        yield
        if streams is not None:
            await streams()
        if workers:
            await app[WORKERS].stop()
            log.info("inbox and delivery workers stopped")
        if metrics is not None:
            await metrics.cleanup()
        await rt.close()

    app.cleanup_ctx.append(lifetime)
    app.on_shutdown.append(_end_streams)
    federation_routes.setup(app)
    api_routes.setup(app)
    web_routes.setup(app)
    # One URL, two representations: servers get the document, browsers the page.
    app.router.add_get("/users/{username}", by_accept(federation_routes.actor, pages.profile_page))
    app.router.add_get("/users/{username}/statuses/{id:\\d+}", by_accept(federation_routes.note, pages.note_page))
    app.router.add_get("/livez", _livez)
    app.router.add_get("/readyz", _readyz)
    return app


def _listen_for_streams(rt: Runtime):
    """On PostgreSQL, the streaming API hears the events other processes (`pubhub worker`,
    other `pubhub serve`) commit; returns the way to stop listening. (SQLite is one process.)"""
    if rt.db.is_sqlite:
        return None
    stop = asyncio.Event()
    task = asyncio.create_task(notify.listen(rt.settings.database_url, {CHANNEL: rt.streams.receive}, stop),
                               name="streams-listener")

    async def end() -> None:
        stop.set()
        await asyncio.gather(task, return_exceptions=True)

    return end


async def _end_streams(app: web.Application) -> None:
    """Open streams (WebSocket, server-sent events) end before the server stops."""
    app[RUNTIME].streams.close()


def create_runtime(settings: Settings, *, policy: Policy | None = None, clock: Clock = SYSTEM_CLOCK) -> Runtime:
    """The process's Runtime, its policy seam holding the domain blocks (and, in limited
    federation, the domain allows), the room bans and the suspended remote accounts beside
    `policy`."""
    policies = Policies(*([policy] if policy is not None else []))
    rt = Runtime.create(settings, policy=policies, clock=clock)
    policies.add(DomainBlocks(rt.db, clock))
    if settings.limited_federation:
        policies.add(AllowList(rt.db, clock, settings.base_url))
    policies.add(RoomBans(rt.db, clock))
    policies.add(SuspendedAccounts(rt.db, clock))
    if settings.identity_verifiers:
        # Their own client: the address guard holds, the federation seam does not (an agency's
        # Yivi server is no fediverse server, and limited federation must not shut it out).
        http = HttpClient(settings, clock=clock)
        rt.closers.append(http.close)
        rt.verifiers = load_verifiers(settings.identity_verifiers,
                                      {**dict(settings.plugin_config), "PUBHUB_BASE_URL": settings.base_url}, http)
    return rt


def by_accept(activitypub_handler, html_handler):
    async def negotiated(request: web.Request) -> web.StreamResponse:
        wanted = activitypub_handler if federation_routes.wants_activitypub(request) else html_handler
        response = await wanted(request)
        vary(response, "Accept")  # caches must key on Accept (and the page on Accept-Language)
        return response

    return negotiated


async def _livez(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    try:
        async with runtime(request).db.read() as session:
            migration = await ping(session)
    except (DatabaseError, OSError) as exc:
        log.warning("not ready: database error %s", exc.__class__.__name__)
        raise PubHubError("database not ready", status=503) from exc
    return web.json_response({"status": "ok", "migration": migration})


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (IPv6 for an address with a colon). Servers bind every
    address before they say they are serving: a port in use is an error at start, not after."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    return sock


def split_address(address: str) -> tuple[str, int]:
    """`host:port` (IPv6 as `[::1]:9464`, as config.metrics_address checked it) as (host, port)."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


async def start_metrics(rt: Runtime, sock: socket.socket) -> web.AppRunner:
    """Serve GET /metrics (Prometheus text format) on the bound `sock`; the caller cleans it up.
    Queue depths and ages are read from the database at each scrape."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from .federation.queues import queue_stats
    from .metrics import QUEUE_DEPTH, QUEUE_OLDEST

    async def scrape(request: web.Request) -> web.Response:
        for queue, (depth, age) in (await queue_stats(rt)).items():
            QUEUE_DEPTH.labels(queue).set(depth)
            QUEUE_OLDEST.labels(queue).set(age)
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    metrics_app = web.Application(middlewares=[errors_as_json])
    metrics_app.router.add_get("/metrics", scrape)
    runner = web.AppRunner(metrics_app, access_log=None)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
    except OSError:
        await runner.cleanup()
        raise
    host, port = sock.getsockname()[:2]
    log.info("metrics on http://%s/metrics", f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
    return runner
