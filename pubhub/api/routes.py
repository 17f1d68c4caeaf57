"""The client API's routes (Mastodon-compatible), each with the scope it needs.

Rails routes match with and without a trailing slash, and clients use both (Mastodon.py asks
for `/api/v1/instance/`): every route here is registered both ways.
"""

from __future__ import annotations

from aiohttp import web

from . import (accounts, admin_accounts, admin_reports, apps, audit_log, decisions, domain_allows, domain_blocks, edits,
               follow_requests, hubs, instance, interactions, marks, media, notifications, oauth, openapi, preferences,
               removals, reports, roles, rooms, rules, search, statuses, streaming, timelines, tokens, transparency)

ROUTES = [
    ("POST", "/api/v1/statuses", statuses.post_status),
    ("GET", "/api/v1/statuses/{id}", statuses.get_status),
    ("DELETE", "/api/v1/statuses/{id}", statuses.remove_status),
    ("PUT", "/api/v1/statuses/{id}", edits.edit_status),
    ("GET", "/api/v1/statuses/{id}/history", edits.status_history),
    ("GET", "/api/v1/statuses/{id}/source", edits.status_source),
    ("GET", "/api/v1/statuses/{id}/context", statuses.status_context),
    ("POST", "/api/v1/statuses/{id}/favourite", interactions.favourite),
    ("POST", "/api/v1/statuses/{id}/unfavourite", interactions.unfavourite),
    ("POST", "/api/v1/statuses/{id}/reblog", interactions.reblog),
    ("POST", "/api/v1/statuses/{id}/unreblog", interactions.unreblog),
    ("GET", "/api/v1/statuses/{id}/favourited_by", interactions.favourited_by),
    ("GET", "/api/v1/statuses/{id}/reblogged_by", interactions.reblogged_by),
    ("POST", "/api/v1/statuses/{id}/bookmark", marks.bookmark),
    ("POST", "/api/v1/statuses/{id}/unbookmark", marks.unbookmark),
    ("GET", "/api/v1/bookmarks", marks.bookmarks),
    ("POST", "/api/v1/statuses/{id}/pin", marks.pin),
    ("POST", "/api/v1/statuses/{id}/unpin", marks.unpin),
    ("GET", "/api/v1/accounts/verify_credentials", accounts.verify_credentials),
    ("PATCH", "/api/v1/accounts/update_credentials", accounts.update_credentials),
    ("GET", "/api/v1/accounts/lookup", accounts.lookup_account),
    ("GET", "/api/v1/accounts/relationships", accounts.relationships),
    ("GET", "/api/v1/accounts/{id}", accounts.get_account),
    ("GET", "/api/v1/accounts/{id}/statuses", timelines.account_statuses),
    ("GET", "/api/v1/timelines/home", timelines.home),
    ("GET", "/api/v1/timelines/public", timelines.public),
    ("GET", "/api/v1/timelines/tag/{hashtag}", timelines.hashtag),
    ("POST", "/api/v1/accounts/{id}/follow", accounts.follow),
    ("POST", "/api/v1/accounts/{id}/unfollow", accounts.unfollow),
    ("GET", "/api/v1/follow_requests", follow_requests.list_requests),
    ("POST", "/api/v1/follow_requests/{id}/authorize", follow_requests.authorize),
    ("POST", "/api/v1/follow_requests/{id}/reject", follow_requests.reject),
    ("GET", "/api/v2/search", search.search_v2),
    ("GET", "/api/v1/tags/{name}", search.get_tag),
    ("POST", "/api/v1/reports", reports.create_report),
    ("GET", "/api/v1/notifications", notifications.list_notifications),
    ("POST", "/api/v1/notifications/clear", notifications.clear),
    ("GET", "/api/v1/notifications/{id}", notifications.get_notification),
    ("POST", "/api/v1/notifications/{id}/dismiss", notifications.dismiss),
    ("GET", "/api/v1/streaming", streaming.websocket),
    ("GET", "/api/v1/streaming/health", streaming.health),
    ("GET", "/api/v1/streaming/user", streaming.user),
    ("GET", "/api/v1/streaming/user/notification", streaming.user_notification),
    ("GET", "/api/v1/streaming/public", streaming.public),
    ("GET", "/api/v1/streaming/public/local", streaming.public_local),
    ("GET", "/api/v1/instance", instance.instance_v1),
    ("GET", "/api/v2/instance", instance.instance_v2),
    ("GET", "/api/v1/instance/rules", instance.instance_rules),
    ("GET", "/api/v1/instance/domain_blocks", domain_blocks.public_blocks),
    ("GET", "/api/v1/admin/accounts", admin_accounts.list_accounts_v1),
    ("GET", "/api/v2/admin/accounts", admin_accounts.list_accounts_v2),
    ("GET", "/api/v1/admin/accounts/{id}", admin_accounts.get_account),
    ("POST", "/api/v1/admin/accounts/{id}/action", admin_accounts.take_action),
    ("POST", "/api/v1/admin/accounts/{id}/unsuspend", admin_accounts.unsuspend),
    ("POST", "/api/v1/admin/accounts/{id}/unsilence", admin_accounts.unsilence),
    ("POST", "/api/v1/admin/accounts/{id}/unsensitive", admin_accounts.unsensitive),
    ("POST", "/api/v1/admin/accounts/{id}/enable", admin_accounts.enable),
    ("GET", "/api/v1/admin/domain_blocks", domain_blocks.list_blocks),
    ("POST", "/api/v1/admin/domain_blocks", domain_blocks.create_block),
    ("GET", "/api/v1/admin/domain_blocks/{id}", domain_blocks.get_block),
    ("PUT", "/api/v1/admin/domain_blocks/{id}", domain_blocks.update_block),
    ("DELETE", "/api/v1/admin/domain_blocks/{id}", domain_blocks.delete_block),
    ("GET", "/api/v1/admin/domain_allows", domain_allows.list_allows),
    ("POST", "/api/v1/admin/domain_allows", domain_allows.create_allow),
    ("GET", "/api/v1/admin/domain_allows/{id}", domain_allows.get_allow),
    ("DELETE", "/api/v1/admin/domain_allows/{id}", domain_allows.delete_allow),
    ("GET", "/api/v1/admin/reports", admin_reports.list_reports),
    ("GET", "/api/v1/admin/reports/{id}", admin_reports.get_report),
    ("POST", "/api/v1/admin/reports/{id}/assign_to_self", admin_reports.assign_to_self),
    ("POST", "/api/v1/admin/reports/{id}/unassign", admin_reports.unassign),
    ("POST", "/api/v1/admin/reports/{id}/resolve", admin_reports.resolve),
    ("POST", "/api/v1/admin/reports/{id}/reopen", admin_reports.reopen),
    # PubHub's own: hubs and rooms (admin:read / admin:write), and a post's fate in the rooms.
    ("GET", "/api/v1/pubhub/hubs", hubs.list_hubs),
    ("POST", "/api/v1/pubhub/hubs", hubs.create_hub),
    ("GET", "/api/v1/pubhub/hubs/{id}", hubs.get_hub),
    ("PATCH", "/api/v1/pubhub/hubs/{id}", hubs.update_hub),
    ("GET", "/api/v1/pubhub/hubs/{id}/moderators", hubs.list_moderators),
    ("POST", "/api/v1/pubhub/hubs/{id}/moderators", hubs.add_moderator),
    ("DELETE", "/api/v1/pubhub/hubs/{id}/moderators/{account_id}", hubs.remove_moderator),
    ("GET", "/api/v1/pubhub/hubs/{id}/rooms", hubs.list_rooms),
    ("POST", "/api/v1/pubhub/hubs/{id}/rooms", hubs.add_room),
    ("GET", "/api/v1/pubhub/rooms/{id}", rooms.get_room),
    ("PATCH", "/api/v1/pubhub/rooms/{id}", rooms.change_room),
    ("GET", "/api/v1/pubhub/rooms/{id}/members", rooms.list_members),
    ("POST", "/api/v1/pubhub/rooms/{id}/members/{account_id}/ban", rooms.ban),
    ("POST", "/api/v1/pubhub/rooms/{id}/members/{account_id}/unban", rooms.unban),
    ("GET", "/api/v1/pubhub/rooms/{id}/bans", rooms.list_bans),
    ("GET", "/api/v1/pubhub/rooms/{id}/follow_requests", rooms.list_join_requests),
    ("POST", "/api/v1/pubhub/rooms/{id}/follow_requests/{account_id}/authorize", rooms.authorize_join),
    ("POST", "/api/v1/pubhub/rooms/{id}/follow_requests/{account_id}/reject", rooms.reject_join),
    ("GET", "/api/v1/pubhub/rooms/{id}/queue", rooms.list_queue),
    ("POST", "/api/v1/pubhub/rooms/{id}/queue/{item_id}/approve", rooms.approve),
    ("POST", "/api/v1/pubhub/rooms/{id}/queue/{item_id}/reject", rooms.reject),
    ("GET", "/api/v1/pubhub/rooms/{id}/posts", rooms.list_posts),
    ("POST", "/api/v1/pubhub/rooms/{id}/posts/{status_id}/remove", rooms.remove_post),
    ("GET", "/api/v1/pubhub/rooms/{id}/log", rooms.decisions_log),
    ("GET", "/api/v1/pubhub/statuses/{id}/moderation", rooms.my_post_moderation),
    ("POST", "/api/v1/pubhub/statuses/{id}/remove", removals.remove),
    ("GET", "/api/v1/pubhub/transparency", transparency.show),
    ("GET", "/api/v1/pubhub/reports", reports.my_reports),
    ("POST", "/api/v1/pubhub/reports/{id}/forward", admin_reports.forward),
    ("GET", "/api/v1/pubhub/decisions", decisions.list_decisions),
    ("GET", "/api/v1/pubhub/decisions/{id}", decisions.get_decision),
    ("POST", "/api/v1/pubhub/decisions/{id}/appeal", decisions.appeal_decision),
    ("GET", "/api/v1/pubhub/appeals", decisions.list_appeals),
    ("POST", "/api/v1/pubhub/appeals/{id}/uphold", decisions.uphold_appeal),
    ("POST", "/api/v1/pubhub/appeals/{id}/reverse", decisions.reverse_appeal),
    ("GET", "/api/v1/pubhub/audit_log", audit_log.audit_log),
    ("GET", "/api/v1/pubhub/roles/moderator", roles.show_moderator_role),
    ("PUT", "/api/v1/pubhub/roles/moderator", roles.change_moderator_role),
    ("GET", "/api/v1/pubhub/rules", rules.list_rules),
    ("POST", "/api/v1/pubhub/rules", rules.create_rule),
    ("PUT", "/api/v1/pubhub/rules/{id}", rules.update_rule),
    ("DELETE", "/api/v1/pubhub/rules/{id}", rules.delete_rule),
    ("GET", "/api/v1/pubhub/tokens", tokens.list_tokens),
    ("DELETE", "/api/v1/pubhub/tokens/{id}", tokens.delete_token),
    ("POST", "/api/v1/apps", apps.create_app),
    ("GET", "/api/v1/apps/verify_credentials", apps.verify_app),
    ("POST", "/api/v1/media", media.upload),
    ("POST", "/api/v2/media", media.upload),
    ("GET", "/api/v1/media/{id}", media.show),
    ("PUT", "/api/v1/media/{id}", media.update),
    ("GET", "/api/v1/custom_emojis", preferences.custom_emojis),
    ("GET", "/api/v1/preferences", preferences.preferences),
    ("GET", "/api/v1/markers", preferences.get_markers),
    ("POST", "/api/v1/markers", preferences.post_markers),
    ("GET", "/api/v1/filters", preferences.filters_v1),
    ("GET", "/api/v2/filters", preferences.filters_v2),
]

# What OAuth clients call (the pages people see are in web/routes.py).
OAUTH_ROUTES = [
    ("POST", "/oauth/token", oauth.token),
    ("POST", "/oauth/revoke", oauth.revoke),
    ("GET", "/.well-known/oauth-authorization-server", oauth.metadata),
]
DOCUMENTED = ROUTES + OAUTH_ROUTES
ROUTES.append(("GET", "/api/openapi.json", openapi.serving(DOCUMENTED)))
DOCUMENTED.append(ROUTES[-1])


def setup(app: web.Application) -> None:
    for method, path, handler in ROUTES:
        for variant in (path, path + "/"):
            if method == "GET":
                app.router.add_get(variant, handler)  # with HEAD, as before
            else:
                app.router.add_route(method, variant, handler)
    for method, path, handler in OAUTH_ROUTES:
        app.router.add_route(method, path, handler)
