"""Polls through the client API, as Mastodon's apps use them: posted with a status, read and
voted on once, within the bounds /api/v1/instance announces, never by someone who may not see
the status."""

from __future__ import annotations

import asyncio

import pytest
from mastodon import Mastodon


@pytest.fixture
async def people(instance):
    gemeente = await instance.create_account("gemeente")
    bewoner = await instance.create_account("bewoner")
    return await instance.token_for(gemeente), await instance.token_for(bewoner)


def poll_status(*options, **poll) -> dict:
    return {"status": "Wanneer past de inloopavond?",
            "poll": {"options": list(options) or ["dinsdag", "donderdag"], "expires_in": 86400, **poll}}


async def test_a_poll_is_posted_with_its_status_and_voted_on_once(instance, people):
    agency, resident = people
    posted = await instance.post_status(agency, **poll_status("dinsdag", "donderdag", "zaterdag"))
    poll = posted["poll"]
    assert poll["id"] == posted["id"] and poll["multiple"] is False and poll["expired"] is False
    assert [(o["title"], o["votes_count"]) for o in poll["options"]] == [("dinsdag", 0), ("donderdag", 0), ("zaterdag", 0)]
    assert poll["voted"] is False and poll["own_votes"] == []

    status, body = await instance.request("POST", f"/api/v1/polls/{poll['id']}/votes", token=resident,
                                          json={"choices": [2]})
    assert status == 200, body
    assert body["voted"] is True and body["own_votes"] == [2]
    assert (body["votes_count"], body["voters_count"]) == (1, 1)
    assert [o["votes_count"] for o in body["options"]] == [0, 0, 1]

    status, again = await instance.request("POST", f"/api/v1/polls/{poll['id']}/votes", token=resident,
                                           json={"choices": [0]})
    assert (status, again) == (422, {"error": "Validation failed: You have already voted on this poll"})
    status, read = await instance.request("GET", f"/api/v1/polls/{poll['id']}", token=resident)
    assert status == 200 and [o["votes_count"] for o in read["options"]] == [0, 0, 1]
    status, seen_by_author = await instance.request("GET", f"/api/v1/statuses/{posted['id']}", token=agency)
    assert seen_by_author["poll"]["voted"] is False and seen_by_author["poll"]["votes_count"] == 1


async def test_form_parameters_as_mastodon_py_sends_them(instance, people):
    agency, _ = people
    form = [("status", "Welke kleur?"), ("poll[options][]", "groen"), ("poll[options][]", "blauw"),
            ("poll[expires_in]", "600"), ("poll[multiple]", "true")]
    status, body = await instance.request("POST", "/api/v1/statuses", token=agency, data=form)
    assert status == 200, body
    assert [o["title"] for o in body["poll"]["options"]] == ["groen", "blauw"] and body["poll"]["multiple"] is True


async def test_several_choices_only_where_the_poll_takes_them(instance, people):
    agency, resident = people
    single = (await instance.post_status(agency, **poll_status()))["poll"]["id"]
    several = (await instance.post_status(agency, **poll_status(multiple=True)))["poll"]["id"]
    status, body = await instance.request("POST", f"/api/v1/polls/{single}/votes", token=resident, json={"choices": [0, 1]})
    assert (status, body) == (422, {"error": "Validation failed: this poll takes one choice"})
    status, body = await instance.request("POST", f"/api/v1/polls/{several}/votes", token=resident, json={"choices": [0, 1]})
    assert status == 200 and body["own_votes"] == [0, 1] and (body["votes_count"], body["voters_count"]) == (2, 1)


@pytest.mark.parametrize("choices, error", [
    ([], "Validation failed: choose at least one option"),
    ([2], "Validation failed: each choice is the index of a different option"),
    ([0, 0], "Validation failed: each choice is the index of a different option"),
])
async def test_a_vote_for_no_option_is_refused_and_counts_nothing(instance, people, choices, error):
    agency, resident = people
    poll_id = (await instance.post_status(agency, **poll_status(multiple=True)))["poll"]["id"]
    status, body = await instance.request("POST", f"/api/v1/polls/{poll_id}/votes", token=resident, json={"choices": choices})
    assert (status, body) == (422, {"error": error})
    _, read = await instance.request("GET", f"/api/v1/polls/{poll_id}", token=resident)
    assert read["votes_count"] == 0 and read["voted"] is False


async def test_no_vote_after_the_end(instance, people, clock):
    agency, resident = people
    poll_id = (await instance.post_status(agency, **poll_status(expires_in=300)))["poll"]["id"]
    clock.advance(301)
    status, body = await instance.request("POST", f"/api/v1/polls/{poll_id}/votes", token=resident, json={"choices": [0]})
    assert (status, body) == (422, {"error": "Validation failed: The poll has already ended"})


