"""What every benchmark needs: machine facts, a PubHub server process, a database, timing."""

from __future__ import annotations

import asyncio
import atexit
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
PUBHUB = [sys.executable, "-m", "pubhub.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def database_label(url: str) -> str:
    if url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (aiosqlite, WAL, synchronous=NORMAL)"
    return "PostgreSQL (asyncpg) " + url.split("@")[-1]


def header(title: str, database_url: str) -> None:
    print(f"== {title}")
    print(f"   machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"   python:  {platform.python_implementation()} {platform.python_version()}")
    print(f"   database: {database_label(database_url)}")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def latency_line(latencies: list[float]) -> str:
    return (f"p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
            f"mean {statistics.fmean(latencies) * 1000:.1f} ms" if latencies else "no samples")


async def new_database_url(workdir: Path) -> str:
    """A fresh database: SQLite in `workdir`, or a new PostgreSQL database when
    PUBHUB_TEST_POSTGRES_URL names a server (see deploy/ci/with-postgres.sh)."""
    server = os.environ.get("PUBHUB_TEST_POSTGRES_URL", "").strip()
    if not server:
        return f"sqlite+aiosqlite:///{workdir / 'pubhub.db'}"
    import uuid

    import asyncpg
    from sqlalchemy.engine import make_url

    name = f"pubhub_bench_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(make_url(server).set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def environment(database_url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PUBHUB_DATABASE_URL=database_url, PUBHUB_DOMAIN=f"127.0.0.1:{port}", PUBHUB_SCHEME="http",
               PUBHUB_ALLOW_PRIVATE_NETWORKS="127.0.0.0/8", PYTHONPATH=str(ROOT))
    env.setdefault("PUBHUB_METRICS_ADDRESS", "off")  # several processes: one fixed metrics port each would clash
    return env


def run_cli(database_url: str, port: int, *args: str) -> str:
    result = subprocess.run([*PUBHUB, *args], env=environment(database_url, port), capture_output=True, text=True,
                            cwd=tempfile.gettempdir(), timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"pubhub {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


class Server:
    """`pubhub serve` (and optionally `pubhub worker`s) as real processes."""

    def __init__(self, database_url: str, port: int | None = None, *, workers_in_process: bool = True,
                 extra_web: int = 0, extra_workers: int = 0):
        self.database_url = database_url
        self.port = port or free_port()
        self.workers_in_process = workers_in_process
        self.extra_web = extra_web
        self.extra_workers = extra_workers
        self.processes: list[subprocess.Popen] = []
        self.ports: list[int] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, args: list[str]) -> subprocess.Popen:
        log = open(Path(tempfile.gettempdir()) / f"pubhub-bench-{self.port}-{len(self.processes)}.log", "w")
        command = [*PUBHUB, *args]
        if os.environ.get("BENCH_PYSPY") and not self.processes:
            # Profile the first process: BENCH_PYSPY=/tmp/profile.txt writes py-spy's raw stacks there.
            command = [str(Path(sys.executable).parent / "py-spy"), "record", "-r", "200", "-f", "raw", "-o",
                       os.environ["BENCH_PYSPY"], "--", *command]
        # Its own session and process group: stop() signals the whole group, so a server
        # started under py-spy goes down with it rather than being left behind.
        process = subprocess.Popen(command, env=environment(self.database_url, self.port), stdout=log,
                                   stderr=subprocess.STDOUT, cwd=tempfile.gettempdir(), start_new_session=True)
        log.close()  # the child has its own copy
        self.processes.append(process)
        _LIVE_GROUPS.add(process.pid)
        return process

    async def start(self) -> "Server":
        serve = ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self._spawn(serve if self.workers_in_process else [*serve, "--no-workers"])
        self.ports = [self.port]
        for _ in range(self.extra_web):
            port = free_port()
            self._spawn(["serve", "--host", "127.0.0.1", "--port", str(port), "--no-workers"])
            self.ports.append(port)
        for _ in range(self.extra_workers):
            self._spawn(["worker"])
        async with aiohttp.ClientSession() as session:
            for port in self.ports:
                await wait_until_up(session, f"http://127.0.0.1:{port}/livez")
        return self

    def cpu_seconds(self) -> float:
        """CPU time the first process has used so far (all its threads: the database's too)."""
        try:
            fields = Path(f"/proc/{self.processes[0].pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        except (OSError, IndexError, ValueError):
            return float("nan")

    def rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.processes[0].pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    async def stop(self) -> None:
        """Stop every process group and wait until none of its processes is left (SIGKILL after 15 s)."""
        profiled = self.processes[0].pid if self.processes and os.environ.get("BENCH_PYSPY") else None
        for process in self.processes:
            if process.pid == profiled:
                # SIGINT the server alone: interrupted itself, py-spy would SIGKILL it at once and
                # cut its clean shutdown short (leased deliveries then wait for the lease to run
                # out). py-spy writes its profile as soon as the server has exited.
                if not _signal_members(process.pid, signal.SIGINT, except_pid=process.pid):
                    _signal_group(process.pid, signal.SIGINT)
            else:
                _signal_group(process.pid, signal.SIGTERM)
        for process in self.processes:
            if not await asyncio.to_thread(_wait_group, process, 15):
                if process.pid == profiled:  # still sampling? SIGINT makes py-spy write its profile
                    _signal_group(process.pid, signal.SIGINT)
                    await asyncio.to_thread(_wait_group, process, 5)
                _signal_group(process.pid, signal.SIGKILL)
                if not await asyncio.to_thread(_wait_group, process, 5):
                    print(f"   warning: process group {process.pid} survived SIGKILL", file=sys.stderr)
            _LIVE_GROUPS.discard(process.pid)
        self.processes = []


_LIVE_GROUPS: set[int] = set()  # process groups started and not yet stopped


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _group_members(pgid: int) -> list[int]:
    """The running processes of group `pgid` (not zombies waiting to be reaped)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            state, _ppid, pgrp = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(pgrp) == pgid and state not in ("Z", "X"):
            members.append(int(entry))
    return members


def _signal_members(pgid: int, sig: int, *, except_pid: int) -> bool:
    """Signal the processes of a group but one; whether there were any."""
    others = [pid for pid in _group_members(pgid) if pid != except_pid]
    for pid in others:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    return bool(others)


def _wait_group(process: subprocess.Popen, timeout: float) -> bool:
    """Reap the group leader and wait until its whole group is gone; False on timeout."""
    deadline = time.monotonic() + timeout
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        return False
    while _group_members(process.pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@atexit.register
def _stop_leftovers() -> None:
    """A benchmark that died without stopping its servers must not leave them running."""
    for pgid in list(_LIVE_GROUPS):
        _signal_group(pgid, signal.SIGTERM)


async def wait_until_up(session: aiohttp.ClientSession, url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {timeout:.0f}s")


@asynccontextmanager
async def running(server: Server):
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def prepare_instance(database_url: str, port: int, username: str = "gemeente", *, token: bool = False) -> str | None:
    """`pubhub init` and one local account (and a bearer token for it, returned, when asked)."""
    await asyncio.to_thread(run_cli, database_url, port, "init")
    await asyncio.to_thread(run_cli, database_url, port, "accounts", "create", username)
    if token:
        return (await asyncio.to_thread(run_cli, database_url, port, "tokens", "create", username)).splitlines()[-1]
    return None


async def inbox_states(database_url: str) -> dict[str, int]:
    """Stored inbound activities by state (pending, done, dropped)."""
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import create_async_engine

    from pubhub.store.models import InboxActivity

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(InboxActivity.state, func.count()).group_by(InboxActivity.state))
            return {state: count for state, count in rows}
    finally:
        await engine.dispose()


async def wait_inbox_drained(database_url: str, timeout: float) -> bool:
    """Wait until the inbox worker has taken every stored activity (none pending)."""
    deadline = time.monotonic() + timeout
    while True:
        if not (await inbox_states(database_url)).get("pending"):
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.25)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)
