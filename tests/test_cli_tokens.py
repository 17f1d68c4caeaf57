"""`pubhub tokens create` and scopes, run as an operator runs it (the real console script in a
subprocess against a temporary SQLite database; see tests/test_cli.py, whose helpers are reused):
the default scopes, sub-scopes, unknown scopes and admin scopes refused as one-line errors with
nothing stored, the token as the last output line, and only its SHA-256 stored."""

from __future__ import annotations

import hashlib
import sqlite3

from tests import test_cli
from tests.test_cli import Cli, fails, ok

# test_cli's fixtures: a fresh working directory with a copy of a database `pubhub init` made.
cli, initialised, ready_cli = test_cli.cli, test_cli.initialised, test_cli.ready_cli


def token_rows(run: Cli) -> list[sqlite3.Row]:
    with sqlite3.connect(run.db_path) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(
            "SELECT tokens.*, actors.username FROM tokens JOIN actors ON actors.id = tokens.actor_id "
            "ORDER BY tokens.id").fetchall()


def last_line_token(result) -> str:
    lines = ok(result).strip().splitlines()
    token = lines[-1]
    assert len(lines) >= 2 and len(token) >= 32 and token == token.strip() and " " not in token, result.stdout
    assert result.stderr.strip() == "", result.stderr
    return token


def test_tokens_are_created_with_their_scopes_and_stored_as_sha256_only(ready_cli):
    run = ready_cli
    for name, role in (("alice", "user"), ("moderatie", "moderator")):
        ok(run("accounts", "create", name, "--role", role))

    default, sub_scopes, admin = run.many(
        (("tokens", "create", "alice"), None),
        (("tokens", "create", "alice", "--scopes", "read:statuses write:statuses"), None),
        (("tokens", "create", "moderatie", "--scopes", "read admin:read admin:write"), None),
    )
    tokens = {"default": last_line_token(default), "sub": last_line_token(sub_scopes), "admin": last_line_token(admin)}
    assert len(set(tokens.values())) == 3

    rows = token_rows(run)
    by_hash = {row["token_hash"]: row for row in rows}
    assert len(rows) == 3 and len(by_hash) == 3
    expected = {"default": ("alice", "read write follow"), "sub": ("alice", "read:statuses write:statuses"),
                "admin": ("moderatie", "read admin:read admin:write")}
    for kind, token in tokens.items():
        row = by_hash.get(hashlib.sha256(token.encode()).hexdigest())
        assert row is not None, f"{kind}: the stored hash is not the SHA-256 hex of the printed token"
        assert (row["username"], row["scopes"]) == expected[kind], kind
        assert row["revoked_at"] is None

    # The plain token is nowhere: not in any column of the table, not anywhere in the database files.
    for row in rows:
        for value in tuple(row):
            for token in tokens.values():
                assert token not in str(value)
    stored = b"".join(path.read_bytes() for path in run.workdir.glob("x.db*"))
    for token in tokens.values():
        assert token.encode() not in stored


def test_unknown_and_admin_scopes_are_one_line_errors_and_store_nothing(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))  # role user

    unknown, unknown_sub, empty, admin_read, admin_sub = run.many(
        (("tokens", "create", "alice", "--scopes", "read bogus"), None),
        (("tokens", "create", "alice", "--scopes", "read:everything"), None),
        (("tokens", "create", "alice", "--scopes", ""), None),
        (("tokens", "create", "alice", "--scopes", "read admin:read"), None),
        (("tokens", "create", "alice", "--scopes", "admin:write:accounts"), None),
    )
    for result in (unknown, unknown_sub, empty, admin_read, admin_sub):
        assert result.returncode == 1, (result.args, result.returncode, result.stderr)
        assert result.stdout == "", result.stdout
    assert "bogus" in fails(unknown)
    assert "read:everything" in fails(unknown_sub)
    assert "scope" in fails(empty)
    for refused in (admin_read, admin_sub):
        line = fails(refused)
        assert "admin scopes" in line and "moderator" in line, line
    assert token_rows(run) == []


def test_tokens_are_listed_by_hash_prefix_and_revoked_by_it_by_token_or_by_account(ready_cli):
    run = ready_cli
    ok(run("accounts", "create", "alice"))
    ok(run("accounts", "create", "bob"))
    first, second, bobs = (last_line_token(run("tokens", "create", name)) for name in ("alice", "alice", "bob"))
    ids = {token: hashlib.sha256(token.encode()).hexdigest()[:12] for token in (first, second, bobs)}

    listed = ok(run("tokens", "list")).splitlines()
    assert listed[0].split()[:4] == ["ID", "ACCOUNT", "NAME", "SCOPES"]
    assert [line.split()[:2] for line in listed[1:]] == [[ids[first], "alice"], [ids[second], "alice"], [ids[bobs], "bob"]]
    assert not any(token in "\n".join(listed) for token in ids), "a token itself is never shown"

    assert "would revoke 1 token(s)" in ok(run("tokens", "revoke", ids[first][:8], "--dry-run"))
    assert "not confirmed" in fails(run("tokens", "revoke", ids[first][:8]))  # no answer on standard input
    assert all(r["revoked_at"] is None for r in token_rows(run))
    assert ok(run("tokens", "revoke", ids[first][:8], "--yes")).strip() == "revoked 1 token(s)"
    assert ok(run("tokens", "revoke", "--yes", "--", second)).strip() == "revoked 1 token(s)"
    assert ok(run("tokens", "revoke", "bob", "--yes")).strip() == "revoked 1 token(s)"
    assert all(r["revoked_at"] is not None for r in token_rows(run))
    assert ok(run("tokens", "list")).splitlines()[1:] == []
    assert len(ok(run("tokens", "list", "--all")).splitlines()) == 4

    unknown, short = run.many((("tokens", "revoke", "nobody", "--yes"), None), (("tokens", "revoke", "ab", "--yes"), None))
    assert fails(unknown) == "Error: no live token or account matches 'nobody'"
    assert "no live token or account matches" in fails(short)
