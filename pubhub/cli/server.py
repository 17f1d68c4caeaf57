"""The commands that make a database and run the service: init, serve, worker, demo."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import signal
import socket

import click

from ..config import ConfigError, Settings
from ..config import metrics_address as parse_metrics_address
from .common import (check_database, first_line, migrate, one_line_errors, settings, setup_logging, shown,
                     with_session)

log = logging.getLogger("pubhub.cli")


def _long_running_process(config: Settings) -> None:
    """What every server process sets up: logging (and its first line, the configuration),
    and a garbage collector that does not stop the event loop for full collections over the
    start-up objects (they live for good)."""
    import gc

    setup_logging(config)
    log.info("configuration %s", " ".join(f"{k}={v}" for k, v in config.described().items()))
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def _metrics_option(default_help: str):
    def parse(ctx, param, value):
        try:
            return None if value is None else (parse_metrics_address(value) or "off")
        except ConfigError as exc:
            raise click.BadParameter("must be host:port (e.g. 127.0.0.1:9464) or off") from exc

    return click.option("--metrics-address", callback=parse, metavar="HOST:PORT|off",
                        help=f"Serve Prometheus metrics at http://HOST:PORT/metrics. {default_help}")


@click.command()
def init() -> None:
    """Create or upgrade the database schema (safe to run again); records the domain and
    scheme it is for, and refuses a database made for others."""
    config = settings()
    migrate(config)
    check_database(config)
    click.echo(f"database ready: {shown(config.database_url)} for {config.base_url}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=None, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, printed at start). Default: the port in "
                   "PUBHUB_DOMAIN when it is a loopback address, else 8080.")
@click.option("--no-workers", is_flag=True, help="Only serve HTTP; run `pubhub worker` for deliveries.")
@click.option("--access-log", is_flag=True, help="Log every request (the reverse proxy usually does).")
@_metrics_option("Default: PUBHUB_METRICS_ADDRESS (127.0.0.1:9464).")
def serve(host: str, port: int | None, no_workers: bool, access_log: bool, metrics_address: str | None) -> None:
    """Run the web server (and, unless --no-workers, the background workers)."""
    from aiohttp import web

    from ..server import create_app

    config = settings()
    if metrics_address is not None:  # the option wins; the configuration line shows what is used
        config = dataclasses.replace(config, metrics_address=None if metrics_address == "off" else metrics_address)
    _long_running_process(config)
    check_database(config)  # a bad database is said before "serving", not after
    if port is None:
        port = config.loopback_port or 8080
    # Both bound before anything says "serving": the port shown is ours, and one in use is an error.
    sock = _bound(f"listen on {host}:{port}", host, port, hint="(choose another with --host or --port)")
    metrics = _metrics_socket(config.metrics_address)
    bound = f"[{host}]" if sock.family == socket.AF_INET6 else host
    click.echo(f"PubHub serving {config.base_url} on http://{bound}:{sock.getsockname()[1]}/")
    with one_line_errors(os_error="could not start"):
        web.run_app(create_app(config, workers=not no_workers, metrics_socket=metrics), sock=sock, print=None,
                    access_log=logging.getLogger("aiohttp.access") if access_log else None)
    click.echo("PubHub stopped")


def _metrics_socket(address: str | None) -> socket.socket | None:
    from ..server import split_address

    if address is None:
        return None
    return _bound(f"serve metrics on {address}", *split_address(address),
                  hint="(set PUBHUB_METRICS_ADDRESS or --metrics-address to a free host:port, or to off)")


def _bound(what: str, host: str, port: int, *, hint: str) -> socket.socket:
    """A listening socket, or one line saying which address could not be had and what to change."""
    from ..server import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot {what}: {exc.strerror or first_line(exc)} {hint}") from exc


@click.command()
@_metrics_option("Default: none (PUBHUB_METRICS_ADDRESS is for `serve`; two processes cannot share it).")
def worker(metrics_address: str | None) -> None:
    """Run the inbox and delivery workers only (for scale-out beside `serve --no-workers`)."""
    from ..federation.workers import Workers
    from ..server import create_runtime, start_metrics

    # Only the option counts here; the configuration line says so.
    config = dataclasses.replace(settings(), metrics_address=None if metrics_address in (None, "off") else metrics_address)
    _long_running_process(config)
    metrics_socket = _metrics_socket(config.metrics_address)

    async def run() -> None:
        rt = create_runtime(config)
        try:
            await rt.check_identity()
            await rt.media.start()
            workers = Workers(rt)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await rt.instance_signer()
            metrics = await start_metrics(rt, metrics_socket) if metrics_socket is not None else None
            workers.start()
            click.echo("PubHub worker running; Ctrl-C to stop")
            await stop.wait()
            await workers.stop()
            if metrics is not None:
                await metrics.cleanup()
        finally:
            await rt.close()

    with one_line_errors():
        asyncio.run(run())


@click.command()
@click.option("--username", default="gemeente", show_default=True, help="The demo agency account.")
def demo(username: str) -> None:
    """Create or upgrade the database; on a new database, add a demo agency account with an
    admin token. Prints how to reach it (used by `make run`)."""
    from ..accounts.local import create_local_account
    from ..accounts.principal import DEFAULT_SCOPES
    from ..accounts.tokens import create_token
    from ..store import actors as actor_store

    config = settings()
    migrate(config)

    async def run(session, rt):
        if await actor_store.local_account_count(session):
            return None
        now = rt.clock.now()
        actor = await create_local_account(session, rt.urls, config.domain, username, now=now,
                                           display_name="Demo Gemeente", kind="organization", role="admin")
        return actor, await create_token(session, actor, now=now, name="demo",
                                         scopes=f"{DEFAULT_SCOPES} admin:read admin:write")

    created = with_session(run, config=config)
    click.echo(f"PubHub at {config.base_url}/  (database {shown(config.database_url)})")
    click.echo(f"  demo account: @{username}@{config.domain}  profile {config.base_url}/@{username}")
    if created:
        click.echo(f"  admin token (shown once): {created[1]}")
        click.echo(f"  try: curl -H 'Authorization: Bearer {created[1]}' -d 'status=Hello' {config.base_url}/api/v1/statuses")
    else:
        click.echo(f"  existing database: make another token with `.venv/bin/pubhub tokens create {username}`")
