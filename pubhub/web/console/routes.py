"""The console's paths (README: "Moderator console")."""

from __future__ import annotations

from aiohttp import web

from . import dashboard, reports, sign_in


def setup(app: web.Application) -> None:
    app.router.add_get("/admin/sign_in", sign_in.sign_in_page)
    app.router.add_post("/admin/sign_in", sign_in.sign_in_form)
    app.router.add_post("/admin/sign_out", sign_in.sign_out)
    app.router.add_get("/admin", dashboard.dashboard)
    app.router.add_get("/admin/reports", reports.list_reports)
    app.router.add_get(r"/admin/reports/{id:\d+}", reports.show_report)
    app.router.add_post(r"/admin/reports/{id:\d+}/resolve", reports.resolve)