@pytest.mark.parametrize("poll, error", [
    ({"options": ["alleen"]}, "Validation failed: a poll has 2 to 4 options"),
    ({"options": ["a", "b", "c", "d", "e"]}, "Validation failed: a poll has 2 to 4 options"),
    ({"options": ["a", "x" * 51]}, "Validation failed: a poll's options are 1 to 50 characters"),
    ({"options": ["ja", "ja"]}, "Validation failed: a poll's options must differ"),
    ({"expires_in": 299}, "Validation failed: a poll runs 300 to 2629746 seconds"),
    ({"expires_in": 2629747}, "Validation failed: a poll runs 300 to 2629746 seconds"),
])
async def test_a_poll_outside_the_announced_bounds_is_refused_and_nothing_is_posted(instance, people, poll, error):
    agency, _ = people
    status, body = await instance.request("POST", "/api/v1/statuses", token=agency,
                                          json={"status": "Peiling", "poll": {"options": ["ja", "nee"], "expires_in": 3600, **poll}})
    assert (status, body) == (422, {"error": error})
    _, timeline = await instance.request("GET", "/api/v1/timelines/public", token=agency)
    assert timeline == []
    _, about = await instance.request("GET", "/api/v2/instance")
    assert about["configuration"]["polls"] == {"max_options": 4, "max_characters_per_option": 50,
                                               "min_expiration": 300, "max_expiration": 2629746}


async def test_a_poll_of_a_status_you_may_not_see_is_not_found_and_takes_no_vote(instance, people):
    agency, resident = people
    private = await instance.post_status(agency, visibility="private", **poll_status())
    for method, path, options in (("GET", f"/api/v1/polls/{private['id']}", {}),
                                  ("POST", f"/api/v1/polls/{private['id']}/votes", {"json": {"choices": [0]}})):
        status, body = await instance.request(method, path, token=resident, **options)
        assert (status, body) == (404, {"error": "Record not found"}), path
    _, read = await instance.request("GET", f"/api/v1/polls/{private['id']}", token=agency)
    assert read["votes_count"] == 0


async def test_hidden_totals_show_to_the_author_only_while_it_runs(instance, people):
    agency, resident = people
    poll_id = (await instance.post_status(agency, **poll_status(hide_totals=True)))["poll"]["id"]
    status, body = await instance.request("POST", f"/api/v1/polls/{poll_id}/votes", token=resident, json={"choices": [1]})
    assert status == 200 and [o["votes_count"] for o in body["options"]] == [None, None]
    _, by_author = await instance.request("GET", f"/api/v1/polls/{poll_id}", token=agency)
    assert [o["votes_count"] for o in by_author["options"]] == [0, 1]


async def test_a_status_is_images_or_a_poll(instance, people):
    agency, _ = people
    status, body = await instance.request("POST", "/api/v1/statuses", token=agency,
                                          json={**poll_status(), "media_ids": ["123"]})
    assert (status, body) == (422, {"error": "Validation failed: a status has images or a poll, not both"})


async def test_mastodon_py_posts_a_poll_and_votes(instance, people):
    agency, resident = people

    def client_session():
        def api(token):
            return Mastodon(access_token=token, api_base_url=instance.base, version_check_mode="none", request_timeout=30)
        posted = api(agency).status_post("Nieuwe naam voor het plein?", poll=api(agency).make_poll(
            ["Marktplein", "Dorpsplein", "Lindeplein"], expires_in=3600, multiple=True))
        voted = api(resident).poll_vote(posted["poll"]["id"], [0, 2])
        return posted, voted, api(agency).poll(posted["poll"]["id"])

    posted, voted, read = await asyncio.to_thread(client_session)
    assert [o["title"] for o in posted["poll"]["options"]] == ["Marktplein", "Dorpsplein", "Lindeplein"]
    assert voted["own_votes"] == [0, 2] and voted["voted"] is True
    assert [o["votes_count"] for o in read["options"]] == [1, 0, 1] and read["voters_count"] == 1


async def test_when_a_poll_ends_its_author_and_voters_are_notified_once(instance, people, clock):
    agency, resident = people
    bystander = await instance.token_for(await instance.create_account("buurman"))
    poll_id = (await instance.post_status(agency, **poll_status(expires_in=300)))["poll"]["id"]
    status, _ = await instance.request("POST", f"/api/v1/polls/{poll_id}/votes", token=resident, json={"choices": [1]})
    assert status == 200
    await instance.settle()
    for token in (agency, resident):
        assert await _poll_notifications(instance, token) == []
    clock.advance(301 + 60)
    await instance.settle()
    clock.advance(60)
    await instance.settle()
    for token in (agency, resident):
        notifications = await _poll_notifications(instance, token)
        assert [(n["type"], n["status"]["id"], n["status"]["poll"]["expired"]) for n in notifications] == [("poll", poll_id, True)]
    assert await _poll_notifications(instance, bystander) == []


async def _poll_notifications(instance, token) -> list[dict]:
    status, body = await instance.request("GET", "/api/v1/notifications", token=token, params={"types[]": "poll"})
    assert status == 200, body
    return body
