"""The policy seam's suspended domains and accounts (moderation/seam.py) across processes: a
block or a suspension made by another web process (a second instance on the same database)
reaches this one within REFRESH_SECONDS on its clock, and this process reads them at most that
often; a change made here takes effect here at once (tests/moderation/test_domain_blocks.py,
tests/api/test_admin_account_actions.py). Each step is an inbox POST over real HTTP."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event

from pubhub.clock import ManualClock
from pubhub.moderation.seam import REFRESH_SECONDS, DomainBlocks, forget_now
from tests.support import store
from tests.support.instance import Instance
from tests.support.peer import RemotePeer

ADMIN_SCOPES = "read write admin:read admin:write"


@pytest.fixture
async def other(database_url):
    """Another web process of the same instance: its own runtime, seam and clock."""
    server = await Instance(database_url, clock=ManualClock()).start()
    yield server
    await server.stop()


@pytest.fixture
async def blocked_peer():
    remote = await RemotePeer(host="127.0.0.2").start()
    yield remote
    await remote.stop()


@pytest.fixture
async def post(instance) -> dict:
    gemeente = await instance.create_account("gemeente")
    return await instance.post_status(await instance.token_for(gemeente), status="Nieuw beleid")


async def _like(instance, peer, actor, post) -> tuple[int, dict]:
    return await peer.post(f"{instance.base}/inbox", peer.activity("Like", actor, post["uri"]), actor)


async def _accepted(instance, peer, actor, post) -> dict:
    like = peer.activity("Like", actor, post["uri"])
    status, body = await peer.post(f"{instance.base}/inbox", like, actor)
    assert status == 202, body
    return like


async def _outcome(instance, activity) -> tuple[str, str | None]:
    [row] = [row for row in await store.inbox_activities(instance) if row.uri == activity["id"]]
    return row.state, row.error


def test_the_refresh_is_five_seconds():
    assert REFRESH_SECONDS == 5.0


async def test_a_domain_suspended_by_another_process_is_refused_here_within_five_seconds(
        instance, other, clock, blocked_peer, peer, alice, post):
    mallory = blocked_peer.add_actor("mallory")
    assert (await _like(instance, blocked_peer, mallory, post))[0] == 202  # the seam has read the (no) blocks
    admin = await other.token_for(await other.create_account("beheerder", role="admin"), ADMIN_SCOPES)
    status, block = await other.request("POST", "/api/v1/admin/domain_blocks", token=admin,
                                        json={"domain": "127.0.0.2", "severity": "suspend"})
    assert status == 200, block
    assert (await _like(other, blocked_peer, mallory, post))[0] == 403  # at once where it was made

    clock.advance(REFRESH_SECONDS - 0.5)
    early = await _accepted(instance, blocked_peer, mallory, post)  # read at most every 5 s
    clock.advance(0.5)
    status, body = await _like(instance, blocked_peer, mallory, post)
    assert (status, body) == (403, {"error": "refused: the sender is on a suspended domain (127.0.0.2)"})
    await instance.settle()  # what came in before this process heard of the block is dropped by its worker
    assert await _outcome(instance, early) == ("dropped", "the sender is on a suspended domain (127.0.0.2)")
    assert (await _like(instance, peer, alice, post))[0] == 202  # another domain is not touched

    status, _ = await other.request("DELETE", f"/api/v1/admin/domain_blocks/{block['id']}", token=admin)
    assert status == 200
    assert (await _like(instance, blocked_peer, mallory, post))[0] == 403
    clock.advance(REFRESH_SECONDS)
    assert (await _like(instance, blocked_peer, mallory, post))[0] == 202


async def test_a_silenced_domain_is_not_refused(instance, blocked_peer, post):
    mallory = blocked_peer.add_actor("mallory")
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), ADMIN_SCOPES)
    status, _ = await instance.request("POST", "/api/v1/admin/domain_blocks", token=admin,
                                       json={"domain": "127.0.0.2", "severity": "silence"})
    assert status == 200
    assert (await _like(instance, blocked_peer, mallory, post))[0] == 202


async def test_an_account_suspended_by_another_process_is_refused_here_within_five_seconds(
        instance, other, clock, peer, alice, mallory, post):
    assert (await _like(instance, peer, alice, post))[0] == 202
    assert (await _like(instance, peer, mallory, post))[0] == 202
    await instance.settle()
    alice_row = await store.actor(instance, alice.uri)
    moderator = await other.token_for(await other.create_account("moderator", role="moderator"), ADMIN_SCOPES)
    status, _ = await other.request("POST", f"/api/v1/admin/accounts/{alice_row.id}/action", token=moderator,
                                    json={"type": "suspend", "text": "Spam", "ground_kind": "law",
                                          "ground": "Wetboek van Strafrecht art. 137d"})
    assert status == 200
    assert (await _like(other, peer, alice, post))[0] == 403  # at once where it was made

    clock.advance(REFRESH_SECONDS - 0.5)
    early = await _accepted(instance, peer, alice, post)  # read at most every 5 s
    clock.advance(0.5)
    assert await _like(instance, peer, alice, post) == (403, {"error": "refused: the sender is suspended here"})
    await instance.settle()  # what came in before this process heard of it is dropped by its worker
    assert await _outcome(instance, early) == ("dropped", "the sender is suspended here")
    assert (await _like(instance, peer, mallory, post))[0] == 202  # her neighbour is not touched

    status, _ = await other.request("POST", f"/api/v1/admin/accounts/{alice_row.id}/unsuspend", token=moderator)
    assert status == 200
    assert (await _like(instance, peer, alice, post))[0] == 403
    clock.advance(REFRESH_SECONDS)
    assert (await _like(instance, peer, alice, post))[0] == 202


async def test_nothing_goes_out_to_a_suspended_domain_not_even_to_whom_a_post_mentions(instance, blocked_peer, caplog):
    mallory = blocked_peer.add_actor("mallory")
    token = await instance.token_for(await instance.create_account("gemeente"))
    await instance.post_status(token, status=f"@mallory@{blocked_peer.domain} Eerst")
    await instance.settle()
    assert [r.activity["type"] for r in blocked_peer.received] == ["Create"]  # before the block
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), ADMIN_SCOPES)
    status, _ = await instance.request("POST", "/api/v1/admin/domain_blocks", token=admin,
                                       json={"domain": "127.0.0.2", "severity": "suspend"})
    assert status == 200
    blocked_peer.received.clear()

    later = await instance.post_status(token, status=f"@mallory@{blocked_peer.domain} Daarna")
    assert [m["acct"] for m in later["mentions"]] == [f"mallory@{blocked_peer.domain}"]  # known already
    await instance.settle()
    assert blocked_peer.received == []
    deliveries = await store.all_of(instance, store.Delivery, store.Delivery.inbox.startswith(blocked_peer.base))
    assert [row.state for row in deliveries] == ["done"]  # only the first post's
    # A handle on the domain never seen before stays plain text: nothing is fetched from there.
    fetched = len(blocked_peer.fetches)
    newer = await instance.post_status(token, status=f"@nieuw@{blocked_peer.domain} Ook jij?")
    assert newer["mentions"] == [] and blocked_peer.fetches[fetched:] == []
    [unresolved] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("mention not resolved")]
    assert unresolved.startswith(f"mention not resolved acct=nieuw@{blocked_peer.domain} reason=fetch of ")
    assert unresolved.endswith(" refused: the document is on a suspended domain (127.0.0.2)")
    # The operator's log says which inbox was left out and why.
    [refused] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("delivery refused by policy")]
    assert f"inbox={blocked_peer.base}/inbox " in refused
    assert refused.endswith(" reason=the inbox is on a suspended domain (127.0.0.2)")


async def test_a_suspended_accounts_document_is_not_fetched_again(instance, clock, peer, alice, caplog):
    token = await instance.token_for(await instance.create_account("gemeente"))
    await instance.post_status(token, status=f"@alice@{peer.domain} Eerst")
    alice_row = await store.actor(instance, alice.uri)
    moderator = await instance.token_for(await instance.create_account("moderator", role="moderator"), ADMIN_SCOPES)
    status, _ = await instance.request("POST", f"/api/v1/admin/accounts/{alice_row.id}/action", token=moderator,
                                       json={"type": "suspend", "text": "Spam", "ground_kind": "law",
                                             "ground": "Wetboek van Strafrecht art. 137d"})
    assert status == 200
    clock.advance(2 * 24 * 3600)  # her stored profile is stale: a mention would fetch it again
    fetched = len(peer.fetches)
    later = await instance.post_status(token, status=f"@alice@{peer.domain} Daarna")
    assert later["mentions"] == []
    assert alice.uri.removeprefix(peer.base) not in peer.fetches[fetched:]
    [unresolved] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("mention not resolved")]
    assert unresolved == (f"mention not resolved acct=alice@{peer.domain} reason=fetch of {alice.uri} refused: "
                          "the document is a suspended account's")


def _counting_reads(instance, table: str) -> list[str]:
    """The statements that read `table`, as this instance's engine runs them."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if f"FROM {table}" in statement:
            seen.append(statement)

    event.listen(instance.runtime.db.engine.sync_engine, "before_cursor_execute", count)
    return seen


