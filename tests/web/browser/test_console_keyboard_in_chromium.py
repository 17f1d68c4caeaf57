"""A hub moderator's room with the keyboard alone, in Dutch: from the dashboard to the room,
reject a queued post with a reason, approve the other, ban their author (reason, confirmation
box ticked with the space bar), then open the settings and switch pre-moderation off; every
control reached with Tab shows where the focus is. Also the accounts and domain-block forms."""

from __future__ import annotations

import pytest
import pytest_asyncio

from pubhub.moderation.permissions import DEFAULT_GRANT, grant_moderators
from pubhub.store.models import ModerationItem, Room, RoomBan
from tests.support.console_rooms import room_with_a_queue
from tests.support.instance import Instance
from tests.support.keyboard import press_and_wait, reach
from tests.support.oauth import PASSWORD
from tests.support.store import one

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    url = await databases.new()
    server = await Instance(url, languages=("nl", "en")).start()
    server.scene = await room_with_a_queue(server)
    async with server.runtime.db.write() as session:
        await grant_moderators(session, [*DEFAULT_GRANT, "manage_federation"])
    yield server
    await server.stop()
    await databases.drop(url)


async def _sign_in(visit, site) -> None:
    await visit.open(site.base + "/admin/sign_in")
    await reach(visit, "#username")
    await visit.page.keyboard.type("marit")
    await reach(visit, "#password")
    await visit.page.keyboard.type(PASSWORD)
    await reach(visit, "button[type=submit]")
    await press_and_wait(visit)


async def test_a_room_is_moderated_with_the_keyboard_alone(site, dutch_visit):
    visit, scene = dutch_visit, site.scene
    room = f"/admin/rooms/{scene.target.room.id}"
    first, second = scene.items
    await _sign_in(visit, site)
    await reach(visit, "a[href$='/admin/rooms']")
    await press_and_wait(visit)
    await reach(visit, f"a[href$='{room}']")
    await press_and_wait(visit)

    await reach(visit, f"form[action='{room}/queue/{second}/reject'] input[name=reason]")
    await visit.page.keyboard.type("Geen reclame")
    await reach(visit, f"form[action='{room}/queue/{second}/reject'] button")
    await press_and_wait(visit)
    await reach(visit, f"form[action='{room}/queue/{first}/approve'] button")
    await press_and_wait(visit)

    ban = f"form[action='{room}/members/{scene.author.id}/ban']"
    await reach(visit, f"{ban} input[name=reason]")
    await visit.page.keyboard.type("Blijft reclame maken")
    await reach(visit, f"{ban} input[name=confirm]")
    await visit.page.keyboard.press("Space")
    await reach(visit, f"{ban} button")
    await press_and_wait(visit)

    await reach(visit, "#change-settings summary")
    await visit.page.keyboard.press("Enter")  # opens the settings form
    await reach(visit, "#moderation-pre")
    await visit.page.keyboard.press("ArrowDown")  # the next choice: shared and checked afterwards
    await reach(visit, "#change-settings button[type=submit]")
    await press_and_wait(visit)

    states = {item: (await one(site, ModerationItem, ModerationItem.id == item)).state for item in scene.items}
    assert states == {first: "approved", second: "rejected"}
    assert (await one(site, RoomBan, RoomBan.actor_id == scene.author.id)).reason == "Blijft reclame maken"
    assert (await one(site, Room, Room.id == scene.target.room.id)).moderation == "post"
    assert await visit.problems() == []


async def test_the_account_and_domain_block_forms_are_reached_with_the_keyboard(site, dutch_visit):
    visit = dutch_visit
    await _sign_in(visit, site)
    await visit.open(site.base + "/admin/accounts")
    for control in ("#username", "#domain", "#status"):
        await reach(visit, control)
    await reach(visit, f"form[action='/admin/accounts/{site.scene.author.id}/action'] button")
    await visit.open(site.base + "/admin/domain_blocks")
    for control in ("#domain", "#severity-silence", "#reject_media", "#public_comment", "#confirm-new"):
        await reach(visit, control)
    await reach(visit, "form[action='/admin/domain_blocks'] button")
    assert await visit.problems() == []
