"""Notice and action (DSA art. 16) for people without an account: the web form at /report.

A notice names the exact URL of one of this instance's public pages (a post, a profile or a
room), explains why it is illegal (with the law concerned) or breaks the instance rules, and
states it is made in good faith; the name and e-mail address are optional. It becomes a report
(source `notice`) about the author of the post, the account or the room, which moderators
handle like any other.

Floods are counted in the database, as failed sign-ins are (accounts/sign_in.py), so every web
process counts the same: at most `LIMIT` notices an hour from one client address. The address
is kept only as a keyed hash (`address_key`), which counts notices but does not say who sent them.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from ..accounts.local import public_local_account
from ..clock import Clock
from ..config import Settings
from ..errors import PubHubError, Unprocessable
from ..social.outbox import note_of
from ..social.visibility import NOBODY
from ..store import reports as report_store
from ..store.db import Database
from ..store.models import Actor, Object, Report

WINDOW = timedelta(hours=1)
LIMIT = 5  # notices an hour from one address
CATEGORIES = {"legal": "Illegal content", "violation": "A breach of this instance's rules"}
EXPLANATION_LIMIT = 5000
LAW_LIMIT = 300
NAME_LIMIT = 200
EMAIL_LIMIT = 320
URL_LIMIT = 2048
# The public pages a notice may name: a profile or room (/@name, /users/name) or a post on it.
_PAGE = re.compile(r"/(?:@(?P<handle>[^/@]+)|users/(?P<user>[^/]+))(?:/(?:statuses/)?(?P<id>\d+))?/?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NOT_OURS = "This is not the address of a public post, profile or room on this site."


@dataclass
class Notice:
    url: str = ""
    explanation: str = ""
    category: str = ""
    law: str = ""
    name: str = ""
    email: str = ""
    good_faith: bool = False


class NoticeRefused(Unprocessable):
    """The notice as sent cannot be taken: `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("The notice is incomplete: " + " ".join(errors.values()))
        self.errors = errors


class TooManyNotices(PubHubError):
    status = 429

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Too many notices from your address. Try again in {minutes} minute"
                         f"{'s' if minutes > 1 else ''}.")
        self.retry_after = retry_after


def address_key(key: bytes, address: str) -> str:
    """The client address as notices keep it: an HMAC under the instance's key."""
    return hmac.new(key, b"notice|" + address.encode(), hashlib.sha256).hexdigest()[:64]


def field_errors(notice: Notice) -> dict[str, str]:
    """What is missing or wrong in the notice's own fields (the URL's target is checked apart)."""
    errors = {}
    if not notice.url.strip():
        errors["url"] = "Give the exact address (URL) of the content."
    elif len(notice.url) > URL_LIMIT:
        errors["url"] = f"The address is longer than {URL_LIMIT} characters."
    if not notice.explanation.strip():
        errors["explanation"] = "Explain why the content is illegal or breaks the rules."
    elif len(notice.explanation) > EXPLANATION_LIMIT:
        errors["explanation"] = f"The explanation is longer than {EXPLANATION_LIMIT} characters."
    if notice.category not in CATEGORIES:
        errors["category"] = "Choose whether the content is illegal or breaks the rules."
    elif notice.category == "legal" and not notice.law.strip():
        errors["law"] = "Name the law the content breaks."
    if len(notice.law) > LAW_LIMIT:
        errors["law"] = f"The law's name is longer than {LAW_LIMIT} characters."
    if len(notice.name) > NAME_LIMIT:
        errors["name"] = f"The name is longer than {NAME_LIMIT} characters."
    if notice.email.strip() and (len(notice.email) > EMAIL_LIMIT or not _EMAIL.fullmatch(notice.email.strip())):
        errors["email"] = "This is not an e-mail address (or leave it empty)."
    if not notice.good_faith:
        errors["good_faith"] = "Confirm that the notice is made in good faith."
    return errors


async def reported_content(db: Database, settings: Settings, url: str) -> tuple[Actor, Object | None]:
    """The account or room and, for a post, the post the URL names: only a page anyone may see
    here (else Unprocessable NOT_OURS)."""
    parts = urlsplit(url.strip())
    if f"{parts.scheme}://{parts.netloc}".lower() != settings.base_url.lower() or parts.query or parts.fragment:
        raise Unprocessable(NOT_OURS)
    page = _PAGE.fullmatch(parts.path)
    if page is None:
        raise Unprocessable(NOT_OURS)
    try:
        actor = await public_local_account(db, page["handle"] or page["user"])
        note = await note_of(db, NOBODY, actor, page["id"]) if page["id"] else None
    except PubHubError as exc:  # none such, gone, or not public
        if exc.status in (404, 410):
            raise Unprocessable(NOT_OURS) from exc
        raise
    return actor, note


async def _check_flood(session, address: str, now: datetime) -> None:
    count, oldest = await report_store.notices_since(session, address, now - WINDOW)
    if count >= LIMIT:
        raise TooManyNotices(max(1, int((oldest + WINDOW - now).total_seconds())))


async def file_notice(db: Database, clock: Clock, settings: Settings, notice: Notice, *, address: str) -> Report:
    """The report the notice makes; TooManyNotices (checked first: a flood costs one count),
    or NoticeRefused with every field's error. `address` is `address_key`'s."""
    now = clock.now()
    async with db.read() as session:
        await _check_flood(session, address, now)
    errors = field_errors(notice)
    target = note = None
    if "url" not in errors:
        try:
            target, note = await reported_content(db, settings, notice.url)
        except Unprocessable as exc:
            errors["url"] = exc.message
    if errors:
        raise NoticeRefused(errors)
    async with db.write() as session:
        await _check_flood(session, address, now)
        return await report_store.add(
            session, account_id=None, target_account_id=target.id, status_ids=[note.id] if note else [],
            comment=notice.explanation.strip(), category=notice.category, rule_ids=[], forwarded=False,
            source="notice", url=notice.url.strip(),
            law=notice.law.strip() if notice.category == "legal" else None,
            reporter_name=notice.name.strip() or None, reporter_email=notice.email.strip() or None,
            reporter_address=address, created_at=now, updated_at=now)
