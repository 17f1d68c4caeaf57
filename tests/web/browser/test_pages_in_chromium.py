"""The pages as a citizen's browser shows them, in headless Chromium, in English and in Dutch:
landmarks and one <h1>, `lang` (the reader's), axe-core's WCAG 2.1 AA rules (no serious or
critical violation), links that lead somewhere, a 5,000-character word that does not widen the
page, content warnings that hide the text until opened, error pages, and nothing the browser
complains about (console errors, failed requests, Content-Security-Policy violations)."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.support.browser import tab_in
from tests.support.instance import Instance
from tests.support.rooms import make_room
from tests.web.browser.test_console_in_chromium import serious_violations

pytestmark = pytest.mark.asyncio(loop_scope="session")

LONG_WORD = ("Gemeentelijk" * 417)[:5000]  # 5,000 characters without a break: the longest post


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(databases):
    """One instance for the module, in Dutch, with an agency account and posts of every kind."""
    url = await databases.new()
    server = await Instance(url, languages=("nl", "en")).start()
    token = await server.token_for(await server.create_account("gemeente", display_name="Gemeente Oost",
                                                               kind="organization"))
    await server.create_account("lang", display_name=LONG_WORD[:400])
    await make_room(server, "wijkraad")

    async def post(**fields) -> str:
        return (await server.post_status(token, **fields))["id"]

    ids = {
        "plain": await post(status="Het afval wordt dinsdag opgehaald #afval"),
        "long": await post(status=LONG_WORD),
        "warned": await post(status="De details van het besluit.", spoiler_text="Besluit over de begroting"),
        "english": await post(status="Collection is on Tuesday.", language="en"),
        "followers": await post(status="Alleen voor volgers", visibility="private"),
        "poll": await post(status="Welke avond past u?", poll={"options": ["dinsdag", "donderdag"], "expires_in": 86400}),
    }
    server.ids = ids
    yield server
    await server.stop()
    await databases.drop(url)


async def landmarks(visit) -> dict:
    return await visit.page.evaluate("""() => ({
        h1: [...document.querySelectorAll("h1")].map((h) => h.textContent.trim()),
        main: document.querySelectorAll("main").length,
        header: document.querySelectorAll("body > header").length,
        footer: document.querySelectorAll("body > footer").length,
        h1InMain: document.querySelector("main h1") !== null,
        lang: document.documentElement.lang,
        title: document.title,
        styled: getComputedStyle(document.body).overflowWrap,
    })""")


# (path, status, its <h1> in English and in Dutch): every public page.
PAGES = [
    ("/", 200, "PubHub", "PubHub"),
    ("/@gemeente", 200, "Gemeente Oost", "Gemeente Oost"),
    ("/users/gemeente", 200, "Gemeente Oost", "Gemeente Oost"),
    ("/@gemeente/{plain}", 200, "Gemeente Oost", "Gemeente Oost"),
    ("/@gemeente/{poll}", 200, "Gemeente Oost", "Gemeente Oost"),
    ("/tags/afval", 200, "#afval", "#afval"),
    ("/@wijkraad", 200, "Wijkraad", "Wijkraad"),
    ("/report", 200, "Report content", "Inhoud melden"),
    ("/about/transparency", 200, "Transparency report", "Transparantieverslag"),
    ("/no/such/page", 404, "Page not found", "Pagina niet gevonden"),
    ("/@niemand", 404, "Page not found", "Pagina niet gevonden"),
]


@pytest_asyncio.fixture(loop_scope="session", params=["en", "nl"])
async def reader(chromium, request):
    """A phone's tab whose browser asks for English, or for Dutch."""
    visit = await tab_in(chromium, request.param, 390, 844)
    yield visit
    await visit.context.close()


@pytest.mark.parametrize("path, status, english, dutch", PAGES)
async def test_every_page_has_its_landmarks_one_h1_and_the_readers_language(site, reader, path, status, english,
                                                                           dutch):
    response = await reader.open(site.base + path.format(**site.ids))
    assert response.status == status
    found = await landmarks(reader)
    assert found["h1"] == [dutch if reader.language == "nl" else english] and found["h1InMain"]
    assert (found["main"], found["header"], found["footer"]) == (1, 1, 1)
    assert found["lang"] == reader.language
    assert found["title"].endswith("PubHub") and "PubHub · PubHub" not in found["title"]
    assert found["styled"] == "anywhere"  # the inline style ran: its CSP hash matches
    assert await reader.problems() == []


async def test_every_page_passes_axe_in_both_languages(site, reader):
    """axe-core's WCAG 2.1 AA rules: no serious or critical violation on any public page (the
    notice form sent back with its errors too), in Dutch and in English."""
    found = {}
    for path, status, _, _ in PAGES:
        response = await reader.open(site.base + path.format(**site.ids))
        assert response.status == status, path
        found[path] = await serious_violations(reader)
    await reader.open(site.base + "/report")
    async with reader.page.expect_navigation() as navigation:
        await reader.page.evaluate("() => document.querySelector('form[action=\"/report\"]').submit()")
    assert (await navigation.value).status == 422 and await reader.page.is_visible("#errors")
    found["/report (refused)"] = await serious_violations(reader)
    assert {path: violations for path, violations in found.items() if violations} == {}


