"""POST /api/v1/reports: a user reports an account and some of its posts (Mastodon's Report
entity back); every refusal changes nothing."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from mastodon import Mastodon

from pubhub.config import Rule
from tests.support import store
from tests.support.instance import Instance

REPORTS = "/api/v1/reports"


@dataclass
class People:
    instance: Instance
    reporter: str  # bob's token
    carol: object  # the reported account
    carol_post: str
    carol_token: str


@pytest.fixture
async def ruled(database_url):
    """An instance with two rules a report may cite."""
    server = await Instance(database_url, rules=(Rule("No spam"), Rule("No harassment", "Nor threats"))).start()
    yield server
    await server.stop()


@pytest.fixture
async def people(ruled) -> People:
    bob = await ruled.create_account("bob")
    carol = await ruled.create_account("carol")
    carol_token = await ruled.token_for(carol)
    post = await ruled.post_status(carol_token, status="Koop nu goedkope horloges")
    return People(ruled, await ruled.token_for(bob), carol, post["id"], carol_token)


async def reports(instance) -> list:
    return await store.all_of(instance, store.Report)


async def test_a_user_reports_an_account_and_its_post(people):
    status, body = await people.instance.request("POST", REPORTS, token=people.reporter, json={
        "account_id": str(people.carol.id), "status_ids": [people.carol_post], "comment": "Reclame",
        "category": "violation", "rule_ids": ["1"]})
    assert status == 200, body
    assert body["target_account"]["id"] == str(people.carol.id) and body["target_account"]["acct"] == "carol"
    assert (body["status_ids"], body["rule_ids"], body["category"], body["comment"]) == (
        [people.carol_post], ["1"], "violation", "Reclame")
    assert (body["action_taken"], body["action_taken_at"], body["forwarded"]) == (False, None, False)
    [report] = await reports(people.instance)
    assert (str(report.id), report.source, report.target_account_id, report.status_ids) == (
        body["id"], "local", people.carol.id, [int(people.carol_post)])


async def test_rules_default_the_category_to_violation_and_a_form_works(people):
    status, body = await people.instance.request("POST", REPORTS, token=people.reporter, data={
        "account_id": str(people.carol.id), "rule_ids[]": "2", "forward": "false"})
    assert status == 200, body
    assert (body["category"], body["rule_ids"], body["status_ids"]) == ("violation", ["2"], [])


async def test_a_post_the_reporter_may_not_see_is_a_404(people):
    hidden = await people.instance.post_status(people.carol_token, status="Alleen voor mij", visibility="direct")
    status, body = await people.instance.request("POST", REPORTS, token=people.reporter, json={
        "account_id": str(people.carol.id), "status_ids": [hidden["id"]]})
    assert (status, body) == (404, {"error": "Record not found"})
    assert await reports(people.instance) == []


async def test_a_post_of_someone_else_is_a_422(people):
    dave = await people.instance.create_account("dave")
    other = await people.instance.post_status(await people.instance.token_for(dave), status="Van dave")
    status, body = await people.instance.request("POST", REPORTS, token=people.reporter, json={
        "account_id": str(people.carol.id), "status_ids": [people.carol_post, other["id"]]})
    assert status == 422 and "the reported account's" in body["error"]
    assert await reports(people.instance) == []


@pytest.mark.parametrize("payload, expected, problem", [
    ({"account_id": "999999"}, 404, "Record not found"),
    ({"account_id": "nope"}, 404, "Record not found"),
    ({}, 422, "account_id"),
    ({"comment": "x" * 1001}, 422, "comment"),
    ({"category": "rude"}, 422, "category"),
    ({"category": "spam", "rule_ids": ["1"]}, 422, "rule_ids"),
    ({"rule_ids": ["3"]}, 422, "rule"),
    ({"status_ids": ["123456789"]}, 404, "Record not found"),
])
async def test_a_bad_report_is_refused_and_changes_nothing(people, payload, expected, problem):
    body = {"account_id": str(people.carol.id), **payload}
    if payload == {}:
        body = {}
    status, answer = await people.instance.request("POST", REPORTS, token=people.reporter, json=body)
    assert status == expected and problem in answer["error"], answer
    assert await reports(people.instance) == []


async def test_reporting_yourself_is_refused(people):
    status, body = await people.instance.request("POST", REPORTS, token=people.carol_token,
                                                 json={"account_id": str(people.carol.id)})
    assert status == 422 and "yourself" in body["error"]
    assert await reports(people.instance) == []


async def test_without_the_scope_or_a_token_nothing_is_filed(people):
    reader = await people.instance.token_for(people.carol, "read write:statuses")
    for token, expected in ((reader, 403), (None, 401)):
        status, body = await people.instance.request("POST", REPORTS, token=token, json={
            "account_id": str(people.carol.id)})
        assert status == expected and "error" in body
    assert await reports(people.instance) == []


async def test_mastodon_py_files_a_report(people):
    def session():
        api = Mastodon(access_token=people.reporter, api_base_url=people.instance.base, version_check_mode="none",
                       request_timeout=10)
        return api.report(str(people.carol.id), status_ids=[people.carol_post], comment="Reclame", category="spam")

    report = await asyncio.to_thread(session)
    assert report["category"] == "spam" and report["target_account"]["acct"] == "carol"
    assert [str(i) for i in report["status_ids"]] == [people.carol_post]
    assert len(await reports(people.instance)) == 1
