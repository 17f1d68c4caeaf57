"""Observability (issue 8, item 3): Prometheus metrics scraped over HTTP from their own
address (never the public port), and JSON log lines carrying the request id; the real
console script in a subprocess (see tests/test_cli.py, whose helpers are reused)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request

from tests import test_cli
from tests.support.instance import bound_socket
from tests.test_cli import COMMAND, DOMAIN, LIVEZ_DEADLINE, Served, _queue_an_inbound_activity, ok
from tests.test_cli_accounts import _remote_follower

cli, initialised, ready_cli = test_cli.cli, test_cli.initialised, test_cli.ready_cli


def address_of(sock: socket.socket) -> str:
    """host:port of a socket bound to port 0 (tests.support.instance.bound_socket). The test keeps
    it bound, not listening, while the subprocess binds the same port (both SO_REUSEADDR): no
    other process can take the port in between, and until then a connection to it is refused."""
    return "%s:%d" % sock.getsockname()[:2]


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus' text format (labels in any order), or None."""
    for line in text.splitlines():
        found = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if not found or found.group(1) != name:
            continue
        have = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', found.group(2) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            return float(found.group(3))
    return None


def test_metrics_are_served_on_their_own_address(ready_cli):
    run = ready_cli
    _queue_an_inbound_activity(run.db_path)  # stays pending: --no-workers
    held = bound_socket()
    metrics = address_of(held)
    run.env.update(PUBHUB_METRICS_ADDRESS=metrics, PUBHUB_LOG_FORMAT="json")
    server = Served(run, "--no-workers")
    held.close()
    try:
        assert fetch(f"{server.base}/livez")[0] == 200
        assert fetch(f"{server.base}/users/nobody", headers={"Accept": "application/activity+json",
                                                             "X-Request-Id": "req-4711"})[0] == 404
        refused = fetch(f"{server.base}/inbox", data=b'{"type": "Follow"}',
                        headers={"Content-Type": "application/activity+json"})
        assert refused[0] == 401 and json.loads(refused[1])["error"]
        assert fetch(f"{server.base}/metrics")[0] == 404, "metrics are not on the public port"

        status, text = fetch(f"http://{metrics}/metrics")
        assert status == 200
        # Served polled /livez until it answered, then we asked once more.
        assert sample(text, "pubhub_http_requests_total", route="/livez", method="GET", status="200") >= 2
        assert sample(text, "pubhub_http_requests_total", route="/users/{username}", method="GET", status="404") == 1
        assert sample(text, "pubhub_http_requests_total", route="/metrics", status="404") is None  # unmatched
        assert sample(text, "pubhub_http_requests_total", route="unmatched", method="GET", status="404") == 1
        assert sample(text, "pubhub_inbox_activities_total", outcome="refused", reason="SignatureError") == 1
        assert sample(text, "pubhub_queue_depth", queue="inbox") == 1
        assert sample(text, "pubhub_queue_oldest_age_seconds", queue="inbox") > 3600  # received 2026-11-23
        assert sample(text, "pubhub_queue_depth", queue="deliveries") == 0
        assert sample(text, "pubhub_queue_oldest_age_seconds", queue="deliveries") == 0
        assert sample(text, "pubhub_database_seconds_count", kind="read") >= 1
        assert sample(text, "pubhub_http_request_duration_seconds_count", route="/livez") >= 2
    finally:
        assert server.stop() == 0

    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line["message"].startswith(f"configuration domain={DOMAIN} scheme=http") and
               f"metrics_address={metrics}" in line["message"] for line in lines)
    refused_lines = [line for line in lines if "path=/users/nobody" in line["message"]]
    assert refused_lines and refused_lines[0]["request_id"] == "req-4711"


def test_the_worker_counts_deliveries_and_their_requests(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))
    closed = bound_socket()  # bound, never listening: the delivery is refused and will be retried
    _remote_follower(run, "alice", f"http://{address_of(closed)}/inbox")
    ok(run("accounts", "delete", "alice", "--yes"))
    held = bound_socket()
    metrics = address_of(held)
    log = run.workdir / "worker.log"
    env = {**run.env, "PUBHUB_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8"}
    with log.open("wb") as out:
        worker = subprocess.Popen(COMMAND + ["worker", "--metrics-address", metrics], cwd=run.workdir, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + LIVEZ_DEADLINE
        while True:
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                text = fetch(f"http://{metrics}/metrics")[1]
            except (urllib.error.URLError, OSError):
                text = ""
            if sample(text, "pubhub_deliveries_total", outcome="retry"):
                break
            time.sleep(0.2)
        assert sample(text, "pubhub_deliveries_total", outcome="retry") == 1
        posts = [line for line in text.splitlines() if line.startswith('pubhub_outbound_requests_total{method="POST"')]
        assert posts and not any('outcome="2xx"' in line for line in posts), posts
        assert sample(text, "pubhub_queue_depth", queue="deliveries") == 1
    finally:
        held.close()
        closed.close()
        worker.terminate()
        worker.wait(timeout=15)


def _error_after_the_configuration_line(result: subprocess.CompletedProcess) -> str:
    """A server's refusal: its configuration log line, then one `Error:` line; no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 2 and " configuration domain=" in lines[0] and lines[1].startswith("Error: "), lines
    return lines[1]


def test_a_metrics_address_in_use_stops_serve_and_worker_before_they_say_they_run(ready_cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        by_setting, by_option, worker, main_port = ready_cli.many(
            (("serve", "--port", "0"), {"PUBHUB_METRICS_ADDRESS": address}),
            (("serve", "--port", "0", "--metrics-address", address), None),
            (("worker", "--metrics-address", address), None),
            (("serve", "--port", address.rpartition(":")[2]), None),
        )
    for result in (by_setting, by_option, worker):
        line = _error_after_the_configuration_line(result)
        assert line.startswith(f"Error: cannot serve metrics on {address}: Address already in use"), line
        assert "PUBHUB_METRICS_ADDRESS" in line and result.stdout == ""  # nothing said "serving" or "running"
        assert f"metrics_address={address}" in result.stderr  # the configuration line names the address used
    line = _error_after_the_configuration_line(main_port)
    assert line == f"Error: cannot listen on {address}: Address already in use (choose another with --host or --port)"
    assert main_port.stdout == ""
