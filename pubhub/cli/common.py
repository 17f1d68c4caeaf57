"""What every command shares: the settings, one-line errors, logging, and a session on a
database checked to belong to the configured domain."""

from __future__ import annotations

import asyncio
import logging
from contextlib import contextmanager

import click

from ..config import ConfigError, Settings


def settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:  # a bad environment, not a bad command line: no usage text
        raise click.ClickException(f"configuration: {exc}") from exc


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def shown(database_url: str) -> str:
    from ..store.db import shown_url

    return shown_url(database_url)


def migrate(config: Settings) -> None:
    from ..store.migrate import upgrade

    try:
        upgrade(config.database_url)
    except Exception as exc:  # a CLI must not print a traceback for a bad URL or a dead server
        raise click.ClickException(f"could not migrate {shown(config.database_url)}: {first_line(exc)}") from exc


@contextmanager
def one_line_errors(os_error: str = "database unreachable"):
    """Errors a command can meet at run time (a refusal, a missing or unreachable database,
    a port in use) become one line on stderr and exit status 1, never a traceback."""
    from ..config import ConfigError
    from ..errors import PubHubError
    from ..store.db import DatabaseError

    try:
        yield
    except ConfigError as exc:  # e.g. an identity verifier's, found when the runtime is made
        raise click.ClickException(f"configuration: {exc}") from exc
    except PubHubError as exc:
        raise click.ClickException(exc.message) from exc
    except DatabaseError as exc:
        raise click.ClickException(f"database error ({first_line(exc)}); did you run `pubhub init`?") from exc
    except OSError as exc:
        raise click.ClickException(f"{os_error}: {first_line(exc)}") from exc


def setup_logging(config: Settings) -> None:
    from ..logs import configure

    configure(config.log_format)


def with_runtime(work, *, config: Settings | None = None):
    """Run `work(runtime)` against a database checked to belong to the configured domain and
    scheme; errors become one line."""
    from ..server import create_runtime  # with the policy seam `serve` has (domain blocks)

    config = config or settings()

    async def run():
        rt = create_runtime(config)
        try:
            await rt.check_identity()
            return await work(rt)
        finally:
            await rt.close()

    with one_line_errors():
        return asyncio.run(run())


def with_session(work, *, config: Settings | None = None):
    """Run `work(session, runtime)` in one write transaction (see with_runtime)."""
    async def in_session(rt):
        async with rt.db.write() as session:
            return await work(session, rt)

    return with_runtime(in_session, config=config)


def check_database(config: Settings) -> None:
    """Before a server says it is serving: the database answers, has our schema, and belongs
    to this domain; the media store (a bucket) answers too."""
    async def media(rt) -> None:  # with_runtime has checked the database already
        await rt.media.start()

    with_runtime(media, config=config)


def destructive(command):
    """--yes and --dry-run, which every destructive command takes."""
    command = click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")(command)
    return click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(command)


def go_ahead(would: str, question: str, *, yes: bool, dry_run: bool) -> bool:
    """Whether a destructive command goes on: with --dry-run it only says what it `would` do;
    otherwise it asks `question` (unless --yes)."""
    if dry_run:
        click.echo(f"would {would} (dry run: nothing changed)")
        return False
    confirm(question, yes)
    return True


def confirm(question: str, yes: bool) -> None:
    """Destructive commands ask first (on standard input); --yes, for scripts, skips the
    question. Anything but y/yes, or no answer at all, changes nothing."""
    if yes:
        return
    try:
        answer = click.confirm(question, default=False)
    except click.Abort:  # end of input: nobody said yes
        click.echo()
        answer = False
    if not answer:
        raise click.ClickException("not confirmed, nothing changed (--yes skips the question)")


def when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


def table(header: tuple[str, ...], rows: list[tuple]) -> None:
    """Columns padded to their widest cell, for reading in a terminal and for `awk`."""
    cells = [tuple(str(c) for c in row) for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