async def test_requests_that_find_the_rules_stale_together_wait_for_one_read(instance, clock, peer, alice, post):
    """Under load many inbox requests are in flight when the five seconds are up: one of them
    reads the blocks and the suspensions, the others wait for it (not one read each)."""
    assert (await _like(instance, peer, alice, post))[0] == 202
    blocks, suspensions = _counting_reads(instance, "domain_blocks"), _counting_reads(instance, "actors")
    clock.advance(REFRESH_SECONDS)
    likes = [peer.activity("Like", alice, post["uri"]) for _ in range(20)]
    answers = await asyncio.gather(*(peer.post(f"{instance.base}/inbox", like, alice) for like in likes))
    assert [status for status, _ in answers] == [202] * 20
    assert len(blocks) == 1
    assert len([s for s in suspensions if "suspended_at IS NOT NULL" in s]) == 1


async def test_a_change_made_while_the_rules_are_being_read_makes_them_read_again(instance):
    """A change committed here while a read begun before it is under way (its forget() comes in
    the middle of the read): that read's answer does not count as fresh, the next question
    reads again."""
    policy = instance.runtime.policy
    [blocks] = [rule for rule in policy.policies if isinstance(rule, DomainBlocks)]
    forget_now(policy)
    reads = _counting_reads(instance, "domain_blocks")

    def committed_meanwhile(_conn, _cursor, statement, *_args):
        if "FROM domain_blocks" in statement and len(reads) == 1:
            forget_now(policy)

    event.listen(instance.runtime.db.engine.sync_engine, "after_cursor_execute", committed_meanwhile)
    await blocks.facts()
    await blocks.facts()
    assert len(reads) == 2
    await blocks.facts()
    assert len(reads) == 2  # that one is fresh
