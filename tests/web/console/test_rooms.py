"""Rooms in the console: the rooms a moderator may act on with their policy and queue size; a
room's settings, queue (posts as stored), join requests, members and bans; approving, rejecting
with a reason, banning with a reason and the box ticked, unbanning, accepting and refusing join
requests, through the API's own decisions (rooms/acts.py: a statement of reasons for a rejection
and a ban). Every refusal changes nothing."""

from __future__ import annotations

import re

from pubhub.accounts import admin
from pubhub.store.models import Follow, ModerationItem, Object, RoomBan, RoomDecision, Statement
from tests.support.console import post_form, send, signed_in, staff
from tests.support.console_rooms import POSTS, join_room, moderate_hub, room_with_a_queue
from tests.support.oauth import account_with_password
from tests.support.rooms import make_room
from tests.support.store import all_of, count, one


def room(scene) -> str:
    return f"/admin/rooms/{scene.target.room.id}"


def queued(scene, index: int, decision: str) -> str:
    return f"{room(scene)}/queue/{scene.items[index]}/{decision}"


def member(scene, decision: str) -> str:
    return f"{room(scene)}/members/{scene.author.id}/{decision}"


async def _nothing_changed(instance) -> None:
    assert await count(instance, ModerationItem, ModerationItem.state != "pending") == 0
    assert await count(instance, RoomDecision) == 0 and await count(instance, Statement) == 0
    assert await count(instance, RoomBan) == 0


async def test_the_rooms_list_shows_policy_and_queue_size_per_the_moderators_hubs(instance, browser):
    scene = await room_with_a_queue(instance)
    await make_room(instance, "buurt", hub="west")
    await signed_in(browser, "marit")
    listed = await browser.go("GET", "/admin/rooms")
    assert listed.status == 200 and f'href="{instance.base}{room(scene)}"' in listed.text
    assert re.search(r"@wijkraad</span></th>\s*<td>\s*anyone may join; anyone may post; posts wait for a moderator; "
                     r"public\s*</td>\s*<td>2</td>", listed.text)
    assert "buurt" not in listed.text  # another hub's room
    await staff(instance, "beheer", role="admin")
    browser.http.cookie_jar.clear()
    await signed_in(browser, "beheer")
    assert "@buurt" in (await browser.go("GET", "/admin/rooms")).text  # an admin: every room


