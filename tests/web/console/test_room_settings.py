"""A room's settings in the console: name, description, rules and policy changed through the
API's own update (rooms.directory.update_room), the attribute rule checked as the API checks it;
a refused change (no name, `attributes` without a rule, a rule that is no rule, another hub's
moderator, a forged form) comes back with its reason and changes nothing."""

from __future__ import annotations

import html
import json
import re

from pubhub.store.models import Actor, Room
from tests.support.console import post_form, signed_in, staff
from tests.support.console_rooms import moderate_hub, room_with_a_queue
from tests.support.store import one

RULE = {"attribute": "pbdf.gemeente.address.city", "equals": "Nijmegen"}


def settings_of(scene) -> str:
    return f"/admin/rooms/{scene.target.room.id}/settings"


def page_of(scene) -> str:
    return f"/admin/rooms/{scene.target.room.id}"


def form(**changes) -> dict[str, str]:
    """What the settings form sends when a moderator changes `changes` on the scene's room."""
    return {"name": "Wijkraad", "description": "", "rules": "", "join": "open", "post": "anyone",
            "moderation": "pre", "visibility": "public", "rule": "", **changes}


async def stored(instance, scene) -> tuple[Room, Actor]:
    return (await one(instance, Room, Room.id == scene.target.room.id),
            await one(instance, Actor, Actor.id == scene.target.actor.id))


async def test_the_form_shows_the_rooms_settings_as_they_are(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    page = await browser.go("GET", page_of(scene))
    checked = re.findall(r'name="(\w+)" value="(\w+)" checked', page.text)
    assert checked == [("join", "open"), ("post", "anyone"), ("moderation", "pre"), ("visibility", "public")]
    assert 'value="Wijkraad"' in page.text and re.search(r'name="rule"[^>]*></textarea>', page.text)


async def test_a_moderator_changes_name_rules_and_policy(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    answer = await post_form(browser, page_of(scene), settings_of(scene), form(
        name="Wijkraad Oost", description="Over de wijk", rules="Geen reclame\nBlijf vriendelijk",
        join="approval", moderation="post", post="members", visibility="members"))
    assert answer.status == 303 and answer.location == page_of(scene) + "#settings"
    room, actor = await stored(instance, scene)
    assert (room.join_policy, room.post_policy, room.moderation, room.visibility) == (
        "approval", "members", "post", "members")
    assert room.rules == "Geen reclame\nBlijf vriendelijk"
    assert actor.display_name == "Wijkraad Oost" and actor.summary_source == "Over de wijk"
    assert actor.manually_approves  # joining by approval: the Group actor says so to other servers
    page = await browser.go("GET", page_of(scene))
    assert "<li>Blijf vriendelijk</li>" in page.text and "joining needs a moderator's approval; members post; posts are shared and checked afterwards; for members only" in page.text


async def test_an_attribute_rule_is_checked_and_kept_with_its_version(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    refused = await post_form(browser, page_of(scene), settings_of(scene), form(join="attributes"))
    assert refused.status == 422 and "needs its attribute rule" in refused.text
    refused = await post_form(browser, page_of(scene), settings_of(scene), form(join="attributes", rule="{nope"))
    assert refused.status == 422 and "not valid JSON" in refused.text
    assert '<textarea id="room-rule" name="rule"' in refused.text and "{nope</textarea>" in refused.text
    refused = await post_form(browser, page_of(scene), settings_of(scene),
                              form(join="attributes", rule=json.dumps({"attribute": "x", "older_than": 3})))
    assert refused.status == 422 and "attribute rule is not valid" in refused.text
    room, _ = await stored(instance, scene)
    assert room.join_policy == "open" and room.attribute_rule is None and room.rule_version == 0

    answer = await post_form(browser, page_of(scene), settings_of(scene), form(join="attributes", rule=json.dumps(RULE)))
    assert answer.status == 303
    room, _ = await stored(instance, scene)
    assert (room.join_policy, room.attribute_rule, room.rule_version) == ("attributes", RULE, 1)
    page = await browser.go("GET", page_of(scene))
    shown = re.search(r'name="rule"[^>]*>(.*?)</textarea>', page.text, re.S).group(1)
    assert json.loads(html.unescape(shown)) == RULE


async def test_a_room_needs_a_name_and_a_known_policy(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    for changes in ({"name": " "}, {"moderation": "later"}):
        refused = await post_form(browser, page_of(scene), settings_of(scene), form(rules="Nieuw", **changes))
        assert refused.status == 422 and 'role="alert"' in refused.text, changes
    room, actor = await stored(instance, scene)
    assert room.rules in ("", None) and room.moderation == "pre" and actor.display_name == "Wijkraad"


async def test_another_hubs_moderator_and_a_forged_form_change_nothing(instance, browser):
    scene = await room_with_a_queue(instance)
    await signed_in(browser, "marit")
    page = await browser.go("GET", page_of(scene))
    forged = await browser.go("POST", settings_of(scene), data={"authenticity_token": "forged", **form(name="X")})
    assert forged.status == 403 and "Form expired" in forged.text
    other = await staff(instance, "piet")
    await moderate_hub(instance, other, "west")
    browser.http.cookie_jar.clear()
    await signed_in(browser, "piet")
    rooms = await browser.go("GET", "/admin/rooms")
    answer = await browser.go("POST", settings_of(scene), data={
        "authenticity_token": rooms.forms[0]["fields"]["authenticity_token"], **form(name="X", join="approval")})
    assert answer.status == 403 and "not allowed" in answer.text
    room, actor = await stored(instance, scene)
    assert actor.display_name == "Wijkraad" and room.join_policy == "open"
    assert page.status == 200
