"""The room's policy as verdicts (the rules the inbound side asks through
`room_verdict_for_join` and `room_verdict_for_post`): every combination that matters."""

from __future__ import annotations

import pytest

from pubhub.policy import Verdict
from pubhub.rooms.seam import addressed_uris
from pubhub.rooms.verdicts import Standing, join_verdict, post_verdict
from pubhub.store.models import Room

MEMBER, OUTSIDER, BANNED, STAFF = Standing(member=True), Standing(), Standing(member=True, banned=True), Standing(staff=True)


def room(**policy) -> Room:
    values = {"join_policy": "open", "post_policy": "members", "moderation": "none", "visibility": "public"}
    return Room(**{**values, **policy})


@pytest.mark.parametrize("join, standing, verdict", [
    ("open", OUTSIDER, Verdict.ALLOW), ("approval", OUTSIDER, Verdict.HOLD),
    ("open", BANNED, Verdict.REFUSE), ("approval", BANNED, Verdict.REFUSE),
])
def test_joining(join, standing, verdict):
    assert join_verdict(room(join_policy=join), standing).verdict is verdict


@pytest.mark.parametrize("policy, standing, visibility, verdict", [
    ({}, MEMBER, "public", Verdict.ALLOW),
    ({}, MEMBER, "unlisted", Verdict.ALLOW),
    ({}, OUTSIDER, "public", Verdict.REFUSE),
    ({}, STAFF, "public", Verdict.ALLOW),
    ({}, BANNED, "public", Verdict.REFUSE),
    ({"post_policy": "anyone"}, OUTSIDER, "public", Verdict.ALLOW),
    ({"post_policy": "anyone"}, BANNED, "public", Verdict.REFUSE),
    ({"post_policy": "staff"}, MEMBER, "public", Verdict.REFUSE),
    ({"post_policy": "staff"}, STAFF, "public", Verdict.ALLOW),
    ({}, MEMBER, "direct", Verdict.REFUSE),
    ({}, MEMBER, "private", Verdict.REFUSE),
    ({"visibility": "members"}, MEMBER, "private", Verdict.ALLOW),
    ({"moderation": "pre"}, MEMBER, "public", Verdict.HOLD),
    ({"moderation": "pre"}, STAFF, "public", Verdict.ALLOW),
    ({"moderation": "pre"}, OUTSIDER, "public", Verdict.REFUSE),
    ({"moderation": "post"}, MEMBER, "public", Verdict.ALLOW),
])
def test_posting(policy, standing, visibility, verdict):
    decision = post_verdict(room(**policy), standing, visibility)
    assert decision.verdict is verdict
    assert (decision.reason != "") == (verdict is not Verdict.ALLOW)


def test_the_seam_reads_every_address_of_an_activity_and_its_object():
    activity = {"type": "Create", "actor": "https://a.example/u", "to": ["https://x/1"], "cc": "https://x/2",
                "object": {"id": "https://a.example/n", "audience": "https://x/3",
                           "tag": [{"type": "Mention", "href": "https://x/4"}, "junk", {"href": 5}]}}
    assert addressed_uris(activity) == {"https://x/1", "https://x/2", "https://x/3", "https://x/4",
                                        "https://a.example/n"}
    assert addressed_uris({"type": "Like", "object": "https://x/5"}) == {"https://x/5"}
