"""`pubhub follow-requests list|approve|reject`, run as an operator runs them (the console
script in a subprocess with a clean environment) against the database of a running instance;
the answers reach the remote followers as signed Accept and Reject activities."""

from __future__ import annotations

import asyncio
import os
import subprocess

from tests.support import store
from tests.test_cli import COMMAND, TIMEOUT, fails, ok


def operator(instance):
    """Run `pubhub ARGS` as the operator of `instance` would (its database, domain and scheme)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PUBHUB_METRICS_ADDRESS": "off",
           "PUBHUB_DATABASE_URL": instance.settings.database_url, "PUBHUB_DOMAIN": instance.domain,
           "PUBHUB_SCHEME": "http"}

    async def run(*args: str) -> subprocess.CompletedProcess:
        return await asyncio.to_thread(subprocess.run, COMMAND + list(args), env=env, input="", capture_output=True,
                                       text=True, timeout=TIMEOUT)
    return run


async def test_follow_requests_are_listed_approved_and_rejected(instance, peer):
    await instance.create_account("gemeente", manually_approves=True)
    alice, bob = peer.add_actor("alice", key_index=1), peer.add_actor("bob", key_index=2)
    for actor in (alice, bob):
        follow = peer.activity("Follow", actor, f"{instance.base}/users/gemeente")
        assert (await peer.post(f"{instance.base}/inbox", follow, actor))[0] == 202
    await instance.settle()
    pubhub = operator(instance)

    listed = ok(await pubhub("follow-requests", "list", "gemeente")).splitlines()
    assert listed[0].split() == ["FOLLOWER", "URI", "REQUESTED"]
    assert sorted(line.split()[1] for line in listed[1:]) == [alice.uri, bob.uri]

    assert ok(await pubhub("follow-requests", "approve", "gemeente", f"alice@{peer.domain}")).strip() == \
        f"alice@{peer.domain} now follows gemeente"
    assert ok(await pubhub("follow-requests", "reject", "gemeente", bob.uri)).strip() == \
        f"bob@{peer.domain} may not follow gemeente"
    await instance.settle()  # the server's delivery worker sends what the command queued

    answers = {received.activity["type"]: received for received in peer.received}
    assert set(answers) == {"Accept", "Reject"} and all(answer.verified for answer in answers.values())
    assert answers["Accept"].activity["object"]["actor"] == alice.uri
    assert answers["Reject"].activity["object"]["actor"] == bob.uri
    assert [(row.state, row.follower_uri) for row in await store.follows(instance)] == [("accepted", alice.uri)]
    assert ok(await pubhub("follow-requests", "list", "gemeente")).strip() == "no follow requests for gemeente"


async def test_answering_a_request_nobody_made_is_one_line_error_and_changes_nothing(instance, peer):
    await instance.create_account("gemeente", manually_approves=True)
    pubhub = operator(instance)
    assert "has not asked to follow gemeente" in fails(await pubhub("follow-requests", "approve", "gemeente",
                                                                     f"alice@{peer.domain}"))
    assert "no local account 'nobody'" in fails(await pubhub("follow-requests", "list", "nobody"))
    await instance.settle()
    assert peer.received == [] and await store.follows(instance) == []
