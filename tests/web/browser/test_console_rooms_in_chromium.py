"""A moderator's room in headless Chromium, in Dutch: sign in, open the room from the rooms
list, approve one queued post (and a member on another server receives the room's Announce of
it), reject the other with a reason, and ban its author with a reason and the confirmation
ticked; the author then reads both statements of reasons through the API."""

from __future__ import annotations

import pytest
import pytest_asyncio

from pubhub.store.models import ModerationItem, Object, RoomBan
from tests.support.console_rooms import room_with_a_queue
from tests.support.instance import Instance
from tests.support.oauth import PASSWORD
from tests.support.peer import RemotePeer
from tests.support.rooms import join
from tests.support.store import one

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    url = await databases.new()
    server = await Instance(url, languages=("nl", "en")).start()
    server.scene = await room_with_a_queue(server)
    server.peer = await RemotePeer().start()  # a member's Mastodon server
    await join(server, server.peer, server.peer.add_actor("alice", key_index=1), server.scene.target)
    yield server
    await server.peer.stop()
    await server.stop()
    await databases.drop(url)


async def _click(page, locator) -> None:
    async with page.expect_navigation():
        await locator.click()


async def test_a_moderator_approves_rejects_and_bans_in_a_room(site, dutch_visit):
    visit = dutch_visit
    scene, page = site.scene, visit.page
    first, second = scene.items
    await visit.open(site.base + "/admin/sign_in")
    await page.get_by_label("Naam of e-mailadres").fill("marit")
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await _click(page, page.get_by_role("button", name="Aanmelden"))
    await _click(page, page.get_by_role("link", name="Ruimtes"))
    await _click(page, page.get_by_role("link", name="Wijkraad"))
    assert "berichten wachten op een moderator" in await page.inner_text("#policy")

    held = page.get_by_role("region", name=f"Bericht {first}")
    assert "nieuwe" in await held.inner_text()
    await _click(page, held.get_by_role("button", name="Goedkeuren en delen"))
    held = page.get_by_role("region", name=f"Bericht {second}")
    await held.get_by_label("Reden voor het afwijzen (de schrijver leest die)").fill("Geen reclame in de wijkraad")
    await _click(page, held.get_by_role("button", name="Afwijzen"))
    assert "Er wachten geen berichten." in await page.inner_text("main")

    member = page.get_by_role("listitem").filter(has_text="@inwoner@")  # the remote member alice stays
    await member.get_by_label("Reden voor het weren (het lid leest die)").fill("Blijft reclame maken")
    await member.get_by_label("Ik bevestig").check()
    await _click(page, member.get_by_role("button", name="Uit de ruimte weren"))
    assert "Blijft reclame maken" in await page.inner_text("main")  # among the bans, with its reason
    assert await visit.problems() == []

    states = [(await one(site, ModerationItem, ModerationItem.id == item)).state for item in (first, second)]
    assert states == ["approved", "rejected"]
    await site.settle()
    approved = await one(site, ModerationItem, ModerationItem.id == first)
    [announce] = site.peer.received_of_type("Announce")
    assert announce.verified and announce.activity["actor"] == scene.target.actor.uri
    post = await one(site, Object, Object.id == approved.object_id)
    assert announce.activity["id"] == approved.announce_uri and announce.activity["object"] == post.uri
    assert (await one(site, RoomBan)).actor_id == scene.author.id
    status, decisions = await site.request("GET", "/api/v1/pubhub/decisions", token=scene.author_token)
    assert status == 200
    assert sorted((d["action"], d["ground"]) for d in decisions) == [
        ("ban", "Blijft reclame maken"), ("reject", "Geen reclame in de wijkraad")]
