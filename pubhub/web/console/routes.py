"""The console's paths (README: "Moderator console")."""

from __future__ import annotations

from aiohttp import web

from . import accounts, appeals, audit_log, dashboard, domain_blocks, reports, rooms, sign_in, sign_in_attribute


def setup(app: web.Application) -> None:
    app.router.add_get("/admin/sign_in", sign_in.sign_in_page)
    app.router.add_post("/admin/sign_in", sign_in.sign_in_form)
    app.router.add_post("/admin/sign_out", sign_in.sign_out)
    app.router.add_post("/admin/sign_in/attribute", sign_in_attribute.start)
    app.router.add_post(r"/admin/sign_in/attribute/{id:\d+}/complete", sign_in_attribute.complete)
    app.router.add_get("/admin/sign_in/attribute/oidc", sign_in_attribute.oidc_outcome)
    app.router.add_get("/admin", dashboard.dashboard)
    app.router.add_get("/admin/reports", reports.list_reports)
    app.router.add_get(r"/admin/reports/{id:\d+}", reports.show_report)
    app.router.add_post(r"/admin/reports/{id:\d+}/resolve", reports.resolve)
    app.router.add_post(r"/admin/reports/{id:\d+}/forward", reports.forward)
    app.router.add_get("/admin/appeals", appeals.list_appeals)
    app.router.add_get(r"/admin/appeals/{id:\d+}", appeals.show_appeal)
    app.router.add_post(r"/admin/appeals/{id:\d+}/decide", appeals.decide)
    app.router.add_get("/admin/rooms", rooms.list_rooms)
    app.router.add_get(r"/admin/rooms/{id:\d+}", rooms.show_room)
    app.router.add_post(r"/admin/rooms/{id:\d+}/settings", rooms.change_settings)
    app.router.add_post(r"/admin/rooms/{id:\d+}/queue/{item_id:\d+}/approve", rooms.approve)
    app.router.add_post(r"/admin/rooms/{id:\d+}/queue/{item_id:\d+}/reject", rooms.reject)
    app.router.add_post(r"/admin/rooms/{id:\d+}/members/{account_id:\d+}/ban", rooms.ban)
    app.router.add_post(r"/admin/rooms/{id:\d+}/members/{account_id:\d+}/unban", rooms.unban)
    app.router.add_post(r"/admin/rooms/{id:\d+}/follow_requests/{account_id:\d+}/authorize", rooms.accept_join)
    app.router.add_post(r"/admin/rooms/{id:\d+}/follow_requests/{account_id:\d+}/reject", rooms.refuse_join)
    app.router.add_get("/admin/audit_log", audit_log.audit_log)
    app.router.add_get("/admin/domain_blocks", domain_blocks.list_blocks)
    app.router.add_post("/admin/domain_blocks", domain_blocks.create)
    app.router.add_post(r"/admin/domain_blocks/{id:\d+}/remove", domain_blocks.remove)
    app.router.add_get("/admin/accounts", accounts.list_accounts)
    app.router.add_post(r"/admin/accounts/{id:\d+}/action", accounts.restrict)
    app.router.add_post(r"/admin/accounts/{id:\d+}/unsuspend", accounts.unsuspend)
    app.router.add_post(r"/admin/accounts/{id:\d+}/unsilence", accounts.unsilence)
    app.router.add_post(r"/admin/accounts/{id:\d+}/unsensitive", accounts.unsensitive)
    app.router.add_post(r"/admin/accounts/{id:\d+}/enable", accounts.enable)
