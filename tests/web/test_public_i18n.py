"""The public pages in the reader's language, over real HTTP: a Dutch instance's pages are in
Dutch (words, dates, counts, the messages its forms and refusals give) and say so in `lang`,
Content-Language and Vary; a browser that asks for English gets English there, and one that
asks for Dutch gets Dutch on an English instance. Feeds stay what they are."""

from __future__ import annotations

import re
from datetime import date

import pytest

from pubhub.moderation.notices import Notice, field_errors
from pubhub.web.i18n import Speech, templates
from pubhub.web.messages import NOTICE_MESSAGES, said
from tests.support.instance import Instance
from tests.support.oauth import Browser, account_with_password, register
from tests.support.rooms import make_room

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DUTCH = {"Accept": HTML, "Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}
ENGLISH = {"Accept": HTML, "Accept-Language": "en-GB,en;q=0.9"}
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()


@pytest.fixture
async def dutch(database_url):
    """An instance run in Dutch (PUBHUB_LANGUAGES=nl,en) with an account, its posts and a room."""
    server = await Instance(database_url, languages=("nl", "en"), instance_name="Gemeente Oost").start()
    token = await server.token_for(await account_with_password(server, "gemeente", display_name="Gemeente"))
    server.posts = {
        "plain": await server.post_status(token, status="Het afval wordt dinsdag opgehaald #afval"),
        "poll": await server.post_status(token, status="Welke avond?", poll={"options": ["di", "do"], "expires_in": 86400}),
    }
    await make_room(server, "wijkraad")
    yield server
    await server.stop()


def spoken(page, language: str) -> None:
    assert f'<html lang="{language}">' in page.text, page.text[:200]
    assert page.headers["Content-Language"] == language
    assert "Accept-Language" in [field.strip() for field in page.headers["Vary"].split(",")]


def dutch_date(dutch) -> re.Pattern:
    month = MONTHS[dutch.runtime.clock.now().month - 1]
    return re.compile(rf">\d{{1,2}} {month} \d{{4}}\D{{1,5}}\d{{1,2}}:\d\d:\d\d UTC</time>")


async def test_every_public_page_of_a_dutch_instance_is_in_dutch(dutch):
    plain, poll = dutch.posts["plain"]["id"], dutch.posts["poll"]["id"]
    expected = {
        "/": ["Officiële accounts", "draait op PubHub", "Transparantieverslag", "Inhoud melden"],
        "/@gemeente": ["2 berichten", "0 volgers", "volgt 0", "RSS-feed", "Dit profiel melden"],
        f"/@gemeente/{plain}": ["Dit bericht melden"],
        f"/@gemeente/{poll}": ["Peiling", "0 personen hebben gestemd", "loopt af"],
        "/tags/afval": ["Recente openbare berichten op"],
        "/@wijkraad": ["Zo wordt u lid", "Deze ruimte melden", "Gedeeld in deze ruimte", "0 leden"],
        "/report": ["Precieze adres (URL) van de inhoud", "(verplicht)", "Melding versturen"],
        "/about/transparency": ["Ontvangen meldingen: 0", "Meldingen naar herkomst", "geen meldingen afgehandeld",
                                "Via het meldformulier (geen account nodig)"],
    }
    browser = Browser(dutch)
    try:
        for path, words in expected.items():
            page = await browser.go("GET", path, headers={"Accept": HTML})
            assert page.status == 200, (path, page.text)
            spoken(page, "nl")
            for word in words:
                assert word in page.text, (path, word)
            for english in ("powered by", "Report content", "Transparency report"):
                assert english not in page.text, (path, english)
        for path in (f"/@gemeente/{plain}", "/@gemeente"):  # dates in Dutch, and as machines read them
            page = await browser.go("GET", path, headers={"Accept": HTML})
            assert dutch_date(dutch).search(page.text) and re.search(r'datetime="\d{4}-\d\d-\d\dT', page.text)
        missing = await browser.go("GET", "/no/such/page", headers={"Accept": HTML})
        assert missing.status == 404 and "<h1>Pagina niet gevonden</h1>" in missing.text
        spoken(missing, "nl")
        negotiated = await browser.go("GET", "/users/gemeente", headers={"Accept": HTML})
        assert {field.strip() for field in negotiated.headers["Vary"].split(",")} >= {"Accept", "Accept-Language"}
        spoken(negotiated, "nl")
    finally:
        await browser.close()


async def test_the_browser_picks_the_language_and_the_instance_says_it_otherwise(dutch, instance):
    browser, on_english = Browser(dutch), Browser(instance)
    try:
        asked = await browser.go("GET", "/", headers=ENGLISH)
        spoken(asked, "en")
        assert "Official accounts" in asked.text and "powered by PubHub" in asked.text
        default = await on_english.go("GET", "/", headers={"Accept": HTML})
        spoken(default, "en")
        assert "Official accounts" in default.text and "Officiële" not in default.text
        for path in ("/", "/report", "/about/transparency", "/no/such/page"):
            page = await on_english.go("GET", path, headers=DUTCH)
            spoken(page, "nl")
            assert "Inhoud melden" in page.text, path
    finally:
        await browser.close()
        await on_english.close()


async def test_feeds_are_not_pages_and_stay_as_they_are(dutch):
    browser = Browser(dutch)
    try:
        feed = await browser.go("GET", "/@gemeente.rss", headers=DUTCH)
        assert feed.status == 200 and "Content-Language" not in feed.headers
        assert "Het afval wordt dinsdag opgehaald" in feed.text
    finally:
        await browser.close()


def test_every_message_the_notice_form_gives_is_in_the_catalogue():
    long = Notice(url="https://x.example/" + "a" * 2048, explanation="x" * 5001, category="legal", law="w" * 301,
                  name="n" * 201, email="not an address", good_faith=False)
    empty = Notice(category="nonsense")
    messages = {*field_errors(long).values(), *field_errors(empty).values()}
    assert len(messages) >= 9
    assert messages <= set(NOTICE_MESSAGES)
    assert all(Speech("nl")._(message) != message for message in NOTICE_MESSAGES)


def test_a_domain_message_with_a_detail_is_translated_with_its_detail():
    dutch = Speech("nl")
    assert said(dutch, "the proof is refused: the proof has expired") == "het bewijs is geweigerd: het bewijs is verlopen"
    assert said(dutch, "the proof is refused: the ID token is not a JWT") == \
        "het bewijs is geweigerd: the ID token is not a JWT"  # a technical detail stays as it is
    assert said(dutch, "the proof has expired") == "het bewijs is verlopen"
    assert said(Speech("en"), "the proof is refused: the proof has expired") == "the proof is refused: the proof has expired"


def test_numbers_and_days_are_written_the_languages_way():
    assert templates("nl").filters["number"](1234567) == "1.234.567"
    assert templates("en").filters["number"](1234567) == "1,234,567"
    assert templates("nl").filters["day"](date(2026, 3, 5)) == "5 maart 2026"
    assert templates("en").filters["day"](date(2026, 3, 5)) == "March 5, 2026"


async def test_the_notice_form_refuses_and_thanks_in_dutch(dutch):
    browser = Browser(dutch)
    try:
        form = await browser.go("GET", "/report")
        token = form.forms[0]["fields"]["authenticity_token"]
        refused = await browser.go("POST", "/report", data={"authenticity_token": token, "url": ""})
        assert refused.status == 422
        spoken(refused, "nl")
        for message in ("De melding is niet verstuurd.", "Vul het precieze adres (URL) van de inhoud in.",
                        "Leg uit waarom de inhoud illegaal is", "Kies of de inhoud illegaal is",
                        "Bevestig dat u de melding te goeder trouw doet."):
            assert message in refused.text
        not_ours = await browser.go("POST", "/report", data={
            "authenticity_token": token, "url": "https://elders.example/@iemand", "category": "violation",
            "explanation": "Spam", "good_faith": "yes"})
        assert "Dit is niet het adres van een openbaar bericht, profiel of ruimte op deze site." in not_ours.text
        sent = await browser.go("POST", "/report", data={
            "authenticity_token": token, "url": dutch.posts["plain"]["url"], "category": "legal",
            "law": "Wetboek van Strafrecht, art. 137d", "explanation": "Aanzetten tot haat.", "good_faith": "yes"})
        assert sent.status == 200, sent.text
        spoken(sent, "nl")
        assert "<h1>Melding ontvangen</h1>" in sent.text and "(illegale inhoud)" in sent.text
        assert "Uw kenmerk:" in sent.text and dutch_date(dutch).search(sent.text)
        stranger = Browser(dutch)  # no form cookie: the form did not come from this site
        expired = await stranger.go("POST", "/report", data={"authenticity_token": "x"})
        await stranger.close()
        assert expired.status == 403 and "Formulier verlopen" in expired.text
    finally:
        await browser.close()


async def test_signing_in_for_an_app_and_allowing_it_are_in_dutch(dutch):
    app = await register(dutch)
    browser = Browser(dutch)
    try:
        page = await browser.open_authorize(app, scope="read write:statuses")
        spoken(page, "nl")
        assert "Aanmelden bij Gemeente Oost" in page.text and "<strong>Test app</strong> wil uw account gebruiken" in page.text
        wrong = await browser.sign_in(page, "gemeente", "verkeerd")
        assert wrong.status == 401
        assert "Verkeerde naam, verkeerd e-mailadres of verkeerd wachtwoord." in wrong.text
        signed_in = await browser.sign_in(page, "gemeente")
        consent = await browser.go("GET", signed_in.location)
        spoken(consent, "nl")
        assert "Test app toegang geven tot uw account?" in consent.text
        assert "alles lezen wat uw account kan zien" in consent.text and "uw berichten wijzigen" in consent.text
        refused = await browser.go("GET", "/oauth/authorize?response_type=code&client_id=nobody&redirect_uri=x")
        assert "Deze app kan zich hier niet aanmelden" in refused.text and "Deze app is hier niet bekend" in refused.text
    finally:
        await browser.close()


async def test_proving_a_rooms_rule_is_in_dutch(database_url, yivi, tmp_path):
    """The verify page, Yivi's step and the outcome (with its code, and its time in Dutch)."""
    email = "pbdf.sidn-pbdf.email.email"
    config = {"PUBHUB_IDENTITY_VERIFIERS": "yivi", **yivi.config(tmp_path)}
    server = await Instance(database_url, languages=("nl",), identity_verifiers=("yivi",),
                            plugin_config=tuple(config.items())).start()
    browser = Browser(server)
    try:
        await make_room(server, "wijkraad", join="attributes", attribute_rule={"attribute": email, "suffix": "@nijmegen.nl"})
        room = await browser.go("GET", "/@wijkraad")
        assert "Deze ruimte vraagt haar leden om bewijs van identiteitsgegevens" in room.text
        page = await browser.go("GET", "/@wijkraad/verify")
        spoken(page, "nl")
        assert "<h1>Aantonen voor Wijkraad</h1>" in page.text and "vraagt haar leden om bewijs van:" in page.text
        started = await browser.submit(page, "/@wijkraad/verify")
        assert "Scan deze code met de Yivi-app" in started.text and 'aria-label="QR-code voor de Yivi-app"' in started.text
        yivi.disclose(list(yivi.sessions)[-1], {email: "a.de.boer@nijmegen.nl"})
        action = started.forms[0]["action"]
        verified = await browser.submit(started, action)
        assert verified.status == 200, verified.text
        spoken(verified, "nl")
        assert "<h1>Geverifieerd: uw code</h1>" in verified.text and "De code werkt één keer" in verified.text
        month = MONTHS[server.runtime.clock.now().month - 1]
        assert re.search(rf"\d{{1,2}} {month} \d{{4}}", verified.text)
        again = await browser.submit(started, action)  # spent: the reason in Dutch
        assert again.status == 422 and "<h1>Niet geverifieerd</h1>" in again.text
        assert "deze verificatie is al gebruikt: begin een nieuwe" in again.text
        page = await browser.go("GET", "/@wijkraad/verify")
        started = await browser.submit(page, "/@wijkraad/verify")
        yivi.disclose(list(yivi.sessions)[-1], {email: "a.de.boer@arnhem.nl"})  # not the rule's
        refused = await browser.submit(started, started.forms[0]["action"])
        assert refused.status == 403 and "<h1>Niet geverifieerd</h1>" in refused.text
        assert "de gegevens die u hebt aangetoond, voldoen niet aan de regel van de ruimte" in refused.text
    finally:
        await browser.close()
        await server.stop()
