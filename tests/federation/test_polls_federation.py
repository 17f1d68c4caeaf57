"""Polls across servers, as Mastodon federates them: ours are `Question`s whose counts other
servers hear of by `Update`; a vote is a Note naming the option, in reply to the Question, sent
to the poll's author alone; a remote vote counts once, only on an open poll its voter may see."""

from __future__ import annotations

from datetime import timedelta

from tests.support import store
from tests.support.inbox import assert_done


async def _our_poll(instance, token, **fields) -> dict:
    return await instance.post_status(token, status="Waar komt het bankje?", **{
        "poll": {"options": ["bij de kerk", "in het park"], "expires_in": 3600}, **fields})


def _vote(peer, voter, question_uri: str, option: str, note_id: str | None = None) -> dict:
    """A vote as Mastodon sends it: a Create of a Note with the option as `name` and no content."""
    note = {"id": note_id or peer.new_id(voter, "vote"), "type": "Note", "name": option, "attributedTo": voter.uri,
            "to": [question_uri.split("/statuses/")[0]], "inReplyTo": question_uri}
    return peer.activity("Create", voter, note, to=note["to"])


def activity_actor(activity, *actors):
    return next(actor for actor in actors if actor.uri == activity["actor"])


async def _counts(instance, token, status_id) -> list[int]:
    status, body = await instance.request("GET", f"/api/v1/polls/{status_id}", token=token)
    assert status == 200, body
    return [option["votes_count"] for option in body["options"]]


async def test_our_poll_is_a_question_as_mastodon_writes_it(instance, gemeente):
    posted = await _our_poll(instance, await instance.token_for(gemeente), poll={
        "options": ["ja", "nee", "weet niet"], "expires_in": 600, "multiple": True})
    status, document = await instance.get_ap(posted["uri"])
    assert status == 200 and document["type"] == "Question"
    assert document["anyOf"] == [{"type": "Note", "name": name, "replies": {"type": "Collection", "totalItems": 0}}
                                 for name in ("ja", "nee", "weet niet")]
    assert "oneOf" not in document and "closed" not in document
    assert document["endTime"] == posted["poll"]["expires_at"] and document["votersCount"] == 0


async def test_a_remote_vote_counts_once_and_only_for_an_option_the_poll_has(instance, peer, gemeente, alice, mallory):
    token = await instance.token_for(gemeente)
    poll = await _our_poll(instance, token)
    first = _vote(peer, alice, poll["uri"], "in het park")
    for activity in (first, first, _vote(peer, alice, poll["uri"], "in het park", note_id=first["object"]["id"]),
                     _vote(peer, alice, poll["uri"], "bij de kerk"),  # a second choice on a one-choice poll
                     _vote(peer, mallory, poll["uri"], "op het plein")):  # no such option
        assert (await peer.post(f"{instance.base}/inbox", activity, activity_actor(activity, alice, mallory)))[0] in (202, 200)
        await instance.settle()  # each applied before the next arrives
    assert await _counts(instance, token, poll["id"]) == [0, 1]
    assert await store.note(instance, first["object"]["id"]) is None  # a vote is counted, not kept as a note
    await assert_done(instance, first)


async def test_a_vote_on_a_poll_its_voter_may_not_see_or_that_ended_counts_nothing(instance, peer, gemeente, alice, clock):
    token = await instance.token_for(gemeente)
    followers_only = await _our_poll(instance, token, visibility="private")
    assert (await peer.post(f"{instance.base}/inbox", _vote(peer, alice, followers_only["uri"], "bij de kerk"), alice))[0] == 202
    ended = await _our_poll(instance, token, poll={"options": ["ja", "nee"], "expires_in": 300})
    clock.advance(301)
    assert (await peer.post(f"{instance.base}/inbox", _vote(peer, alice, ended["uri"], "ja"), alice))[0] == 202
    await instance.settle()
    assert await _counts(instance, token, followers_only["id"]) == [0, 0]
    assert await _counts(instance, token, ended["id"]) == [0, 0]