async def test_a_room_shows_its_settings_queue_as_stored_and_members(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    page = await browser.go("GET", room(scene))
    assert page.status == 200
    for item in await instance_objects(instance, scene):
        assert item.content in page.text
    assert "&lt;b&gt;nieuwe&lt;/b&gt;" in page.text and "<b>nieuwe</b>" not in page.text
    assert f'action="{member(scene, "ban")}"' in page.text and "inwoner" in page.text


async def instance_objects(instance, scene) -> list:
    return [await one(instance, Object, Object.id == (await one(instance, ModerationItem, ModerationItem.id == i)).object_id)
            for i in scene.items]


async def test_approving_shares_and_rejecting_states_the_reason_the_author_reads(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    answer = await post_form(browser, room(scene), queued(scene, 0, "approve"))
    assert answer.status == 303 and answer.location == room(scene)
    answer = await post_form(browser, room(scene), queued(scene, 1, "reject"), {"reason": "Geen reclame"})
    assert answer.status == 303
    approved, rejected = [await one(instance, ModerationItem, ModerationItem.id == i) for i in scene.items]
    assert approved.state == "approved" and (rejected.state, rejected.reason) == ("rejected", "Geen reclame")
    assert [d.action for d in await all_of(instance, RoomDecision)] == ["approve", "reject"]
    status, decisions = await instance.request("GET", "/api/v1/pubhub/decisions", token=scene.author_token)
    assert status == 200 and [(d["action"], d["ground_kind"], d["ground"]) for d in decisions] == [
        ("reject", "room_rule", "Geen reclame")]
    page = await browser.go("GET", room(scene))
    assert "No posts are waiting." in page.text


async def test_a_rejection_without_a_reason_comes_back_and_changes_nothing(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    answer = await post_form(browser, room(scene), queued(scene, 1, "reject"), {"reason": "  "})
    assert answer.status == 422 and "reason: can&#39;t be blank" in answer.text and 'role="alert"' in answer.text
    await _nothing_changed(instance)


async def test_a_ban_needs_the_box_ticked_and_a_reason_and_is_stated(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    answer = await post_form(browser, room(scene), member(scene, "ban"), {"reason": "Spam"})
    assert answer.status == 422 and "Tick the box to confirm the ban" in answer.text
    answer = await post_form(browser, room(scene), member(scene, "ban"), {"reason": "", "confirm": "yes"})
    assert answer.status == 422
    await _nothing_changed(instance)
    answer = await post_form(browser, room(scene), member(scene, "ban"), {"reason": "Spam", "confirm": "yes"})
    assert answer.status == 303
    ban = await one(instance, RoomBan)
    assert (ban.actor_id, ban.reason) == (scene.author.id, "Spam")
    assert await count(instance, Follow, Follow.target_id == scene.target.actor.id) == 0  # no longer a member
    statement = await one(instance, Statement)
    assert (statement.action, statement.ground) == ("ban", "Spam")
    page = await browser.go("GET", room(scene))
    assert f'action="{member(scene, "unban")}"' in page.text
    answer = await send(browser, page, member(scene, "unban"), {"reason": "Beterschap beloofd"})
    assert answer.status == 303 and await count(instance, RoomBan) == 0


async def test_join_requests_are_accepted_or_refused(instance, browser):
    scene = await room_with_a_queue(instance, join="approval")
    other = await account_with_password(instance, "buur")
    await join_room(instance, await instance.token_for(other, "follow"), scene.target)
    await signed_in(browser, "marit")
    page = await browser.go("GET", room(scene))
    accept = f"{room(scene)}/follow_requests/{scene.author.id}/authorize"
    refuse = f"{room(scene)}/follow_requests/{other.id}/reject"
    assert f'action="{accept}"' in page.text and f'action="{refuse}"' in page.text
    assert (await send(browser, page, accept)).status == 303
    assert (await post_form(browser, room(scene), refuse, {"reason": "Woont elders"})).status == 303
    follows = {f.follower_id: f.state for f in [await one(instance, Follow, Follow.target_id == scene.target.actor.id)]}
    assert follows == {scene.author.id: "accepted"}
    assert (await one(instance, Statement)).action == "refuse_join"


# ---- refusals: each changes nothing ----------------------------------------------------------

async def test_a_moderator_of_another_hub_is_refused_the_room(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    page = await browser.go("GET", room(scene))
    async with instance.runtime.db.write() as session:
        (await admin.account(session, "marit")).role = "user"
    other = await staff(instance, "piet")
    await moderate_hub(instance, other, "west")
    browser.http.cookie_jar.clear()
    await signed_in(browser, "piet")
    assert (await browser.go("GET", room(scene))).status == 403
    fresh = await browser.go("GET", "/admin/rooms")
    assert fresh.status == 200 and "wijkraad" not in fresh.text
    token = fresh.forms[0]["fields"]["authenticity_token"]
    for target, values in ((queued(scene, 0, "approve"), {}), (queued(scene, 1, "reject"), {"reason": "x"}),
                           (member(scene, "ban"), {"reason": "x", "confirm": "yes"})):
        answer = await browser.go("POST", target, data={"authenticity_token": token, **values})
        assert answer.status == 403 and "not allowed" in answer.text, target
    await _nothing_changed(instance)


async def test_no_session_a_bad_token_or_a_user_is_refused(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    page = await browser.go("GET", room(scene))
    forged = await browser.go("POST", queued(scene, 0, "approve"), data={"authenticity_token": "forged"})
    assert forged.status == 403 and "Form expired" in forged.text
    async with instance.runtime.db.write() as session:
        (await admin.account(session, "marit")).role = "user"
    assert (await browser.go("GET", room(scene))).status == 403
    answer = await send(browser, page, queued(scene, 0, "approve"))
    assert answer.status == 403 and "for moderators and admins" in answer.text
    browser.http.cookie_jar.clear()
    assert (await browser.go("GET", "/admin/rooms")).status == 303
    fresh = await browser.go("GET", "/admin/sign_in")
    answer = await browser.go("POST", queued(scene, 0, "approve"),
                              data={"authenticity_token": fresh.forms[0]["fields"]["authenticity_token"]})
    assert answer.status == 401
    await _nothing_changed(instance)
