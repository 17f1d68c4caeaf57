"""`pubhub accounts list|show|modify|password|suspend|unsuspend|delete` and `pubhub --version`,
run as an operator runs them (the real console script in a subprocess with a clean
environment; see tests/test_cli.py), with the server's answers checked over real HTTP."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import urllib.error
import urllib.request

from argon2 import PasswordHasher

from tests import test_cli
from tests.test_cli import COMMAND, DOMAIN, TIMEOUT, Cli, Served, fails, ok

cli, initialised, ready_cli = test_cli.cli, test_cli.initialised, test_cli.ready_cli
AP = "application/activity+json"


def typed(run: Cli, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """A command given `stdin` (never the terminal: a question must not hang a test)."""
    return subprocess.run(COMMAND + list(args), cwd=run.workdir, env=run.env, input=stdin,
                          capture_output=True, text=True, timeout=TIMEOUT)


def row(run: Cli, sql: str, *params) -> sqlite3.Row | None:
    with sqlite3.connect(run.db_path) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql, params).fetchone()


def status(url: str, token: str | None = None, accept: str = AP) -> int:
    headers = {"Accept": accept, **({"Authorization": f"Bearer {token}"} if token else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_version(cli):
    assert ok(cli("--version")).strip() == "pubhub 0.1.0"


def test_list_show_and_modify(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))
    ok(run("accounts", "create", "bob", "--kind", "organization", "--role", "moderator"))
    ok(run("accounts", "modify", "alice", "--display-name", "Alice A", "--note", "Hi <b>there</b>\n\nline two",
           "--role", "admin", "--locked"))

    listed = ok(run("accounts", "list")).splitlines()
    assert listed[0].split() == ["NAME", "ROLE", "KIND", "STATE", "LOCKED", "CREATED"]
    assert [line.split()[:5] for line in listed[1:]] == [["alice", "admin", "Person", "active", "yes"],
                                                         ["bob", "moderator", "Organization", "active", "no"]]
    shown = dict(line.split(": ", 1) for line in ok(run("accounts", "show", "alice")).splitlines())
    assert shown["uri"] == f"http://{DOMAIN}/users/alice" and shown["display name"] == "Alice A"
    assert shown["note"] == "Hi <b>there</b> line two" and shown["role"] == "admin" and shown["locked"] == "yes"
    assert shown["password"] == "not set" and shown["state"] == "active"
    stored = row(run, "SELECT summary, summary_source, manually_approves FROM actors WHERE username = 'alice'")
    assert stored["summary"] == "<p>Hi &lt;b&gt;there&lt;/b&gt;</p><p>line two</p>"  # typed text is not markup
    assert stored["summary_source"] == "Hi <b>there</b>\n\nline two"
    ok(run("accounts", "modify", "alice", "--unlocked"))
    assert row(run, "SELECT manually_approves FROM actors WHERE username = 'alice'")[0] == 0

    nothing, unknown, missing = run.many((("accounts", "modify", "alice"), None),
                                         (("accounts", "modify", "alice", "--role", "god"), None),
                                         (("accounts", "show", "carol"), None))
    assert "nothing to change" in fails(nothing, usage=True)
    assert "--role" in fails(unknown, usage=True)
    assert fails(missing) == "Error: no local account 'carol'"


def test_password_from_standard_input_is_stored_as_argon2id(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))
    ok(typed(run, "accounts", "password", "alice", stdin="correct horse battery\n"))
    stored = row(run, "SELECT password_hash FROM actors WHERE username = 'alice'")[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert PasswordHasher().verify(stored, "correct horse battery")
    assert "password: set" in ok(run("accounts", "show", "alice"))

    assert "8 to 1024 characters" in fails(typed(run, "accounts", "password", "alice", stdin="short\n"))
    assert fails(typed(run, "accounts", "password", "nobody", stdin="long enough!\n")) == "Error: no local account 'nobody'"
    assert PasswordHasher().verify(row(run, "SELECT password_hash FROM actors WHERE username = 'alice'")[0],
                                   "correct horse battery")


def test_create_with_an_email_address_to_sign_in_with(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice", "--email", "Alice@Gemeente.example"))
    assert row(run, "SELECT email FROM actors WHERE username = 'alice'")[0] == "alice@gemeente.example"
    assert "e-mail: alice@gemeente.example" in ok(run("accounts", "show", "alice"))
    assert fails(run("accounts", "create", "bob", "--email", "ALICE@gemeente.example")) == \
        "Error: another account signs in with alice@gemeente.example"
    assert "is not an e-mail address" in fails(run("accounts", "create", "carol", "--email", "carol"))
    assert row(run, "SELECT count(*) FROM actors WHERE username IN ('bob', 'carol')")[0] == 0


def test_suspension_hides_the_account_and_stops_its_tokens_until_lifted(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))
    token = ok(run("tokens", "create", "alice")).strip().splitlines()[-1]
    server = Served(run)
    try:
        actor, webfinger = f"{server.base}/users/alice", f"{server.base}/.well-known/webfinger?resource=acct:alice@{DOMAIN}"
        me = f"{server.base}/api/v1/accounts/verify_credentials"
        assert (status(actor), status(webfinger), status(me, token)) == (200, 200, 200)

        assert "not confirmed, nothing changed" in fails(typed(run, "accounts", "suspend", "alice", stdin=""))
        assert "would suspend alice" in ok(run("accounts", "suspend", "alice", "--dry-run"))
        assert status(actor) == 200
        ok(typed(run, "accounts", "suspend", "alice", stdin="y\n"))
        assert row(run, "SELECT suspended_at FROM actors WHERE username = 'alice'")[0] is not None
        assert (status(actor), status(webfinger), status(me, token)) == (404, 404, 401)
        assert status(f"{server.base}/@alice", accept="text/html") == 404
        assert "already suspended" in ok(run("accounts", "suspend", "alice", "--yes"))

        assert ok(run("accounts", "unsuspend", "alice", "--reason", "Misverstand")).strip() == "unsuspended alice"
        assert (status(actor), status(webfinger), status(me, token)) == (200, 200, 200)
        assert ok(run("accounts", "unsuspend", "alice")).strip() == "alice was not suspended"
        ok(run("accounts", "suspend", "alice", "--yes", "--reason", "Spam in 40 berichten", "--ground", "Regel 3",
               "--ground-kind", "law"))
    finally:
        server.stop()
    # Each suspension states its reasons (no moderator account: the operator's, a person's decision, so
    # not automated) and is audited.
    with sqlite3.connect(run.db_path) as connection:
        statements = connection.execute("SELECT action, ground_kind, ground, facts, moderator_id, automated "
                                        "FROM statements ORDER BY id").fetchall()
        entries = connection.execute("SELECT action, actor_id, reason, statement_id IS NOT NULL FROM audit_log "
                                     "ORDER BY id").fetchall()
    assert statements == [
        ("suspend", "rule", "the operator's decision (pubhub accounts suspend, no --reason given)", "", None, 0),
        ("suspend", "law", "Regel 3", "Spam in 40 berichten", None, 0)]
    assert entries == [("account.suspend", None, "the operator's decision (pubhub accounts suspend, no --reason given)", 1),
                       ("account.unsuspend", None, "Misverstand", 0),
                       ("account.suspend", None, "Spam in 40 berichten", 1)]


def _remote_follower(run: Cli, target: str, inbox: str) -> None:
    with sqlite3.connect(run.db_path) as connection:
        cursor = connection.execute(
            "INSERT INTO actors (uri, kind, username, domain, local, display_name, summary, inbox, shared_inbox, "
            "public_key_id, public_key_pem, manually_approves, role, created_at) VALUES ('https://remote.test/users/r', "
            "'Person', 'r', 'remote.test', 0, '', '', 'https://remote.test/users/r/inbox', ?, 'k', 'pem', 0, 'user', "
            "'2026-01-01 00:00:00')", (inbox,))
        connection.execute(
            "INSERT INTO follows (follower_id, target_id, state, activity_uri, created_at) SELECT ?, id, 'accepted', "
            "'https://remote.test/follows/1', '2026-01-01 00:00:00' FROM actors WHERE username = ? AND local",
            (cursor.lastrowid, target))


def test_delete_federates_a_delete_and_keeps_the_name(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))
    ok(run("tokens", "create", "alice"))
    ok(typed(run, "accounts", "password", "alice", stdin="correct horse battery\n"))
    _remote_follower(run, "alice", "https://remote.test/inbox")

    dry = ok(run("accounts", "delete", "alice", "--dry-run"))
    assert "would delete alice: a Delete to 1 inbox(es)" in dry
    assert "not confirmed" in fails(typed(run, "accounts", "delete", "alice", stdin="n\n"))
    assert row(run, "SELECT deleted_at FROM actors WHERE username = 'alice'")[0] is None

    assert "a Delete is queued for 1 inbox(es)" in ok(run("accounts", "delete", "alice", "--yes"))
    activity = row(run, "SELECT id, body FROM outbound_activities")
    body = json.loads(activity["body"])
    assert (body["type"], body["actor"], body["object"]) == ("Delete", f"http://{DOMAIN}/users/alice",
                                                             f"http://{DOMAIN}/users/alice")
    assert row(run, "SELECT inbox FROM deliveries WHERE activity_id = ?", activity["id"])[0] == "https://remote.test/inbox"
    gone = row(run, "SELECT deleted_at, password_hash, private_key_pem FROM actors WHERE username = 'alice'")
    assert gone["deleted_at"] is not None and gone["password_hash"] is None
    assert gone["private_key_pem"], "the key signs the Delete still queued"
    assert row(run, "SELECT count(*) FROM tokens WHERE revoked_at IS NULL")[0] == 0
    assert row(run, "SELECT count(*) FROM follows")[0] == 0

    assert "already exists" in fails(run("accounts", "create", "alice"))  # nobody else gets the name
    assert "deleted" in ok(run("accounts", "list")).splitlines()[1]
    assert "(it was deleted)" in fails(run("accounts", "delete", "alice", "--yes"))
    server = Served(run)
    try:
        assert status(f"{server.base}/users/alice") == 410
    finally:
        server.stop()