async def test_servers_that_have_our_poll_hear_its_counts_and_its_end(instance, peer, gemeente, alice, clock):
    token = await instance.token_for(gemeente)
    poll = await _our_poll(instance, token, poll={"options": ["ja", "nee"], "expires_in": 600})
    await instance.settle()
    assert (await peer.post(f"{instance.base}/inbox", _vote(peer, alice, poll["uri"], "nee"), alice))[0] == 202
    await instance.settle()
    clock.advance(61)  # the next round of the worker
    await instance.settle()
    updates = [r.activity for r in peer.received_of_type("Update")]
    assert len(updates) == 1 and updates[0]["object"]["type"] == "Question"
    assert [o["replies"]["totalItems"] for o in updates[0]["object"]["oneOf"]] == [0, 1]
    assert "closed" not in updates[0]["object"]

    clock.advance(61)  # nothing new: no second Update
    await instance.settle()
    assert len(peer.received_of_type("Update")) == 1

    clock.advance(600)
    await instance.settle()
    final = [r.activity for r in peer.received_of_type("Update")][-1]
    assert len(peer.received_of_type("Update")) == 2 and final["object"]["closed"] == poll["poll"]["expires_at"]
    _, document = await instance.get_ap(poll["uri"])
    assert document["closed"] == poll["poll"]["expires_at"]


async def _remote_question(instance, peer, alice, gemeente, *, counts=(3, 4), **extra) -> dict:
    question = peer.note(alice, '<p>@gemeente Wat vindt u?</p>', type="Question", to=["https://www.w3.org/ns/activitystreams#Public", gemeente.uri],
                         tag=[{"type": "Mention", "href": gemeente.uri, "name": "@gemeente"}],
                         oneOf=[{"type": "Note", "name": name, "replies": {"type": "Collection", "totalItems": count}}
                                for name, count in zip(("goed", "slecht"), counts)],
                         **{"endTime": "2099-01-01T00:00:00Z", "votersCount": 7, **extra})
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, question), alice))[0] == 202
    await instance.settle()
    return question


async def test_a_remote_poll_is_shown_voted_on_by_a_note_to_its_author_and_updated_by_it(instance, peer, gemeente, alice, mallory):
    token = await instance.token_for(gemeente)
    question = await _remote_question(instance, peer, alice, gemeente)
    status_id = (await store.note(instance, question["id"])).id
    assert await _counts(instance, token, status_id) == [3, 4]

    status, body = await instance.request("POST", f"/api/v1/polls/{status_id}/votes", token=token, json={"choices": [0]})
    assert status == 200 and body["own_votes"] == [0] and [o["votes_count"] for o in body["options"]] == [4, 4]
    await instance.settle()
    votes = [r for r in peer.received_of_type("Create")]
    assert len(votes) == 1 and votes[0].verified and votes[0].path == "/users/alice/inbox"
    note = votes[0].activity["object"]
    assert (note["type"], note["name"], note["inReplyTo"], note["to"]) == ("Note", "goed", question["id"], [alice.uri])
    assert note["attributedTo"] == gemeente.uri and "content" not in note

    update = peer.activity("Update", alice, {**question, "oneOf": [
        {"type": "Note", "name": "goed", "replies": {"type": "Collection", "totalItems": 10}},
        {"type": "Note", "name": "slecht", "replies": {"type": "Collection", "totalItems": 5}}]})
    forged = peer.activity("Update", mallory, {**update["object"], "oneOf": []})
    assert (await peer.post(f"{instance.base}/inbox", update, alice))[0] == 202
    await peer.post(f"{instance.base}/inbox", forged, mallory)
    await instance.settle()
    assert await _counts(instance, token, status_id) == [10, 5]


async def test_a_remote_count_that_is_no_count_is_taken_as_zero(instance, peer, gemeente, alice):
    token = await instance.token_for(gemeente)
    question = await _remote_question(instance, peer, alice, gemeente, counts=(-5, "veel"))
    assert await _counts(instance, token, (await store.note(instance, question["id"])).id) == [0, 0]


async def test_who_voted_here_on_a_remote_poll_hears_when_it_ended(instance, peer, gemeente, alice, clock):
    token = await instance.token_for(gemeente)
    ends = (clock.now() + timedelta(minutes=10)).isoformat().replace("+00:00", "Z")
    question = await _remote_question(instance, peer, alice, gemeente, endTime=ends)
    status_id = (await store.note(instance, question["id"])).id
    status, _ = await instance.request("POST", f"/api/v1/polls/{status_id}/votes", token=token, json={"choices": [1]})
    assert status == 200
    clock.advance(11 * 60)
    await instance.settle()
    _, notifications = await instance.request("GET", "/api/v1/notifications", token=token, params={"types[]": "poll"})
    assert [(n["type"], n["status"]["id"], n["account"]["id"]) for n in notifications] == [
        ("poll", str(status_id), str((await store.actor(instance, alice.uri)).id))]
