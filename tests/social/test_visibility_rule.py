"""The visibility rule's finer points: a note is addressed to someone by to, by cc or by a
Mention tag alone (remote servers use each); a deleted note is seen by nobody, not even in a
thread above a reply."""

from __future__ import annotations

import pytest

from tests.support.inbox import received_note


async def _remote_private_note(instance, peer, alice, gemeente_uri: str, form: str) -> str:
    """A followers-only note of alice's that reaches gemeente only by `form`; its local id."""
    to, cc, tags = [alice.followers], [], []
    if form == "to":
        to.append(gemeente_uri)
    elif form == "cc":
        cc.append(gemeente_uri)
    else:
        tags.append({"type": "Mention", "href": gemeente_uri, "name": "@gemeente"})
    note = peer.note(alice, "<p>Alleen voor u</p>", to=to, cc=cc, tag=tags)
    return str((await received_note(instance, peer, alice, note, "private")).id)


@pytest.mark.parametrize("form", ["to", "cc", "tag"])
async def test_a_private_note_is_seen_by_whoever_it_addresses_in_any_of_its_forms(instance, peer, form):
    gemeente = await instance.create_account("gemeente")
    addressed = await instance.token_for(gemeente)
    bystander = await instance.token_for(await instance.create_account("buur"))
    alice = peer.add_actor("alice")
    note_id = await _remote_private_note(instance, peer, alice, gemeente.uri, form)

    status, body = await instance.request("GET", f"/api/v1/statuses/{note_id}", token=addressed)
    assert (status, body["id"]) == (200, note_id)
    status, body = await instance.request("GET", f"/api/v1/statuses/{note_id}", token=bystander)
    assert (status, body) == (404, {"error": "Record not found"})


async def test_a_deleted_note_is_left_out_of_the_thread_above_a_reply(instance):
    author = await instance.token_for(await instance.create_account("gemeente"))
    reader = await instance.token_for(await instance.create_account("buur"))
    status, root = await instance.request("POST", "/api/v1/statuses", token=author, json={"status": "Eerst"})
    assert status == 200, root
    status, reply = await instance.request("POST", "/api/v1/statuses", token=reader,
                                           json={"status": "@gemeente Daarna", "in_reply_to_id": root["id"]})
    assert status == 200
    assert (await instance.request("DELETE", f"/api/v1/statuses/{root['id']}", token=author))[0] == 200

    status, context = await instance.request("GET", f"/api/v1/statuses/{reply['id']}/context", token=reader)
    assert (status, context["ancestors"]) == (200, [])
    status, _ = await instance.request("GET", f"/api/v1/statuses/{root['id']}", token=author)
    assert status == 404  # not even its author sees it once deleted
