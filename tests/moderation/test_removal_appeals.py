"""A removed post is kept for its appeal (its images out of reach): reversing the removal on
appeal restores it with its images; after the appeal period, with no appeal pending, it is purged
for good (and a late reversal says so). Over real HTTP, on a clock the test moves."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from pubhub.moderation.removals import APPEAL_PERIOD, RemovedPosts
from tests.api.test_media import fetch, upload

GROUNDS = {"kind": "rule", "text": "1. No spam", "facts": "Advertises watches"}


@pytest.fixture
async def removed(instance):
    carol = await instance.create_account("carol")
    carol_token = await instance.token_for(carol)
    status, media = await upload(instance, carol_token, description="Horloge")
    assert status == 200, media
    post = await instance.post_status(carol_token, status="Koop nu goedkope horloges", media_ids=[media["id"]])
    image = post["media_attachments"][0]["url"]
    assert (await fetch(instance, image))[0] == 200
    first = await instance.token_for(await instance.create_account("eerste", role="moderator"), "admin:read admin:write")
    second = await instance.token_for(await instance.create_account("tweede", role="moderator"), "admin:read admin:write")
    status, body = await instance.request("POST", f"/api/v1/pubhub/statuses/{post['id']}/remove", token=first,
                                          json=GROUNDS)
    assert status == 200, body
    return carol_token, post, image, body["statement"]["id"], second


async def _appeal(instance, token: str, decision_id: str) -> str:
    status, appeal = await instance.request("POST", f"/api/v1/pubhub/decisions/{decision_id}/appeal", token=token,
                                            json={"text": "Het waren mijn eigen oude horloges"})
    assert status == 200, appeal
    return appeal["id"]


async def test_reversing_a_removal_on_appeal_restores_the_post_and_its_images(instance, removed):
    carol_token, post, image, decision_id, second = removed
    assert (await instance.request("GET", f"/api/v1/statuses/{post['id']}", token=carol_token))[0] == 404
    assert (await fetch(instance, image))[0] == 404  # out of reach while removed
    appeal_id = await _appeal(instance, carol_token, decision_id)
    status, body = await instance.request("POST", f"/api/v1/pubhub/appeals/{appeal_id}/reverse", token=second,
                                          json={"explanation": "Geen reclame: tweedehands verkoop mag"})
    assert status == 200, body
    status, shown = await instance.request("GET", f"/api/v1/statuses/{post['id']}", token=carol_token)
    assert status == 200 and shown["content"] == post["content"] and len(shown["media_attachments"]) == 1
    assert (await fetch(instance, image))[0] == 200
    status, decision = await instance.request("GET", f"/api/v1/pubhub/decisions/{decision_id}", token=carol_token)
    assert decision["reversed_at"] is not None
    status, log = await instance.request("GET", "/api/v1/pubhub/audit_log", token=second, params={"action": "status.restore"})
    # (the second moderator may read the log: view_audit_log is granted by default)
    assert [entry["target_id"] for entry in log] == [post["id"]]


async def test_after_the_appeal_period_the_post_is_purged(instance, clock, removed):
    carol_token, post, image, decision_id, second = removed
    purge = RemovedPosts(instance.runtime)
    assert await purge.purge_if_due() == 0  # still within the appeal period
    clock.advance((APPEAL_PERIOD + timedelta(days=1)).total_seconds())
    assert await RemovedPosts(instance.runtime).purge_if_due() == 1
    quarantine = os.path.join(instance.settings.media_dir, "removed")
    assert os.listdir(quarantine) == []
    appeal_id = await _appeal(instance, carol_token, decision_id)  # still appealable: the decision stands
    status, body = await instance.request("POST", f"/api/v1/pubhub/appeals/{appeal_id}/reverse", token=second,
                                          json={"explanation": "Toch terecht bezwaar"})
    assert status == 422 and "purged" in body["error"]
    assert (await instance.request("GET", f"/api/v1/statuses/{post['id']}", token=carol_token))[0] == 404


async def test_a_pending_appeal_keeps_the_post_past_the_period(instance, clock, removed):
    carol_token, post, image, decision_id, second = removed
    appeal_id = await _appeal(instance, carol_token, decision_id)
    clock.advance((APPEAL_PERIOD + timedelta(days=1)).total_seconds())
    assert await RemovedPosts(instance.runtime).purge_if_due() == 0
    status, _ = await instance.request("POST", f"/api/v1/pubhub/appeals/{appeal_id}/reverse", token=second,
                                       json={"explanation": "Terecht bezwaar"})
    assert status == 200
    assert (await instance.request("GET", f"/api/v1/statuses/{post['id']}", token=carol_token))[0] == 200
