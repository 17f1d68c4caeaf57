"""Notice and action without an account (GET/POST /report): the form filled in from the page it
was opened on, a notice about a post, a profile or a room becomes a report (source notice) that
moderators read in the admin API, and every refusal (missing fields, a URL not ours, a bad CSRF
token, a flood from one address) shows why and stores nothing."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from pubhub.moderation.notices import LIMIT, NOT_OURS, WINDOW
from pubhub.store.models import Actor, Report
from tests.support.rooms import make_room
from tests.support.store import count, one


@pytest.fixture
async def post(instance):
    author = await instance.create_account("gemeente", display_name="Gemeente Oost")
    token = await instance.token_for(author)
    status = await instance.post_status(token, status="Het afval wordt dinsdag opgehaald")
    return author, status


def reference_of(html: str) -> str:
    return re.search(r'id="reference">(\d+)<', html).group(1)


async def _form(browser, url: str = "") -> dict:
    page = await browser.go("GET", "/report?url=" + quote(url))
    assert page.status == 200, page.text
    return page


def _filled(page, **fields) -> dict:
    values = {"url": page.forms[0]["fields"]["url"], "category": "legal", "law": "Wetboek van Strafrecht, art. 137d",
              "explanation": "Dit aanzet tot haat.", "good_faith": "yes"}
    values.update(fields)
    return {"authenticity_token": page.forms[0]["fields"]["authenticity_token"],
            **{name: value for name, value in values.items() if value is not None}}


async def send(browser, page, headers=None, **fields):
    return await browser.go("POST", "/report", data=_filled(page, **fields), headers=headers or {})


async def test_a_post_page_links_to_the_form_with_its_url_and_the_form_is_labelled(instance, browser, post):
    author, status = post
    note_page = await browser.go("GET", f"/@gemeente/{status['id']}")
    link = f'/report?url={quote(status["url"])}'
    assert f'{link}">Report this post</a>' in note_page.text
    page = await browser.go("GET", link)
    assert page.forms[0]["action"] == "/report" and page.forms[0]["method"] == "post"
    assert page.forms[0]["fields"]["url"] == status["url"]
    assert page.text.count("<h1>") == 1
    for field in ("url", "law", "explanation", "name", "email", "good_faith", "category-legal", "category-violation"):
        assert f'for="{field}"' in page.text and f'id="{field}"' in page.text
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("pubhub_csrf=") and "Path=/report" in cookie and "HttpOnly" in cookie
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"


async def test_profile_and_room_pages_link_to_the_form_too(instance, browser, post):
    await make_room(instance, "wijkraad")
    for path, what in (("/@gemeente", "profile"), ("/@wijkraad", "room")):
        page = await browser.go("GET", path)
        assert f'/report?url={quote(instance.base + path)}">Report this {what}</a>' in page.text


async def test_a_notice_about_a_post_becomes_a_report_moderators_read(instance, browser, post):
    author, status = post
    page = await _form(browser, status["url"])
    answer = await send(browser, page, name="Anna de Vries", email="anna@example.nl")
    assert answer.status == 200, answer.text
    assert "<h1>Report received</h1>" in answer.text
    reference = reference_of(answer.text)
    report = await one(instance, Report, Report.id == int(reference))
    assert (report.source, report.category, report.account_id, report.target_account_id) == (
        "notice", "legal", None, author.id)
    assert report.status_ids == [int(status["id"])] and report.url == status["url"]
    assert (report.law, report.reporter_name, report.reporter_email) == (
        "Wetboek van Strafrecht, art. 137d", "Anna de Vries", "anna@example.nl")
    assert report.comment == "Dit aanzet tot haat." and report.reporter_address  # hashed, not the address
    assert "127.0.0.1" not in report.reporter_address

    admin = await instance.create_account("beheerder", role="admin")
    code, reports = await instance.request("GET", "/api/v1/admin/reports",
                                           token=await instance.token_for(admin, "admin:read"))
    assert code == 200
    shown = next(r for r in reports if r["id"] == reference)
    assert shown["source"] == "notice" and shown["account"] is None
    assert shown["target_account"]["username"] == "gemeente"
    assert [s["id"] for s in shown["statuses"]] == [status["id"]]
    assert shown["notice"] == {"url": status["url"], "law": "Wetboek van Strafrecht, art. 137d",
                               "name": "Anna de Vries", "email": "anna@example.nl"}


async def test_a_notice_about_a_room_or_profile_names_it_and_no_post(instance, browser, post):
    author, _ = post
    await make_room(instance, "wijkraad")
    page = await _form(browser)
    for url in (instance.base + "/@wijkraad", instance.base + "/users/gemeente"):
        answer = await send(browser, page, url=url, category="violation", law=None, name=None)
        assert answer.status == 200, answer.text
        report = await one(instance, Report, Report.id == int(reference_of(answer.text)))
        target = await one(instance, Actor, Actor.id == report.target_account_id)
        assert target.username == url.rsplit("/", 1)[1].lstrip("@")
        assert (report.status_ids, report.category, report.law, report.reporter_name) == ([], "violation", None, None)


@pytest.mark.parametrize("fields, field", [
    ({"url": ""}, "url"),
    ({"explanation": "  "}, "explanation"),
    ({"category": None}, "category"),
    ({"category": "spam"}, "category"),
    ({"law": ""}, "law"),  # illegal content names its law
    ({"good_faith": None}, "good_faith"),
    ({"email": "not an address"}, "email"),
    ({"explanation": "x" * 5001}, "explanation"),
])
async def test_a_notice_missing_a_field_shows_the_form_again_with_the_error_at_the_field(
        instance, browser, post, fields, field):
    page = await _form(browser, post[1]["url"])
    answer = await send(browser, page, **fields)
    assert answer.status == 422
    assert f'id="{field}-error"' in answer.text and 'role="alert"' in answer.text
    assert f'aria-describedby="{field}-error' in answer.text or (
        field == "category" and 'aria-describedby="category-error"' in answer.text)
    assert answer.text.count("<h1>") == 1
    assert await count(instance, Report) == 0


@pytest.mark.parametrize("url", [
    "https://elders.example/@gemeente/1",  # another site
    "{base}/@niemand",  # no such account
    "{base}/@gemeente/999999",  # no such post
    "{base}/@gemeente/{followers}",  # not public
    "{base}/tags/afval",  # not a post, profile or room
    "{base}/@gemeente?x=1",
    "javascript:alert(1)",
])
async def test_a_url_that_is_not_one_of_our_public_pages_is_refused(instance, browser, post, url):
    author, _ = post
    private = await instance.post_status(await instance.token_for(author), status="Volgers", visibility="private")
    page = await _form(browser)
    answer = await send(browser, page, url=url.format(base=instance.base, followers=private["id"]))
    assert answer.status == 422
    assert NOT_OURS in answer.text and 'id="url-error"' in answer.text
    assert await count(instance, Report) == 0


@pytest.mark.parametrize("tamper", ["no token", "wrong token", "no cookie"])
async def test_a_notice_without_its_csrf_token_is_refused(instance, browser, post, tamper):
    page = await _form(browser, post[1]["url"])
    data = _filled(page)
    if tamper == "no token":
        del data["authenticity_token"]
    elif tamper == "wrong token":
        data["authenticity_token"] = "x" * 43
    else:
        browser.http.cookie_jar.clear()
    answer = await browser.go("POST", "/report", data=data)
    assert answer.status == 403 and "Form expired" in answer.text
    assert await count(instance, Report) == 0


async def test_a_flood_from_one_address_gets_429_until_the_hour_is_over(instance, browser, post, clock):
    page = await _form(browser, post[1]["url"])
    here = {"X-Forwarded-For": "198.51.100.7"}
    for _ in range(LIMIT):
        assert (await send(browser, page, headers=here)).status == 200
    refused = await send(browser, page, headers=here)
    assert refused.status == 429 and int(refused.headers["Retry-After"]) == int(WINDOW.total_seconds())
    assert "Too many notices" in refused.text
    assert await count(instance, Report) == LIMIT
    # Another address is not held up; the first one may send again once the hour is over.
    assert (await send(browser, page, headers={"X-Forwarded-For": "198.51.100.8"})).status == 200
    clock.advance(WINDOW.total_seconds() + 1)
    assert (await send(browser, page, headers=here)).status == 200
    assert await count(instance, Report) == LIMIT + 2
