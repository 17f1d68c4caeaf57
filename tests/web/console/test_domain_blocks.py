"""Domain blocks in the console: the list, a new block (severity, reject media, public comment)
and lifting one, through moderation/domain_blocks.py as the admin API; a suspension and lifting
need the box ticked; refused to roles without manage_federation. Every refusal changes nothing."""

from __future__ import annotations

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import AuditEntry, DomainBlock
from tests.support.console import post_form, signed_in, staff
from tests.support.store import all_of, count, one

PATH = "/admin/domain_blocks"


async def _admin(instance, browser):
    await staff(instance, "beheer", role="admin")
    await signed_in(browser, "beheer")


async def test_an_admin_blocks_a_server_and_the_public_list_shows_it(instance, browser):
    await _admin(instance, browser)
    answer = await post_form(browser, PATH, PATH, {"domain": "Spam.EXAMPLE.", "severity": "silence",
                                                   "reject_media": "yes", "public_comment": "<b>reclame</b>"})
    assert answer.status == 303 and answer.location == PATH
    block = await one(instance, DomainBlock, DomainBlock.domain == "spam.example")
    assert (block.severity, block.reject_media, block.public_comment) == ("silence", True, "<b>reclame</b>")
    assert [entry.action for entry in await all_of(instance, AuditEntry)] == ["domain_block.create"]
    page = await browser.go("GET", PATH)
    assert "<th scope=\"row\">spam.example</th>" in page.text and "&lt;b&gt;reclame&lt;/b&gt;" in page.text
    status, public = await instance.request("GET", "/api/v1/instance/domain_blocks")
    assert status == 200 and [(b["domain"], b["comment"]) for b in public] == [("spam.example", "<b>reclame</b>")]


async def test_a_suspension_needs_the_box_ticked(instance, browser):
    await _admin(instance, browser)
    refused = await post_form(browser, PATH, PATH, {"domain": "spam.example", "severity": "suspend"})
    assert refused.status == 422 and 'id="error"' in refused.text and 'value="spam.example"' in refused.text
    assert await count(instance, DomainBlock) == 0
    answer = await post_form(browser, PATH, PATH, {"domain": "spam.example", "severity": "suspend", "confirm": "yes"})
    assert answer.status == 303
    assert (await one(instance, DomainBlock, DomainBlock.domain == "spam.example")).severity == "suspend"


async def test_lifting_a_block_needs_the_box_ticked(instance, browser):
    await _admin(instance, browser)
    await post_form(browser, PATH, PATH, {"domain": "spam.example"})
    block = await one(instance, DomainBlock, DomainBlock.domain == "spam.example")
    lift = f"{PATH}/{block.id}/remove"
    refused = await post_form(browser, PATH, lift)
    assert refused.status == 422 and await count(instance, DomainBlock) == 1
    assert (await post_form(browser, PATH, lift, {"confirm": "yes"})).status == 303
    assert await count(instance, DomainBlock) == 0
    assert [e.action for e in await all_of(instance, AuditEntry)] == ["domain_block.create", "domain_block.delete"]


async def test_what_the_domain_refuses_comes_back_with_the_reason(instance, browser):
    await _admin(instance, browser)
    for domain in ("https://spam.example/path", "spam.example:8080", ""):
        refused = await post_form(browser, PATH, PATH, {"domain": domain})
        assert refused.status == 422 and 'id="error"' in refused.text, domain
    await post_form(browser, PATH, PATH, {"domain": "spam.example"})
    again = await post_form(browser, PATH, PATH, {"domain": "SPAM.example"})
    assert again.status == 422 and "blocked already" in again.text
    assert await count(instance, DomainBlock) == 1


async def test_a_moderator_without_manage_federation_is_refused(instance, browser):
    await _admin(instance, browser)
    page = await browser.go("GET", PATH)
    await post_form(browser, PATH, PATH, {"domain": "spam.example"})
    block = await one(instance, DomainBlock, DomainBlock.domain == "spam.example")
    await staff(instance, "marit")
    browser.http.cookie_jar.clear()
    await signed_in(browser, "marit")  # the default grant has no manage_federation
    assert (await browser.go("GET", PATH)).status == 403
    token = {"authenticity_token": (await browser.go("GET", "/admin")).forms[0]["fields"]["authenticity_token"]}
    assert (await browser.go("POST", PATH, data={**token, "domain": "ander.example"})).status == 403
    lifted = await browser.go("POST", f"{PATH}/{block.id}/remove", data={**token, "confirm": "yes"})
    assert lifted.status == 403 and await count(instance, DomainBlock) == 1
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_federation"])
    assert (await browser.go("GET", PATH)).status == 200
    assert page.status == 200
