"""What the inbox refuses before any work is queued (size, JSON shape, the activity's id, type
and actor), what it accepts and then ignores (replays, unknown types), and what it cleans
(remote HTML). Every request here is correctly signed, so only the rule under test can refuse it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from pubhub.clock import ManualClock

from tests.support import httpsig, store
from tests.support.inbox import assert_done, assert_refused
from tests.support.instance import Instance
from tests.support.peer import PUBLIC

ONE_MB = 1024 * 1024


@pytest.fixture
def inbox(instance, gemeente):
    return f"{instance.base}/users/gemeente/inbox"


def note_for(peer, actor, gemeente, content: str = "<p>Hallo gemeente</p>", **extra) -> dict:
    """A note that concerns us (it addresses our account), so it is kept when it is valid."""
    return peer.note(actor, content, to=[PUBLIC, gemeente.uri], **extra)


def nest(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


# ---- size -----------------------------------------------------------------------------------

async def test_a_body_over_one_megabyte_with_content_length_is_refused(instance, peer, alice, inbox):
    activity = peer.activity("Like", alice, f"{peer.base}/notes/1", padding="x" * ONE_MB)
    result = await peer.post(inbox, activity, alice)
    await assert_refused(instance, peer, result, "larger than", status=413)
    assert peer.fetches == []  # refused before the signer's key was even looked up


async def test_a_chunked_body_over_one_megabyte_is_refused(instance, peer, alice, inbox):
    body = json.dumps(peer.activity("Like", alice, f"{peer.base}/notes/1", padding="x" * ONE_MB)).encode()
    headers = httpsig.sign("POST", inbox, body, key=alice.key, key_id=alice.key_id)
    headers["Content-Type"] = "application/activity+json"

    async def chunks():
        for start in range(0, len(body), 65536):
            yield body[start:start + 65536]

    async with peer.session.post(inbox, data=chunks(), headers=headers) as response:
        assert response.request_info.headers.get("Transfer-Encoding") == "chunked"
        result = response.status, await response.json(content_type=None)
    await assert_refused(instance, peer, result, "larger than", status=413)
    assert peer.fetches == []


# ---- JSON shape -----------------------------------------------------------------------------

@pytest.mark.parametrize("body, reason", [
    (b'{"type": "Follow", ', "malformed JSON"),
    (b"\xff\xfe not json", "malformed JSON"),
    (b"", "malformed JSON"),
    (b'[{"type": "Follow"}]', "must be an object"),
    (b'"Follow"', "must be an object"),
], ids=["truncated", "not utf-8", "empty", "array", "string"])
async def test_a_body_that_is_not_a_json_object_is_refused(instance, peer, alice, inbox, body, reason):
    await assert_refused(instance, peer, await peer.post(inbox, body, alice), reason, status=400)


@pytest.mark.parametrize("levels, reason", [(32, "nested deeper than 32"), (5000, "malformed JSON")])
async def test_json_nested_deeper_than_32_levels_is_refused(instance, peer, alice, inbox, levels, reason):
    activity = peer.activity("Like", alice, f"{peer.base}/notes/1", extra="NEST")
    body = json.dumps(activity).replace('"NEST"', '{"a": ' * (levels - 1) + "{}" + "}" * (levels - 1)).encode()
    await assert_refused(instance, peer, await peer.post(inbox, body, alice), reason, status=400)


async def test_json_nested_exactly_32_levels_is_accepted(instance, peer, alice, inbox):
    activity = peer.activity("Like", alice, f"{peer.base}/notes/1", extra=nest(31))  # 31 + the activity
    status, payload = await peer.post(inbox, activity, alice)
    assert status == 202, payload


@pytest.mark.parametrize("field, value, reason", [
    ("id", None, "activity has no absolute id"),
    ("id", "urn:uuid:5e1c", "activity has no absolute id"),
    ("id", ["https://example.com/1"], "activity has no absolute id"),
    ("type", None, "activity has no type"),
    ("type", "", "activity has no type"),
    ("actor", None, "activity has no actor"),
    ("actor", {"name": "no id"}, "activity has no actor"),
])
async def test_an_activity_without_id_type_or_actor_is_refused(instance, peer, alice, inbox, field, value, reason):
    activity = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    if value is None:
        del activity[field]
    else:
        activity[field] = value
    await assert_refused(instance, peer, await peer.post(inbox, activity, alice), reason, status=400, exact=True)


def _of_length(prefix: str, length: int) -> str:
    return prefix + "x" * (length - len(prefix))


TOO_LONG = (400, "activity id, type or actor is too long")


@pytest.mark.parametrize("field, length, outcome", [
    ("id", 2048, (202, None)), ("id", 2049, TOO_LONG), ("type", 64, (202, None)), ("type", 65, TOO_LONG),
    # An actor of 2,048 characters passes the bound, and is then not the signer (alice).
    ("actor", 2048, (401, "signer is not the activity's actor")), ("actor", 2049, TOO_LONG),
])
async def test_ids_types_and_actors_are_bounded(instance, peer, alice, inbox, field, length, outcome):
    activity = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    if field == "id":
        activity["id"] = _of_length(f"{peer.base}/follows/", length)
    elif field == "type":
        activity["type"] = _of_length("T", length)  # a type we do not handle is stored, then ignored
    else:
        activity["actor"] = _of_length(f"{peer.base}/users/", length)
        activity["id"] = f"{peer.base}/follows/long-actor"
    result = await peer.post(inbox, activity, alice)
    status, reason = outcome
    if status == 202:
        assert result[0] == 202, result
    else:
        await assert_refused(instance, peer, result, reason, status=status, exact=True)


async def test_an_activity_id_on_another_origin_than_the_actor_is_refused(instance, peer, alice, inbox):
    activity = peer.activity("Follow", alice, f"{instance.base}/users/gemeente", id="https://elsewhere.example/follows/1")
    result = await peer.post(inbox, activity, alice)
    await assert_refused(instance, peer, result, "activity id is not on the actor's origin", status=400, exact=True)


async def test_an_activity_id_on_our_origin_is_refused(instance, peer, alice, inbox, gemeente):
    activity = peer.activity("Follow", alice, gemeente.uri, id=f"{gemeente.uri}#follows/1")
    result = await peer.post(inbox, activity, alice)
    await assert_refused(instance, peer, result, "activity id is not on the actor's origin", status=400, exact=True)


async def test_an_inbox_of_an_account_we_do_not_have_is_not_found(instance, peer, alice, gemeente):
    activity = peer.activity("Follow", alice, gemeente.uri)
    result = await peer.post(f"{instance.base}/users/nobody/inbox", activity, alice)
    await assert_refused(instance, peer, result, "not found", status=404)


# ---- replays and unknown types --------------------------------------------------------------

async def test_a_replayed_activity_id_is_stored_once_and_handled_once(instance, peer, alice, inbox, gemeente):
    create = peer.create(alice, note_for(peer, alice, gemeente, "<p>first</p>"))
    assert (await peer.post(inbox, create, alice))[0] == 202
    await assert_done(instance, create)

    [first] = await store.inbox_activities(instance)

    # The same id again, even with other content and to the shared inbox: nothing changes, and
    # the worker, run after each replay, finds nothing new to do.
    replay = json.loads(json.dumps(create))
    replay["object"]["content"] = "<p>second</p>"
    for url in (inbox, f"{instance.base}/inbox"):
        assert (await peer.post(url, replay, alice))[0] == 202
        assert await instance.workers_.inbox.run_due() == 0
        [row] = await store.inbox_activities(instance)
        assert (row.id, row.state, row.processed_at, row.payload) == (first.id, "done", first.processed_at, first.payload)

    assert await store.count(instance, store.InboxActivity) == 1
    assert await store.count(instance, store.Object, store.Object.local.is_(False)) == 1
    assert (await store.note(instance, create["object"]["id"])).content == "<p>first</p>"


async def test_a_replayed_follow_is_answered_once(instance, peer, alice, inbox):
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    for _ in range(2):
        assert (await peer.post(inbox, follow, alice))[0] == 202
        await instance.settle()
    assert len(peer.received_of_type("Accept")) == 1
    assert await store.count(instance, store.Follow) == 1


@pytest.mark.parametrize("kind", ["Teleport", "EmojiReact", "https://example.org/ns#Wave"])
async def test_unknown_activity_types_are_accepted_and_ignored(instance, peer, alice, inbox, gemeente, kind, caplog):
    activity = peer.activity(kind, alice, gemeente.uri)
    status, _ = await peer.post(inbox, activity, alice)
    assert status == 202
    await assert_done(instance, activity)
    assert f"inbox activity ignored type={kind} actor={alice.uri}" in [r.getMessage() for r in caplog.records]
    assert await store.count(instance, store.Follow) == 0
    assert await store.count(instance, store.Delivery) == 0
    assert await store.count(instance, store.Object, store.Object.local.is_(False)) == 0
    assert peer.received == []


async def test_remote_json_ld_contexts_are_never_fetched(instance, peer, inbox, gemeente):
    context = ["https://www.w3.org/ns/activitystreams", f"{peer.base}/contexts/evil.jsonld"]
    carol = peer.add_actor("carol", key_index=2, **{"@context": context})
    peer.serve("/contexts/evil.jsonld", {"@context": {"content": "@id"}}, content_type="application/ld+json")
    create = peer.create(carol, note_for(peer, carol, gemeente, **{"@context": context}), **{"@context": context})
    assert (await peer.post(inbox, create, carol))[0] == 202
    await assert_done(instance, create)
    assert await store.note(instance, create["object"]["id"]) is not None
    assert "/contexts/evil.jsonld" not in peer.fetches
    assert peer.fetches == ["/users/carol"]


# ---- remote HTML ----------------------------------------------------------------------------

HOSTILE = (
    '<p onclick="steal()">Hallo <strong>gemeente</strong></p>'
    "<script>alert('xss')</script><style>body { display: none }</style>"
    '<iframe src="https://evil.example/frame"></iframe>'
    '<a href="javascript:alert(1)">click</a> <a href="JaVaScRiPt:alert(2)">again</a>'
    '<a href="https://example.org/ok" onmouseover="steal()" style="color: red">link</a>'
    '<img src="x" onerror="steal()"><form action="https://evil.example"><input name="pw"></form>'
    '<object data="evil.swf"></object><svg onload="steal()"><circle/></svg>'
)
FORBIDDEN = ("<script", "alert", "<style", "display", "<iframe", "evil.example", "onclick", "onmouseover",
             "onerror", "onload", "javascript:", "<img", "<form", "<input", "<object", "<svg", "style=")


async def test_remote_html_is_sanitised_before_it_is_stored_or_shown(instance, peer, alice, inbox, gemeente):
    create = peer.create(alice, note_for(peer, alice, gemeente, HOSTILE, summary="<script>cw()</script>Let op"))
    assert (await peer.post(inbox, create, alice))[0] == 202
    await assert_done(instance, create)

    stored = await store.note(instance, create["object"]["id"])
    status, shown = await instance.request("GET", f"/api/v1/statuses/{stored.id}",
                                           token=await instance.token_for(gemeente))
    assert status == 200
    for html in (stored.content, stored.summary, shown["content"], shown["spoiler_text"]):
        lowered = html.lower()
        assert not [bad for bad in FORBIDDEN if bad.lower() in lowered], html
    assert "<strong>gemeente</strong>" in stored.content
    assert 'href="https://example.org/ok"' in stored.content
    assert "Let op" in stored.summary


async def test_remote_profile_html_is_sanitised(instance, peer, inbox):
    eve = peer.add_actor("eve", key_index=2, summary=HOSTILE, name="<script>x()</script>Eve")
    assert (await peer.post(inbox, peer.activity("Follow", eve, f"{instance.base}/users/gemeente"), eve))[0] == 202
    stored = await store.actor(instance, eve.uri)
    for html in (stored.summary, stored.display_name):
        assert not [bad for bad in FORBIDDEN if bad.lower() in html.lower()], html
    assert "<script" not in stored.display_name and "Eve" in stored.display_name


async def test_a_valid_note_that_concerns_us_is_stored(instance, peer, alice, inbox, gemeente):
    """The control for the refusals in test_inbox_ownership.py: the same note, sent properly."""
    create = peer.create(alice, note_for(peer, alice, gemeente))
    assert (await peer.post(inbox, create, alice))[0] == 202
    await assert_done(instance, create)
    assert (await store.note(instance, create["object"]["id"])).content == "<p>Hallo gemeente</p>"


async def test_an_activity_is_stamped_received_by_the_instances_clock(database_url, peer, alice):
    """The retention window and the operator's view count from our clock, not the host's."""
    clock = ManualClock(datetime.now(timezone.utc) - timedelta(minutes=30))  # within the signature's Date window
    instance = await Instance(database_url, clock=clock).start()
    try:
        await instance.create_account("gemeente")
        follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
        assert (await peer.post(f"{instance.base}/inbox", follow, alice))[0] == 202
        assert (await store.inbox_activity(instance, follow["id"])).received_at == clock.now()
    finally:
        await instance.stop()


async def test_an_activity_is_stored_with_its_senders_origin(instance, peer, alice, inbox):
    """The origin keeps one server's activities in arrival order across workers (no worker claims
    one while another holds an earlier one of the same origin: tests/store/test_inbox_claims.py)."""
    follow = peer.activity("Follow", alice, f"{instance.base}/users/gemeente")
    assert (await peer.post(inbox, follow, alice))[0] == 202
    assert (await store.inbox_activity(instance, follow["id"])).origin == peer.base
