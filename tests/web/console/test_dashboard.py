"""The console's dashboard: queue sizes of the rooms the moderator may act on (an admin: every
room; a hub moderator: their hubs' rooms only), open reports and pending appeals as the role's
grant allows, and the oldest waiting item."""

from __future__ import annotations

import re

from pubhub.moderation.permissions import grant_moderators
from tests.support.console import signed_in, staff
from tests.support.oauth import account_with_password
from pubhub.rooms.hubs import add_moderator
from tests.support.rooms import make_hub, make_room, submit


async def _queued(instance, room_slug: str, author_token: str, text: str) -> None:
    status = await instance.post_status(author_token, status=text)
    await submit(instance, room_slug, status["uri"])


async def _setting(instance):
    """Two hubs: oost (room wijkraad, two posts waiting) and west (room buurt, one waiting);
    one open report."""
    await make_room(instance, "wijkraad", hub="oost", moderation="pre", post="anyone")
    await make_room(instance, "buurt", hub="west", moderation="pre", post="anyone")
    author = await account_with_password(instance, "inwoner")
    token = await instance.token_for(author, "read write")
    await _queued(instance, "wijkraad", token, "Eerste vraag")
    await _queued(instance, "buurt", token, "Tweede vraag")
    await _queued(instance, "wijkraad", token, "Derde vraag")
    reporter = await instance.create_account("melder")
    status, body = await instance.request("POST", "/api/v1/reports", token=await instance.token_for(reporter, "write"),
                                          json={"account_id": str(author.id), "comment": "spam"})
    assert status == 200, body


def _queue_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr><th scope="row">[^<]* <span class="handle">@(\w+)</span></th>\s*<td>(\d+)</td>', html))


async def test_an_admin_sees_every_rooms_queue_the_open_reports_and_the_oldest_item(instance, browser):
    await _setting(instance)
    await staff(instance, "beheer", role="admin")
    await signed_in(browser, "beheer")
    page = await browser.go("GET", "/admin")
    assert page.status == 200
    assert _queue_rows(page.text) == {"wijkraad": "2", "buurt": "1"}
    assert "1 open report" in page.text and "0 pending appeals" in page.text
    assert re.search(r'id="oldest">a post in the queue of Wijkraad,', page.text)  # the first post, queued first


async def test_a_hub_moderator_sees_only_the_rooms_of_their_hubs(instance, browser):
    await _setting(instance)
    marit = await staff(instance, "marit")
    async with instance.runtime.db.write() as session:
        await add_moderator(session, None, await make_hub(session, instance, "west"), marit.id, instance.runtime.clock.now())
    await signed_in(browser, "marit")
    page = await browser.go("GET", "/admin")
    assert _queue_rows(page.text) == {"buurt": "1"}
    assert "wijkraad" not in page.text.lower()
    assert "1 open report" in page.text  # reports are instance-wide, for the role granted manage_reports


async def test_reports_and_appeals_are_shown_only_as_the_role_is_granted(instance, browser):
    await _setting(instance)
    await staff(instance, "marit")
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["view_audit_log"])
    await signed_in(browser, "marit")
    page = await browser.go("GET", "/admin")
    assert "open report" not in page.text and "Reports are not handled by your role" in page.text
    assert "Appeals are not decided by your role" in page.text
    assert "You moderate no rooms." in page.text and 'id="oldest">Nothing is waiting.' in page.text
