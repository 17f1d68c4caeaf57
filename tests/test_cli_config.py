"""One configuration for every command (issue 8, item 1), and the SQLite file's mode (item 4),
run as an operator runs them: the real console script in a subprocess with a clean
environment (see tests/test_cli.py, whose helpers are reused)."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import time
import urllib.error
import urllib.request

from tests import test_cli
from tests.support.instance import bound_socket
from tests.test_cli import COMMAND, DOMAIN, LIVEZ_DEADLINE, Cli, fails, ok

cli, initialised, ready_cli = test_cli.cli, test_cli.initialised, test_cli.ready_cli


def test_a_dotenv_written_for_a_shell_is_read_by_every_command(cli):
    # What `source .env` also accepts: export, both kinds of quotes, a trailing comment.
    (cli.workdir / ".env").write_text(
        "export PUBHUB_DOMAIN='hub.test'\nexport PUBHUB_SCHEME=http  # local trial\n"
        'PUBHUB_INSTANCE_NAME="Gemeente Oost"\n')
    env = {"PUBHUB_DOMAIN": "", "PUBHUB_SCHEME": ""}
    cli.env = {k: v for k, v in cli.env.items() if k not in env}
    ok(cli("init"))
    assert ok(cli("accounts", "create", "alice")).strip() == "http://hub.test/users/alice"


def test_a_database_refuses_another_domain_or_scheme_with_the_fix(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))
    other_domain, other_scheme, serve, init = run.many(
        (("accounts", "create", "bob"), {"PUBHUB_DOMAIN": "other.test"}),
        (("tokens", "create", "alice"), {"PUBHUB_SCHEME": "https"}),
        (("serve", "--port", "0"), {"PUBHUB_DOMAIN": "other.test"}),
        (("init",), {"PUBHUB_DOMAIN": "other.test"}),
    )
    for result in (other_domain, other_scheme, init):
        line = fails(result)
        assert f"belongs to http://{DOMAIN}" in line and f"PUBHUB_DOMAIN={DOMAIN}" in line, line
        assert "PUBHUB_SCHEME=http" in line
    assert "PubHub serving" not in serve.stdout and serve.returncode != 0
    assert serve.stderr.strip().splitlines()[-1].startswith("Error: this database belongs to")
    with sqlite3.connect(run.db_path) as connection:
        assert connection.execute("SELECT count(*) FROM actors WHERE username = 'bob'").fetchone()[0] == 0
        settings = dict(connection.execute("SELECT key, value FROM instance_settings").fetchall())
    assert settings == {"domain": DOMAIN, "scheme": "http"}


def _database_from_before_the_settings_row(cli: Cli, actor_uri: str) -> None:
    """A database at migration 0004 (before instance_settings) with one local actor."""
    from pubhub.store.migrate import upgrade

    upgrade(cli.env["PUBHUB_DATABASE_URL"], "0004")
    with sqlite3.connect(cli.db_path) as connection:
        connection.execute(
            "INSERT INTO actors (uri, kind, username, domain, local, display_name, summary, inbox, public_key_id, "
            "public_key_pem, manually_approves, role, created_at) VALUES (?, 'Person', 'old', 'old.test', 1, '', '', "
            "?, ?, 'pem', 0, 'user', '2026-01-01 00:00:00')", (actor_uri, actor_uri + "/inbox", actor_uri + "#main-key"))


def test_an_older_database_keeps_the_domain_of_its_local_actors(cli):
    _database_from_before_the_settings_row(cli, "https://old.test/users/old")
    line = fails(cli("init"))  # configured: http://pubhub.test
    assert "belongs to https://old.test" in line and "PUBHUB_DOMAIN=old.test" in line
    ok(cli("init", env={"PUBHUB_DOMAIN": "old.test", "PUBHUB_SCHEME": "https"}))


def test_database_urls_say_what_a_valid_one_looks_like_before_serving(cli):
    garbage, psycopg_form = cli.many(
        (("serve", "--port", "0"), {"PUBHUB_DATABASE_URL": "garbage"}),
        (("serve", "--port", "0"), {"PUBHUB_DATABASE_URL": "postgresql://pubhub:s3cret@127.0.0.1:1/pubhub"}),
    )
    line = fails(garbage)
    assert "sqlite+aiosqlite:///" in line and "postgresql+asyncpg://" in line
    assert "serving" not in garbage.stdout
    # The plain form goes to asyncpg (no "No module named 'psycopg'"); the server is unreachable.
    output = psycopg_form.stdout + psycopg_form.stderr
    assert psycopg_form.returncode == 1 and "psycopg" not in output and "serving" not in output
    assert psycopg_form.stderr.strip().splitlines()[-1].startswith("Error: database unreachable")
    assert "s3cret" not in output and "database_url=postgresql+asyncpg://pubhub:***@127.0.0.1:1/pubhub" in output
    # The plain SQLite form works like the async one.
    ok(cli("init", env={"PUBHUB_DATABASE_URL": f"sqlite:///{cli.db_path}"}))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def test_serve_logs_its_configuration_and_binds_the_loopback_port_of_its_domain(cli):
    held = bound_socket()  # port 0, kept bound (not listening) until serve has bound it too: no race
    domain = f"127.0.0.1:{held.getsockname()[1]}"
    ok(cli("init", env={"PUBHUB_DOMAIN": domain}))
    log = cli.workdir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(COMMAND + ["serve"], cwd=cli.workdir, env={**cli.env, "PUBHUB_DOMAIN": domain},
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + LIVEZ_DEADLINE
        while not _answers(f"http://{domain}/livez"):  # our server, on the port in its domain
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    finally:
        held.close()
        process.terminate()
        process.wait(timeout=15)
    text = log.read_text()
    assert f"configuration domain={domain} scheme=http database_url=sqlite+aiosqlite:///" in text


def test_the_sqlite_file_and_its_directory_are_private(cli):
    db = cli.workdir / "var" / "data" / "pubhub.db"
    ok(cli("init", env={"PUBHUB_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}))
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    for sidecar in db.parent.glob("pubhub.db-*"):  # -wal/-shm, if still there, take the file's mode
        assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600
