"""`pubhub hubs ...` and `pubhub rooms ...`, run as an operator runs them (the real console script
in a subprocess with a clean environment; see tests/test_cli.py): a hub, its moderator, rooms
with their policy (defaults open, members, none, public), and the one-line refusals."""

from __future__ import annotations

import sqlite3

from tests import test_cli
from tests.test_cli import DOMAIN, fails, ok

cli, initialised, ready_cli = test_cli.cli, test_cli.initialised, test_cli.ready_cli


def rows(run, sql: str) -> list[tuple]:
    with sqlite3.connect(run.db_path) as connection:
        return connection.execute(sql).fetchall()


def test_an_operator_makes_a_hub_a_moderator_and_rooms(ready_cli):
    run = ready_cli
    made = run.many((("hubs", "create", "oost", "--name", "Gemeente Oost", "--rules", "Wees aardig."), None),
                    (("accounts", "create", "anna", "--role", "moderator"), None))
    assert ok(made[0]).strip() == "created hub oost"
    ok(made[1])
    assert ok(run("hubs", "moderators", "add", "oost", "anna")).strip() == "anna moderates oost"
    assert ok(run("rooms", "create", "oost", "wijkraad", "--name", "Wijkraad Oost")).strip() == \
        f"@wijkraad@{DOMAIN} http://{DOMAIN}/users/wijkraad"
    ok(run("rooms", "create", "oost", "vragen", "--name", "Vragen over afval", "--join", "approval", "--post", "anyone",
           "--moderation", "pre", "--visibility", "members"))

    assert rows(run, "SELECT a.username, a.kind, a.manually_approves, r.join_policy, r.post_policy, r.moderation, "
                     "r.visibility FROM rooms r JOIN actors a ON a.id = r.actor_id ORDER BY r.id") == [
        ("wijkraad", "Group", 0, "open", "members", "none", "public"),
        ("vragen", "Group", 1, "approval", "anyone", "pre", "members")]
    [private_key] = rows(run, "SELECT private_key_pem FROM actors WHERE username = 'wijkraad'")
    assert private_key[0].startswith("-----BEGIN PRIVATE KEY-----")

    listed, hubs, moderators, shown = run.many((("rooms", "list"), None), (("hubs", "list"), None),
                                               (("hubs", "moderators", "list", "oost"), None),
                                               (("rooms", "show", "vragen"), None))
    lines = ok(listed).splitlines()
    assert lines[0].split() == ["ROOM", "HUB", "JOIN", "POST", "MODERATION", "VISIBILITY", "MEMBERS", "CREATED"]
    assert [line.split()[:7] for line in lines[1:]] == [["vragen", "oost", "approval", "anyone", "pre", "members", "0"],
                                                        ["wijkraad", "oost", "open", "members", "none", "public", "0"]]
    assert ok(hubs).splitlines()[0].split() == ["SLUG", "NAME", "MODERATORS", "CREATED"]
    assert ok(hubs).splitlines()[1].split()[:4] == ["oost", "Gemeente", "Oost", "anna"]
    assert ok(moderators).splitlines()[1].split() == ["anna", "moderator"]
    assert "moderation: pre" in ok(shown) and "hub: oost" in ok(shown)

    assert ok(run("rooms", "modify", "vragen", "--moderation", "post", "--join", "open")).strip() == "modified vragen"
    assert rows(run, "SELECT r.moderation, r.join_policy, a.manually_approves FROM rooms r "
                     "JOIN actors a ON a.id = r.actor_id WHERE a.username = 'vragen'") == [("post", "open", 0)]
    assert ok(run("hubs", "moderators", "remove", "oost", "anna")).strip() == "anna no longer moderates oost"


def test_refusals_are_one_line_and_change_nothing(ready_cli):
    run = ready_cli
    ok(run("hubs", "create", "oost", "--name", "Oost"))
    ok(run("accounts", "create", "burger"))
    ok(run("rooms", "create", "oost", "wijkraad", "--name", "Wijkraad"))
    taken, account_name, no_hub, not_staff, bad_slug, bad_hub_slug = run.many(
        (("rooms", "create", "oost", "wijkraad", "--name", "Nog een"), None),
        (("rooms", "create", "oost", "burger", "--name", "Burger"), None),
        (("rooms", "create", "west", "plein", "--name", "Plein"), None),
        (("hubs", "moderators", "add", "oost", "burger"), None),
        (("rooms", "create", "oost", "wijk-raad", "--name", "X"), None),
        (("hubs", "create", "Oost Zuid", "--name", "X"), None))
    assert "the name 'wijkraad' is taken" in fails(taken)
    assert "the name 'burger' is taken" in fails(account_name)
    assert "no hub 'west'" in fails(no_hub)
    assert "give it the role moderator first" in fails(not_staff)
    assert "must be 1-30 of a-z, 0-9, _" in fails(bad_slug)
    assert "slug" in fails(bad_hub_slug)
    assert "nothing to change" in fails(run("rooms", "modify", "wijkraad"), usage=True)
    assert "'sometimes' is not one of" in fails(run("rooms", "create", "oost", "x", "--name", "X", "--moderation",
                                                    "sometimes"), usage=True)
    assert rows(run, "SELECT count(*) FROM rooms") == [(1,)]
    assert rows(run, "SELECT count(*) FROM hubs") == [(1,)]
    assert rows(run, "SELECT count(*) FROM hub_moderators") == [(0,)]


def test_a_room_that_joins_by_attributes_takes_a_checked_rule(ready_cli):
    run = ready_cli
    ok(run("hubs", "create", "oost", "--name", "Gemeente Oost"))
    rule = '{"attribute": "pbdf.gemeente.address.city", "equals": "Nijmegen"}'
    assert "needs its attribute rule" in fails(run("rooms", "create", "oost", "stad", "--name", "Stad",
                                                   "--join", "attributes"))
    refused = fails(run("rooms", "create", "oost", "stad", "--name", "Stad", "--join", "attributes",
                        "--rule", '{"attribute": "pbdf.gemeente.address.city", "min_age": "16"}'), usage=True)
    assert "rule.min_age: whole years" in refused
    assert "not JSON" in fails(run("rooms", "create", "oost", "stad", "--name", "Stad", "--join", "attributes",
                                   "--rule", "{city: Nijmegen}"), usage=True)
    ok(run("rooms", "create", "oost", "stad", "--name", "Stad", "--join", "attributes", "--rule", rule))
    assert f"rule: {rule} (version 1)" in ok(run("rooms", "show", "stad"))
    ok(run("rooms", "modify", "stad", "--rule", '{"attribute": "pbdf.gemeente.address.city", "one_of": ["Lent"]}'))
    assert rows(run, "SELECT join_policy, rule_version FROM rooms") == [("attributes", 2)]
