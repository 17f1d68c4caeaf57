"""The `pubhub` command: init, serve, worker, accounts, tokens."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from contextlib import contextmanager

import click

from .config import ConfigError, Settings


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:  # a bad environment, not a bad command line: no usage text
        raise click.ClickException(f"configuration: {exc}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _shown(database_url: str) -> str:
    from .store.db import shown_url

    return shown_url(database_url)


def _migrate(settings: Settings) -> None:
    from .store.migrate import upgrade

    try:
        upgrade(settings.database_url)
    except Exception as exc:  # a CLI must not print a traceback for a bad URL or a dead server
        raise click.ClickException(f"could not migrate {_shown(settings.database_url)}: {_first_line(exc)}") from exc


@contextmanager
def _one_line_errors(os_error: str = "database unreachable"):
    """Errors a command can meet at run time (a refusal, a missing or unreachable database,
    a port in use) become one line on stderr and exit status 1, never a traceback."""
    from .errors import PubHubError
    from .store.db import DatabaseError

    try:
        yield
    except PubHubError as exc:
        raise click.ClickException(exc.message) from exc
    except DatabaseError as exc:
        raise click.ClickException(f"database error ({_first_line(exc)}); did you run `pubhub init`?") from exc
    except OSError as exc:
        raise click.ClickException(f"{os_error}: {_first_line(exc)}") from exc


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


def _long_running_process() -> None:
    """What every server process sets up: logging, and a garbage collector that does not stop
    the event loop for full collections over the start-up objects (they live for good)."""
    import gc

    _logging()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """PubHub: a federated ActivityPub server for public-sector hubs.

    Configured through PUBHUB_* environment variables (or a .env file); see README.md."""


@main.command()
def init() -> None:
    """Create or upgrade the database schema (safe to run again)."""
    settings = _settings()
    _migrate(settings)
    click.echo(f"database ready: {_shown(settings.database_url)}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--no-workers", is_flag=True, help="Only serve HTTP; run `pubhub worker` for deliveries.")
@click.option("--access-log", is_flag=True, help="Log every request (the reverse proxy usually does).")
def serve(host: str, port: int, no_workers: bool, access_log: bool) -> None:
    """Run the web server (and, unless --no-workers, the background workers)."""
    import socket

    from aiohttp import web

    from .server import create_app

    _long_running_process()
    settings = _settings()
    with _one_line_errors(os_error="could not start"):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))  # bound before anything is printed: the port shown is ours
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        click.echo(f"PubHub serving {settings.base_url} on http://{shown}:{sock.getsockname()[1]}/")
        web.run_app(create_app(settings, workers=not no_workers), sock=sock, print=None,
                    access_log=logging.getLogger("aiohttp.access") if access_log else None)
    click.echo("PubHub stopped")


@main.command()
def worker() -> None:
    """Run the inbox and delivery workers only (for scale-out beside `serve --no-workers`)."""
    from .federation.workers import Workers
    from .runtime import Runtime

    _long_running_process()
    settings = _settings()

    async def run() -> None:
        rt = Runtime.create(settings)
        workers = Workers(rt)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await rt.instance_signer()
        workers.start()
        click.echo("PubHub worker running; Ctrl-C to stop")
        await stop.wait()
        await workers.stop()
        await rt.close()

    with _one_line_errors():
        asyncio.run(run())


@main.command()
@click.option("--username", default="gemeente", show_default=True, help="The demo agency account.")
def demo(username: str) -> None:
    """Create or upgrade the database; on a new database, add a demo agency account with an
    admin token. Prints how to reach it (used by `make run`)."""
    from .accounts.local import create_local_account
    from .accounts.principal import DEFAULT_SCOPES
    from .accounts.tokens import create_token
    from .store import actors as actor_store

    settings = _settings()
    _migrate(settings)

    async def run(session, rt):
        if await actor_store.local_account_count(session):
            return None
        now = rt.clock.now()
        actor = await create_local_account(session, rt.urls, settings.domain, username, now=now,
                                           display_name="Demo Gemeente", kind="organization", role="admin")
        return actor, await create_token(session, actor, now=now, name="demo",
                                         scopes=f"{DEFAULT_SCOPES} admin:read admin:write")

    created = _with_session(run)
    click.echo(f"PubHub at {settings.base_url}/  (database {_shown(settings.database_url)})")
    click.echo(f"  demo account: @{username}@{settings.domain}  profile {settings.base_url}/@{username}")
    if created:
        click.echo(f"  admin token (shown once): {created[1]}")
        click.echo(f"  try: curl -H 'Authorization: Bearer {created[1]}' -d 'status=Hello' {settings.base_url}/api/v1/statuses")
    else:
        click.echo(f"  existing database: make another token with `.venv/bin/pubhub tokens create {username}`")


@main.group()
def accounts() -> None:
    """Manage local accounts."""


@accounts.command("create")
@click.argument("name")
@click.option("--display-name", default="", help="Name shown on the profile.")
@click.option("--kind", type=click.Choice(["person", "service", "organization"]), default="person", show_default=True)
@click.option("--role", type=click.Choice(["user", "moderator", "admin"]), default="user", show_default=True)
@click.option("--locked", is_flag=True, help="Approve followers by hand.")
def accounts_create(name: str, display_name: str, kind: str, role: str, locked: bool) -> None:
    """Create a local account NAME; prints its actor URL."""
    from .accounts.local import create_local_account

    async def run(session, rt):
        actor = await create_local_account(session, rt.urls, rt.domain, name, now=rt.clock.now(),
                                           display_name=display_name, kind=kind, role=role, manually_approves=locked)
        return actor.uri

    click.echo(_with_session(run))


@main.group()
def tokens() -> None:
    """Manage API bearer tokens."""


@tokens.command("create")
@click.argument("name")
@click.option("--scopes", default="read write follow", show_default=True,
              help="Space-separated Mastodon scopes (read, write, follow, push, admin:read, admin:write, "
                   "or sub-scopes such as read:statuses). Admin scopes need role moderator or admin.")
def tokens_create(name: str, scopes: str) -> None:
    """Create a bearer token for account NAME; prints it as the last line."""
    from .accounts.tokens import create_token
    from .errors import NotFound
    from .store import actors as actor_store

    async def run(session, rt):
        actor = await actor_store.local_by_username(session, name)
        if actor is None or actor.kind == "Application" or actor.deleted_at is not None:
            raise NotFound(f"no local account {name!r}")
        return await create_token(session, actor, now=rt.clock.now(), name="cli", scopes=scopes)

    token = _with_session(run)
    click.echo(f"token for {name} with scopes {' '.join(scopes.split())} (keep it secret; it is shown once):")
    click.echo(token)


def _with_session(work):
    """Run `work(session, runtime)` in one write transaction; errors become one line."""
    from .runtime import Runtime

    settings = _settings()

    async def run():
        rt = Runtime.create(settings)
        try:
            async with rt.db.write() as session:
                return await work(session, rt)
        finally:
            await rt.close()

    with _one_line_errors():
        return asyncio.run(run())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
