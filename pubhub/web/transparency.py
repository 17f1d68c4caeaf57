"""`GET /about/transparency?from=&to=`: the transparency report (moderation/transparency.py) as a
page anyone can read, each count with a plain HTML/CSS bar (no script, no inline style: the
bars' widths are classes of the page's one hashed style)."""

from __future__ import annotations

from aiohttp import web

from ..errors import Unprocessable
from ..http.keys import runtime
from ..moderation.transparency import period, transparency_report
from .rendering import render

BAR_STEPS = 20  # base.html's .w0 .. .w20, 5% each
LABELS = {
    "sources": {"local": "From accounts on this site", "remote": "From other servers (Flag)",
                "notice": "Through the report form (no account needed)"},
    "categories": {"other": "Other", "spam": "Spam", "legal": "Illegal content", "violation": "Breach of the rules"},
    "grounds": {"rule": "An instance rule", "room_rule": "A room's rule", "law": "The law"},
    "states": {"pending": "Waiting for a decision", "upheld": "Decision upheld", "reversed": "Decision reversed"},
}


def bars(counts: dict[str, int], labels: dict[str, str] | None = None) -> list[dict]:
    """Each count with its label and its bar's step (0 to BAR_STEPS, at least 1 when not 0)."""
    top = max(counts.values(), default=0)
    return [{"label": (labels or {}).get(key, key.replace("_", " ").capitalize()), "count": count,
             "step": 0 if not count else max(1, round(count * BAR_STEPS / top))} for key, count in counts.items()]


def duration(seconds: float | None) -> str:
    """"3 days 4 h", "5 h 20 min", "12 min"; "no decisions" when there is none."""
    if seconds is None:
        return "no reports decided"
    minutes = int(seconds // 60)
    days, hours, minutes = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return f"{days} day{'s' if days > 1 else ''} {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def scope_view(figures) -> dict:
    return {
        "reports": sum(figures.reports_by_source.values()),
        "sources": bars(figures.reports_by_source, LABELS["sources"]),
        "categories": bars(figures.reports_by_category, LABELS["categories"]),
        "decisions": sum(figures.decisions_by_action.values()),
        "automated": figures.decisions_automated,
        "actions": bars(figures.decisions_by_action),
        "grounds": bars(figures.decisions_by_ground, LABELS["grounds"]),
        "decided": len(figures.decision_seconds),
        "median": duration(figures.median_seconds_to_decision),
        "appeals": sum(figures.appeals_by_state.values()),
        "states": bars(figures.appeals_by_state, LABELS["states"]),
    }


async def transparency_page(request: web.Request) -> web.Response:
    rt = runtime(request)
    try:
        chosen = period(request.query.get("from"), request.query.get("to"), rt.clock.now().date())
    except Unprocessable as exc:  # say what is wrong with the period (error pages say only the status)
        return render("error.html", rt.settings, status=422, title="No such period", heading="No such period",
                      explanation=exc.message)
    report = await transparency_report(rt.db, chosen)
    return render("transparency.html", rt.settings, title="Transparency report", first=chosen.first,
                  last=chosen.last, instance_figures=scope_view(report.instance),
                  hubs=[{"name": hub.name, "slug": hub.slug, "figures": scope_view(hub.figures)} for hub in report.hubs],
                  csv_query=f"from={chosen.first.isoformat()}&to={chosen.last.isoformat()}")