async def test_the_page_is_in_the_readers_language_and_a_post_in_its_own(site, dutch_visit):
    await dutch_visit.open(f"{site.base}/@gemeente/{site.ids['english']}")
    assert (await landmarks(dutch_visit))["lang"] == "nl"
    assert await dutch_visit.page.get_attribute("article", "lang") == "en"
    assert await dutch_visit.page.get_by_role("link", name="Dit bericht melden").is_visible()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["/@gemeente", "/@gemeente/{long}", "/", "/@lang"])
async def test_a_5000_character_word_does_not_make_the_page_wider_than_the_screen(site, visit, path, width):
    await visit.page.set_viewport_size({"width": width, "height": 800})
    await visit.open(site.base + path.format(**site.ids))
    widths = await visit.page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, document.body.innerText.length]")
    scroll_width, viewport_width, text_length = widths
    assert text_length > 400  # the long word is on the page
    assert scroll_width <= viewport_width
    assert await visit.problems() == []


async def test_a_content_warning_hides_the_text_until_the_reader_opens_it(site, visit):
    for path in (f"/@gemeente/{site.ids['warned']}", "/@gemeente"):
        await visit.open(site.base + path)
        post = visit.page.locator("article", has_text="Besluit over de begroting")
        summary, text = post.locator("summary"), post.get_by_text("De details van het besluit.")
        assert await summary.is_visible() and await summary.inner_text() == "Besluit over de begroting"
        assert not await text.is_visible()
        await summary.click()
        assert await text.is_visible()
        assert await post.locator("details").get_attribute("open") is not None
        await summary.click()  # and closed again
        assert not await text.is_visible()
    assert await visit.problems() == []


async def test_links_lead_from_the_front_page_to_a_profile_a_post_and_a_hashtag(site, visit):
    await visit.open(site.base + "/")
    await visit.page.get_by_role("link", name="Gemeente Oost").click()
    await visit.page.wait_for_url(f"{site.base}/@gemeente")
    assert (await landmarks(visit))["h1"] == ["Gemeente Oost"]
    feed = visit.page.locator('link[rel="alternate"][type="application/rss+xml"]')
    assert await feed.get_attribute("href") == f"{site.base}/@gemeente.rss"
    post = visit.page.locator("article", has_text="Het afval wordt dinsdag opgehaald")
    await post.locator("time").click()
    await visit.page.wait_for_url(f"{site.base}/@gemeente/{site.ids['plain']}")
    await visit.page.get_by_role("link", name="#afval").click()
    await visit.page.wait_for_url(f"{site.base}/tags/afval")
    assert (await landmarks(visit))["h1"] == ["#afval"]
    await visit.page.get_by_role("banner").get_by_role("link").click()  # the instance name, home
    await visit.page.wait_for_url(f"{site.base}/")
    assert await visit.problems() == []


async def test_a_followers_only_post_shows_the_not_found_page_and_nothing_of_it(site, visit):
    response = await visit.open(f"{site.base}/@gemeente/{site.ids['followers']}")
    assert response.status == 404
    assert (await landmarks(visit))["h1"] == ["Page not found"]
    assert "Alleen voor volgers" not in await visit.page.content()
    assert await visit.problems() == []


async def test_the_browser_fetches_the_favicon_the_page_names(site, visit):
    await visit.open(site.base + "/")
    icon = await visit.page.evaluate("""async () => {
        const href = document.querySelector('link[rel="icon"][type="image/svg+xml"]').href;
        const image = new Image();
        image.src = href;
        await image.decode();
        return [href, image.naturalWidth];
    }""")
    assert icon[0] == f"{site.base}/favicon.svg" and icon[1] > 0  # allowed by img-src 'self', and drawn
    assert await visit.problems() == []


async def test_what_the_policy_forbids_is_reported_as_a_problem(site, visit):
    """The watch itself: an image from elsewhere and a style attribute, added to a page, are
    blocked by the page's policy, and `problems()` reports both."""
    await visit.open(site.base + "/")
    await visit.page.evaluate("""() => {
        const image = document.createElement("img");
        image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
        document.body.append(image);
        document.body.insertAdjacentHTML("beforeend", '<p style="color: red">styled</p>');
    }""")
    await visit.page.wait_for_timeout(100)  # violation events are queued, not synchronous
    problems = await visit.problems()
    assert any(p.startswith("CSP: img-src") for p in problems), problems
    assert any(p.startswith("CSP: style-src") for p in problems), problems


async def test_a_posts_image_is_shown_with_its_alt_text_under_the_pages_policy(site, visit):
    import aiohttp

    from tests.social.test_images import jpeg_with_location

    token = await site.token_for(await site.create_account("beeld"))
    upload = aiohttp.FormData()
    upload.add_field("file", jpeg_with_location((400, 300)), filename="markt.jpg", content_type="image/jpeg")
    upload.add_field("description", "De markt op zaterdag")
    status, media = await site.request("POST", "/api/v2/media", token=token, data=upload)
    assert status == 200, media
    posted = await site.post_status(token, status="Markt", media_ids=[media["id"]])
    await visit.open(f"{site.base}/@beeld/{posted['id']}")
    shown = await visit.page.evaluate("""async () => {
        const image = document.querySelector("main .media img");
        await image.decode();
        return [image.alt, image.naturalWidth, image.getBoundingClientRect().width <= document.body.clientWidth];
    }""")
    assert shown == ["De markt op zaterdag", 400, True]  # the preview, drawn, and no wider than the page
    assert await visit.problems() == []
