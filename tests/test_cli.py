"""The `pubhub` command as an operator runs it: the real console script in a subprocess, against a
temporary SQLite database, from a temporary working directory (so no stray .env is read).

These tests always use SQLite, also when PUBHUB_TEST_POSTGRES_URL is set: they test the command
line (arguments, messages, exit codes), not the engine, which the rest of the suite covers on
both. The one PostgreSQL case is a deliberately unreachable server."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

DOMAIN = "pubhub.test"
SCRIPT = Path(sys.executable).with_name("pubhub")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pubhub.cli"]
TIMEOUT = 60
LIVEZ_DEADLINE = 15  # seconds; start-up takes 1-4 s even on a busy machine


class Cli:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.db_path = workdir / "x.db"
        # A clean environment: nothing of the caller's leaks in (no PUBHUB_*, no PYTHON* settings).
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir), "LANG": "C.UTF-8",
                    "PUBHUB_DATABASE_URL": f"sqlite+aiosqlite:///{self.db_path}", "PUBHUB_DOMAIN": DOMAIN,
                    "PUBHUB_SCHEME": "http", "PYTHONUNBUFFERED": "1",
                    # Tests run side by side (and beside other checkouts): no fixed metrics port.
                    "PUBHUB_METRICS_ADDRESS": "off"}

    def _env(self, extra: dict | None) -> dict:
        return {**self.env, **(extra or {})}

    def __call__(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        # Standard input is empty, never the terminal: a question (confirm?) must not hang a test.
        return subprocess.run(COMMAND + list(args), cwd=self.workdir, env=self._env(env), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=TIMEOUT)

    def many(self, *calls: tuple[tuple[str, ...], dict | None]) -> list[subprocess.CompletedProcess]:
        """Run independent commands side by side (start-up dominates their time)."""
        procs = [subprocess.Popen(COMMAND + list(args), cwd=self.workdir, env=self._env(env),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for args, env in calls]
        results = []
        for proc, (args, _) in zip(procs, calls):
            out, err = proc.communicate(timeout=TIMEOUT)
            results.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
        return results

    def popen(self, *args: str, log: Path) -> subprocess.Popen:
        """A long-running command; its output goes to `log` (a pipe nobody reads could fill up)."""
        with log.open("wb") as out:
            return subprocess.Popen(COMMAND + list(args), cwd=self.workdir, env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture
def cli(tmp_path) -> Cli:
    return Cli(tmp_path)


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    """A database made by `pubhub init` once for this module; tests copy it."""
    template = Cli(tmp_path_factory.mktemp("template"))
    ok(template("init"))
    return template.db_path


@pytest.fixture
def ready_cli(cli, initialised) -> Cli:
    shutil.copyfile(initialised, cli.db_path)
    return cli


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"{result.args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def fails(result: subprocess.CompletedProcess, *, usage: bool = False) -> str:
    """A refusal: non-zero exit, no traceback, and exactly one `Error: ...` line on stderr.
    For usage errors (a bad option value) click puts its usage hint above that line; every
    other error is the one line alone. Returns the error line."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{result.args} succeeded:\n{output}"
    assert "Traceback" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    if not usage:
        assert lines == errors, result.stderr
    return errors[0]


def schema(db_path: Path) -> tuple[list, list]:
    with sqlite3.connect(db_path) as connection:
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        tables = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    return versions, tables


