"""The console's languages: the instance's main one unless the browser prefers another we have,
every message in the Dutch catalogue (and nothing stale in it), dates written the language's
way; over real HTTP."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from pubhub.accounts.sign_in import REFUSED
from pubhub.config import Settings
from pubhub.moderation.permissions import NOT_ALLOWED
from pubhub.web.console.messages import DOMAIN_MESSAGES
from pubhub.web.i18n import LOCALE_DIR, accepted_languages, catalogue_path, page_language, templates
from tests.support.console import signed_in, staff
from tests.support.console_reports import reported_post
from tests.support.instance import Instance
from tests.support.oauth import Browser

ROOT = Path(__file__).resolve().parents[2]


def test_accept_language_is_read_by_weight():
    assert accepted_languages("nl-NL,nl;q=0.9,en;q=0.8") == ["nl", "nl", "en"]
    assert accepted_languages("fr, en;q=0.5, nl;q=0.6") == ["fr", "nl", "en"]
    assert accepted_languages("nl;q=0, en;q=bad") == []


@pytest.mark.parametrize("languages, header, expected", [
    (("nl", "en"), None, "nl"),
    (("nl", "en"), "en-GB,en;q=0.9", "en"),
    (("en",), "nl-BE,nl;q=0.9,en;q=0.5", "nl"),
    (("en",), "fr-FR", "en"),
    (("fy", "nl"), "fr", "nl"),  # the first of the instance's languages we have a catalogue for
    (("nl",), "*", "nl"),
])
def test_the_page_language_is_the_instances_unless_the_browser_prefers_another(languages, header, expected):
    assert page_language(Settings(languages=languages), header) == expected


def _extracted() -> set[str]:
    with (LOCALE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {message[2] if isinstance(message[2], str) else message[2][0]
            for message in extract_from_dir(str(ROOT), method_map, options_map, keywords={"_": None, "N_": None,
                                                                                          "ngettext": (1, 2)})}


def test_the_dutch_catalogue_translates_every_message_and_holds_no_stale_ones():
    with catalogue_path("nl").open("rb") as po:
        catalogue = read_po(po, locale="nl")
    translated = {message.id if isinstance(message.id, str) else message.id[0]: message
                  for message in catalogue if message.id}
    assert _extracted() == set(translated), "run the extract command in README (Moderator console)"
    untranslated = [key for key, message in translated.items() if not message.string or message.fuzzy
                    or (isinstance(message.string, tuple) and not all(message.string))]
    assert untranslated == []
    assert [error for _, errors in catalogue.check() for error in errors] == []  # placeholders kept


def test_the_domains_messages_the_console_translates_are_the_domains():
    assert REFUSED in DOMAIN_MESSAGES and NOT_ALLOWED in DOMAIN_MESSAGES


def test_dates_are_written_the_languages_way():
    moment = datetime(2026, 3, 5, 14, 30, tzinfo=timezone.utc)
    assert templates("nl").filters["date"](moment).startswith("5 maart 2026")
    assert templates("en").filters["date"](moment).startswith("March 5, 2026")


@pytest.fixture
async def dutch(database_url):
    server = await Instance(database_url, languages=("nl", "en")).start()
    yield server
    await server.stop()


async def test_a_dutch_instance_speaks_dutch_and_english_to_a_browser_that_asks(dutch):
    browser = Browser(dutch)
    try:
        page = await browser.go("GET", "/admin/sign_in")
        assert page.status == 200 and '<html lang="nl">' in page.text and page.headers["Content-Language"] == "nl"
        assert "Aanmelden om" in page.text and "Wachtwoord" in page.text
        english = await browser.go("GET", "/admin/sign_in", headers={"Accept-Language": "en-GB,en;q=0.9"})
        assert '<html lang="en">' in english.text and "Password" in english.text
        wrong = await browser.submit(page, "/admin/sign_in", username="niemand", password="x")
        assert wrong.status == 401 and "Verkeerde naam, verkeerd e-mailadres of verkeerd wachtwoord." in wrong.text
    finally:
        await browser.close()


async def test_console_pages_show_dates_and_counts_in_dutch(dutch):
    scene = await reported_post(dutch)
    await staff(dutch, "marit")
    browser = await signed_in(Browser(dutch), "marit")
    try:
        dashboard = await browser.go("GET", "/admin")
        assert "1 open melding" in dashboard.text and "Overzicht" in dashboard.text
        page = await browser.go("GET", f"/admin/reports/{scene.report_id}")
        month = ("januari februari maart april mei juni juli augustus september oktober november december"
                 .split()[dutch.runtime.clock.now().month - 1])
        assert re.search(rf"\d{{1,2}} {month} \d{{4}}\D{{1,5}}\d{{1,2}}:\d\d:\d\d UTC", page.text)
        assert "Melding %s" % scene.report_id in page.text and "Gemelde berichten" in page.text
    finally:
        await browser.close()
