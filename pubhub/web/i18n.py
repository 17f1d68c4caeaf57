"""The pages' languages: gettext catalogues (Babel's `.po` files in web/locale/<lang>/LC_MESSAGES/
pubhub.po, English being the source), one Jinja2 environment with the i18n extension per
language, and dates and numbers written the language's way (Babel's CLDR data).

Which language: the instance's main one (the first of PUBHUB_LANGUAGES that has a catalogue,
else English) unless the browser's Accept-Language prefers another one we have.

The catalogues are compiled when first used, in memory, from the `.po` files in the package:
there is no `.mo` to build at install or to forget to rebuild after editing a translation, and
a fresh checkout's `make test` reads exactly what is committed. Compiling both is a few ms.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import jinja2
from aiohttp import web
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from ..config import Settings
from ..http.keys import runtime
from ..http.negotiation import vary
from .rendering import TEMPLATE_DIR, TEMPLATES, form_page, render

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "pubhub"
SOURCE = "en"  # what the templates are written in
LANGUAGES = (SOURCE, "nl")  # those with a catalogue (and the source)


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> NullTranslations:
    if language == SOURCE:
        return NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def accepted_languages(header: str) -> list[str]:
    """The primary language tags of an Accept-Language header, most wanted first (q=0 is "not
    this"; a malformed weight counts as 0; ties keep the header's order)."""
    ranked = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        tag = tag.strip().split("-")[0].lower()
        if tag and weight > 0:
            ranked.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def page_language(settings: Settings, accept_language: str | None) -> str:
    for tag in accepted_languages(accept_language or ""):
        if tag in LANGUAGES:
            return tag
        if tag == "*":
            break
    return next((language for language in settings.languages if language in LANGUAGES), SOURCE)


def _date(language: str):
    def written(moment: datetime | None) -> str:
        if moment is None:
            return ""
        return format_datetime(moment, "long", tzinfo=timezone.utc, locale=Locale.parse(language))
    return written


def _day(language: str):
    return lambda day: format_date(day, "long", locale=Locale.parse(language))


def _number(language: str):
    return lambda number: format_decimal(number, locale=Locale.parse(language))


def iso_time(moment: datetime) -> str:
    """For <time datetime=...>: what machines read, whatever the language."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.cache
def templates(language: str) -> jinja2.Environment:
    """The templates in `language`: the pages' own (TEMPLATES') filters, and `_`, `gettext`,
    `ngettext` and {% trans %} from its catalogue."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
                                     autoescape=jinja2.select_autoescape(["html"]),
                                     extensions=["jinja2.ext.i18n"])
    environment.filters.update(TEMPLATES.filters)
    environment.filters.update(date=_date(language), day=_day(language), number=_number(language),
                               iso_time=iso_time)
    environment.install_gettext_translations(translations(language), newstyle=True)
    return environment


# ---- the public pages in the visitor's language -------------------------------------------

def N_(message: str) -> str:
    """Marks a message for the catalogue without translating it (it is translated where shown)."""
    return message


@dataclass(frozen=True)
class Speech:
    """What a page says in one language, for messages made in Python."""
    language: str

    @classmethod
    def of(cls, request: web.Request) -> "Speech":
        return cls(page_language(runtime(request).settings, request.headers.get("Accept-Language")))

    def _(self, message: str, **values) -> str:
        """`message` (English, as the catalogue knows it) in this language, `%(name)s` filled in."""
        text = translations(self.language).gettext(message)
        return text % values if values else text

    def ngettext(self, one: str, many: str, number: int, **values) -> str:
        return translations(self.language).ngettext(one, many, number) % {"num": number, **values}


def spoken(response: web.StreamResponse, language: str) -> web.StreamResponse:
    """Say which language a page is in, and that it was chosen by Accept-Language."""
    response.headers["Content-Language"] = language
    vary(response, "Accept-Language")
    return response


def public_page(request: web.Request, name: str, *, speech: Speech | None = None, **values) -> web.Response:
    """A public page (rendering.render's arguments) in the visitor's language."""
    language = (speech or Speech.of(request)).language
    return spoken(render(name, runtime(request).settings, lang=language, templates=templates(language), **values),
                  language)


def public_form_page(request: web.Request, name: str, forms, *, speech: Speech | None = None, **values) -> web.Response:
    """A public page with a form (rendering.form_page's arguments) in the visitor's language."""
    language = (speech or Speech.of(request)).language
    return spoken(form_page(name, runtime(request).settings, forms, lang=language, templates=templates(language),
                            **values), language)