class Served:
    """`pubhub serve --port 0` (the kernel picks the port; the command prints it)."""

    def __init__(self, cli: Cli, *args: str, name: str = "serve"):
        self.log = cli.workdir / f"{name}.log"
        self.process = cli.popen("serve", "--host", "127.0.0.1", "--port", "0", *args, log=self.log)
        self.base = self._wait_until_live()

    def output(self) -> str:
        return self.log.read_text()

    def _wait_until_live(self) -> str:
        deadline = time.monotonic() + LIVEZ_DEADLINE
        base = None
        while True:
            assert self.process.poll() is None, f"server exited:\n{self.output()}"
            if base is None:
                found = re.search(r" on (http://127\.0\.0\.1:\d+)/", self.output())
                base = found.group(1) if found else None
            if base is not None:
                try:
                    with urllib.request.urlopen(f"{base}/livez", timeout=1) as response:
                        if response.status == 200:
                            return base
                except (urllib.error.URLError, OSError):
                    pass
            assert time.monotonic() < deadline, f"no answer from /livez in {LIVEZ_DEADLINE} s:\n{self.output()}"
            time.sleep(0.1)

    def stop(self) -> int:
        """SIGTERM, as systemd stops it; the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise


# ---- help --------------------------------------------------------------------------------------

def test_help_for_every_command(cli):
    commands = [[], ["init"], ["serve"], ["worker"], ["demo"], ["accounts"], ["accounts", "create"],
                ["tokens"], ["tokens", "create"]]
    commands += [["accounts", sub] for sub in ("list", "show", "modify", "password", "suspend", "unsuspend", "delete")]
    commands += [["tokens", sub] for sub in ("list", "revoke")]
    commands += [["follow-requests", sub] for sub in ("list", "approve", "reject")]
    results = cli.many(*(((*command, "--help"), None) for command in commands))
    for command, result in zip(commands, results):
        out = ok(result)
        assert out.startswith("Usage: pubhub"), (command, out)
    top = results[0].stdout
    for name in ("init", "serve", "worker", "demo", "accounts", "tokens", "follow-requests"):
        assert name in top
    assert "--no-workers" in results[2].stdout and "--port" in results[2].stdout
    assert "--display-name" in results[6].stdout and "--kind" in results[6].stdout and "--role" in results[6].stdout
    assert not cli.db_path.exists(), "--help must not touch the database"


# ---- init --------------------------------------------------------------------------------------

def test_init_twice_is_idempotent(cli):
    assert "database ready" in ok(cli("init"))
    first = schema(cli.db_path)
    assert len(first[0]) == 1 and first[0][0][0]
    assert any(name == "actors" for _, name, _ in first[1])
    ok(cli("init"))
    assert schema(cli.db_path) == first


# ---- accounts ----------------------------------------------------------------------------------

def test_accounts_create_and_its_refusals(ready_cli):
    cli = ready_cli
    out = ok(cli("accounts", "create", "gemeente", "--display-name", "Gemeente Oost",
                 "--kind", "organization", "--role", "admin"))
    assert out.strip().splitlines()[-1] == f"http://{DOMAIN}/users/gemeente"

    duplicate, invalid_name, reserved, invalid_kind, invalid_role = cli.many(
        (("accounts", "create", "gemeente"), None),
        (("accounts", "create", "Not Valid!"), None),
        (("accounts", "create", "admin"), None),
        (("accounts", "create", "robot", "--kind", "robot"), None),
        (("accounts", "create", "someone", "--role", "god"), None),
    )
    assert "already exists" in fails(duplicate)
    assert "username" in fails(invalid_name)
    assert "username" in fails(reserved)
    assert "--kind" in fails(invalid_kind, usage=True)
    assert "--role" in fails(invalid_role, usage=True)
    with sqlite3.connect(cli.db_path) as connection:
        rows = connection.execute("SELECT username, kind, role, display_name FROM actors "
                                  "WHERE local AND kind != 'Application'").fetchall()
    assert rows == [("gemeente", "Organization", "admin", "Gemeente Oost")]


# ---- tokens ------------------------------------------------------------------------------------

def test_token_from_the_cli_works_against_a_running_server(ready_cli):
    cli = ready_cli
    ok(cli("accounts", "create", "gemeente", "--kind", "organization"))
    created, unknown = cli.many((("tokens", "create", "gemeente"), None), (("tokens", "create", "nobody"), None))
    token = ok(created).strip().splitlines()[-1]
    assert len(token) >= 32 and " " not in token
    assert "nobody" in fails(unknown)

    server = Served(cli)
    try:
        base = server.base
        request = urllib.request.Request(f"{base}/api/v1/accounts/verify_credentials",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            body = json.loads(response.read())
        assert body["username"] == "gemeente"

        wrong = urllib.request.Request(f"{base}/api/v1/accounts/verify_credentials",
                                       headers={"Authorization": "Bearer not-the-token"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(wrong, timeout=5)
        assert refused.value.code == 401
    finally:
        server.stop()


# ---- serve -------------------------------------------------------------------------------------

def _queue_an_inbound_activity(db_path: Path) -> None:
    """An inbound activity waiting for the inbox worker (its actor can't be fetched: it is dropped)."""
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "INSERT INTO activities (uri, type, actor_uri, payload, state, received_at) VALUES (?, ?, ?, ?, 'pending', ?)",
            ("https://remote.invalid/follows/1", "Follow", "https://remote.invalid/users/a",
             json.dumps({"id": "https://remote.invalid/follows/1", "type": "Follow", "actor": "https://remote.invalid/users/a",
                         "object": f"http://{DOMAIN}/users/gemeente"}), "2026-11-23 10:00:00"))


