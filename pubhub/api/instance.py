"""The instance description, v1 and v2, in Mastodon 4.x's shapes (no token needed).

Apps read `version` to decide which API to use (Mastodon.py takes `4.3.0` from our
`4.3.0 (compatible; PubHub x.y.z)`) and `configuration` for the limits of the compose box.
"""

from __future__ import annotations

from aiohttp import web

from .. import __version__
from ..accounts.local import account_counts, instance_overview
from ..config import Settings
from ..http.keys import runtime
from ..http.params import ok
from ..moderation.rules import current_rules
from ..social.attachments import MAX_ATTACHMENTS, MAX_DESCRIPTION
from ..social.images import MAX_INPUT, MEDIA_TYPES
from ..social.polls import MAX_EXPIRATION, MAX_OPTION_CHARS, MAX_OPTIONS, MIN_EXPIRATION
from ..social.outbox import usage_counts
from ..social.profile import MAX_FIELDS
from ..social.statuses import MAX_STATUS_CHARS
from .serializers import account_json, rule_json

# The Mastodon release whose client API ours follows, and that release's API version.
MASTODON_COMPATIBLE = "4.3.0"
MASTODON_API_VERSION = 2
URL_CHARACTERS = 23  # links count as 23 characters in Mastodon; ours count as written, so this is a bound


def version() -> str:
    return f"{MASTODON_COMPATIBLE} (compatible; PubHub {__version__})"


def _configuration(settings: Settings) -> dict:
    return {
        "urls": {},
        "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 0, "max_profile_fields": MAX_FIELDS},
        "statuses": {"max_characters": MAX_STATUS_CHARS, "max_media_attachments": MAX_ATTACHMENTS,
                     "characters_reserved_per_url": URL_CHARACTERS},
        # Images only: no video or audio is taken.
        "media_attachments": {"supported_mime_types": list(MEDIA_TYPES), "image_size_limit": settings.media_max_bytes,
                              "image_matrix_limit": MAX_INPUT[0] * MAX_INPUT[1], "description_limit": MAX_DESCRIPTION,
                              "video_size_limit": 0, "video_frame_rate_limit": 0, "video_matrix_limit": 0},
        "polls": {"max_options": MAX_OPTIONS, "max_characters_per_option": MAX_OPTION_CHARS,
                  "min_expiration": MIN_EXPIRATION, "max_expiration": MAX_EXPIRATION},
        "translation": {"enabled": False},
    }


async def _rules(rt) -> list[dict]:
    """The current rules, in order (moderation/rules.py): a report names those it cites by id."""
    async with rt.db.read() as session:
        return [rule_json(rule) for rule in await current_rules(session)]


async def _common(request: web.Request) -> tuple[dict, dict]:
    """(fields shared by v1 and v2, v1's stats)."""
    rt = runtime(request)
    users, posts = await usage_counts(rt.db)
    contact, domains = await instance_overview(rt.db)
    contact_json = account_json(contact, rt.domain, await account_counts(rt.db, contact)) if contact else None
    description = rt.settings.description
    common = {
        "domain": rt.settings.domain,
        "title": rt.settings.instance_name,
        "version": version(),
        "description": description,
        "languages": list(rt.settings.languages),
        "rules": await _rules(rt),
        "contact_account": contact_json,
    }
    return common, {"user_count": users, "status_count": posts, "domain_count": domains}


def _streaming(settings) -> str:
    """Where apps find the streaming API (Mastodon's `wss://domain`; served by this process)."""
    return ("wss://" if settings.scheme == "https" else "ws://") + settings.domain


async def instance_v1(request: web.Request) -> web.Response:
    common, stats = await _common(request)
    settings = runtime(request).settings
    contact = common.pop("contact_account")
    return ok({
        "uri": settings.domain, **common, "short_description": common["description"], "email": settings.contact_email,
        "urls": {"streaming_api": _streaming(settings)}, "stats": stats, "thumbnail": None,
        "registrations": False, "approval_required": False, "invites_enabled": False,
        "configuration": _configuration(runtime(request).settings), "contact_account": contact,
    })


async def instance_v2(request: web.Request) -> web.Response:
    common, stats = await _common(request)
    settings = runtime(request).settings
    contact = common.pop("contact_account")
    return ok({
        **common,
        "usage": {"users": {"active_month": stats["user_count"]}},
        "thumbnail": {"url": ""},
        "icon": [],
        "api_versions": {"mastodon": MASTODON_API_VERSION},
        "configuration": {**_configuration(runtime(request).settings), "urls": {"streaming": _streaming(settings), "status": None, "about": None,
                                                         "privacy_policy": None, "terms_of_service": None},
                          "vapid": {"public_key": ""}, "limited_federation": settings.limited_federation},
        "registrations": {"enabled": False, "approval_required": False, "message": None, "url": None},
        "contact": {"email": settings.contact_email, "account": contact},
    })


async def instance_rules(request: web.Request) -> web.Response:
    """The rules alone, as apps fetch them when a user reports a post (no token needed)."""
    return ok(await _rules(runtime(request)))
