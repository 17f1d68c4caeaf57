"""`pubhub domains` run as an operator runs it (the real console script in a subprocess against
a temporary SQLite database; see tests/test_cli.py, whose helpers are reused)."""

from __future__ import annotations

import sqlite3

from tests import test_cli
from tests.test_cli import Cli, fails, ok

cli, initialised, ready_cli = test_cli.cli, test_cli.initialised, test_cli.ready_cli


def blocks(run: Cli) -> list[tuple]:
    with sqlite3.connect(run.db_path) as connection:
        return connection.execute("SELECT domain, severity, public_comment FROM domain_blocks ORDER BY id").fetchall()


def test_block_list_and_unblock(ready_cli):
    run = ready_cli
    assert ok(run("domains", "block", "Spam.Example.", "--public-comment", "spam")).startswith(
        "blocked spam.example (silence), block ")
    assert blocks(run) == [("spam.example", "silence", "spam")]
    listed = ok(run("domains", "list"))
    assert "spam.example" in listed and "silence" in listed
    assert ok(run("domains", "unblock", "SPAM.example")).strip() == "unblocked spam.example"
    assert blocks(run) == []


def test_a_suspension_asks_first_and_a_dry_run_changes_nothing(ready_cli):
    run = ready_cli
    assert "dry run" in ok(run("domains", "block", "spam.example", "--severity", "suspend", "--dry-run"))
    fails(run("domains", "block", "spam.example", "--severity", "suspend"))  # no answer on standard input: no
    assert blocks(run) == []
    ok(run("domains", "block", "spam.example", "--severity", "suspend", "--yes"))
    assert blocks(run) == [("spam.example", "suspend", "")]


def test_what_is_no_domain_or_not_blocked_is_one_line_and_changes_nothing(ready_cli):
    run = ready_cli
    assert fails(run("domains", "block", "https://spam.example/")).startswith("Error: not a domain name")
    assert "never.example is not blocked" in fails(run("domains", "unblock", "never.example"))
    assert blocks(run) == []


def allows(run: Cli) -> list[str]:
    with sqlite3.connect(run.db_path) as connection:
        return [row[0] for row in connection.execute("SELECT domain FROM domain_allows ORDER BY id")]


def test_allow_list_and_disallow(ready_cli):
    run = ready_cli
    assert ok(run("domains", "allow", "Social.Example.")).startswith("allowed social.example, allow ")
    assert allows(run) == ["social.example"]
    assert "social.example" in ok(run("domains", "allows"))
    assert "dry run" in ok(run("domains", "disallow", "social.example", "--dry-run"))
    fails(run("domains", "disallow", "social.example"))  # no answer on standard input: no
    assert allows(run) == ["social.example"]
    assert ok(run("domains", "disallow", "social.example", "--yes")).strip() == "no longer allowed: social.example"
    assert allows(run) == []
    assert "never.example is not allowed" in fails(run("domains", "disallow", "never.example", "--yes"))