def _activity_state(db_path: Path) -> str:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT state FROM activities").fetchone()[0]


def test_serve_runs_the_workers_and_stops_cleanly_on_sigterm(ready_cli):
    _queue_an_inbound_activity(ready_cli.db_path)
    server = Served(ready_cli)
    try:
        deadline = time.monotonic() + 10
        while _activity_state(ready_cli.db_path) == "pending":
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.1)
        assert _activity_state(ready_cli.db_path) == "dropped"
        assert "inbox and delivery workers started" in server.output()
    finally:
        status = server.stop()
    assert status == 0, server.output()
    output = server.output()
    assert "inbox and delivery workers stopped" in output and output.rstrip().endswith("PubHub stopped")
    assert "Traceback" not in output


def test_serve_with_no_workers_leaves_the_queues_to_pubhub_worker(ready_cli):
    _queue_an_inbound_activity(ready_cli.db_path)
    server = Served(ready_cli, "--no-workers")
    try:
        request = urllib.request.Request(f"{server.base}/readyz")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        time.sleep(1.0)  # a worker would have taken it in milliseconds
        assert _activity_state(ready_cli.db_path) == "pending"
        assert "workers not started in this process" in server.output()
        assert "workers started" not in server.output()
    finally:
        assert server.stop() == 0


# ---- configuration and database errors ---------------------------------------------------------

def test_bad_configuration_and_database_errors_are_one_line_errors(cli):
    unreachable = {"PUBHUB_DATABASE_URL": "postgresql+asyncpg://x:s3cret@127.0.0.1:1/db"}
    uninitialised = {"PUBHUB_DATABASE_URL": f"sqlite+aiosqlite:///{cli.workdir / 'empty.db'}"}
    scheme, networks, domain, postgres, postgres_account, no_schema, rules, languages = cli.many(
        (("init",), {"PUBHUB_SCHEME": "ftp"}),
        (("init",), {"PUBHUB_ALLOW_PRIVATE_NETWORKS": "10.0.0.0/8,not-a-network"}),
        (("init",), {"PUBHUB_DOMAIN": "https://pubhub.test/"}),
        (("init",), unreachable),
        (("accounts", "create", "gemeente"), unreachable),
        (("accounts", "create", "gemeente"), uninitialised),
        (("serve",), {"PUBHUB_RULES_FILE": "rules.txt"}),
        (("init",), {"PUBHUB_LANGUAGES": "nl,english"}),
    )
    assert "PUBHUB_SCHEME" in fails(scheme)
    assert "PUBHUB_ALLOW_PRIVATE_NETWORKS" in fails(networks)
    assert "PUBHUB_DOMAIN" in fails(domain)
    line = fails(postgres)
    assert "could not migrate" in line and "s3cret" not in line, "the password must not be printed"
    assert "database unreachable" in fails(postgres_account)
    assert "pubhub init" in fails(no_schema)
    assert fails(rules) == "Error: configuration: PUBHUB_RULES_FILE rules.txt: cannot read it (No such file or directory)"
    assert "serving" not in rules.stdout
    assert "'english' is not a two-letter ISO 639-1 language code" in fails(languages)
    assert not cli.db_path.exists()


# ---- demo --------------------------------------------------------------------------------------

def test_demo_creates_one_account_and_token_once(cli):
    first = ok(cli("demo"))
    assert f"@gemeente@{DOMAIN}" in first
    assert "admin token (shown once): " in first
    token = first.split("admin token (shown once): ", 1)[1].split()[0]
    assert len(token) >= 32

    second = ok(cli("demo"))
    assert f"@gemeente@{DOMAIN}" in second and "admin token" not in second and token not in second
    with sqlite3.connect(cli.db_path) as connection:
        accounts = connection.execute("SELECT username FROM actors WHERE local AND kind != 'Application'").fetchall()
        tokens = connection.execute("SELECT count(*) FROM tokens").fetchone()[0]
    assert accounts == [("gemeente",)] and tokens == 1
