"""Helpers for inbox tests: refusals that leave nothing behind, and dropped activities."""

from __future__ import annotations

from . import store


async def assert_refused(instance, peer, result: tuple[int, dict], reason: str, status: int = 401, *,
                         exact: bool = False) -> None:
    """The request was answered `status` with `reason` (with `exact`, those very words and no
    others), and nothing was stored, handled or delivered because of it (after the queues have run)."""
    got, payload = result
    assert got == status, payload
    assert payload["error"] == reason if exact else reason in payload["error"], payload
    await instance.settle()
    assert await store.nothing_stored(instance)
    assert peer.received == []


async def assert_dropped(instance, activity: dict, reason: str) -> None:
    """The activity was accepted (202), then dropped by the worker with exactly `reason` (what
    the log line and the row say, for the operator)."""
    await instance.settle()
    row = await store.inbox_activity(instance, activity["id"])
    assert row is not None, f"{activity['id']} was never stored"
    assert (row.state, row.error) == ("dropped", reason)


async def assert_done(instance, activity: dict) -> None:
    await instance.settle()
    row = await store.inbox_activity(instance, activity["id"])
    assert row is not None and row.state == "done", (row and row.state, row and row.error)


async def received_note(instance, peer, author, note: dict, visibility: str):
    """`author` (on `peer`) sends a Create of `note`; once the worker has applied it, the note as
    stored here, checked to have been kept with `visibility`."""
    status, _ = await peer.post(f"{instance.base}/inbox", peer.create(author, note), author)
    assert status == 202
    await instance.settle()
    stored = await store.note(instance, note["id"])
    assert stored is not None and stored.visibility == visibility, stored and stored.visibility
    return stored
