"""`GET /about/transparency?from=&to=`: the transparency report (moderation/transparency.py) as a
page anyone can read, each count with a plain HTML/CSS bar (no script, no inline style: the
bars' widths are classes of the page's one hashed style)."""

from __future__ import annotations

from aiohttp import web

from ..errors import Unprocessable
from ..http.keys import runtime
from ..moderation.transparency import period, transparency_report
from .i18n import N_, Speech, public_page

BAR_STEPS = 20  # base.html's .w0 .. .w20, 5% each
LABELS = {
    "sources": {"local": N_("From accounts on this site"), "remote": N_("From other servers (Flag)"),
                "notice": N_("Through the report form (no account needed)")},
    "categories": {"other": N_("Other"), "spam": N_("Spam"), "legal": N_("Illegal content"),
                   "violation": N_("Breach of the rules")},
    "actions": {"remove": N_("Remove"), "reject": N_("Reject"), "refuse": N_("Refuse"), "sensitive": N_("Sensitive"),
                "suspend": N_("Suspend"), "silence": N_("Silence"), "disable": N_("Disable"), "ban": N_("Ban"),
                "refuse_join": N_("Refuse join")},
    "grounds": {"rule": N_("An instance rule"), "room_rule": N_("A room's rule"), "law": N_("The law")},
    "states": {"pending": N_("Waiting for a decision"), "upheld": N_("Decision upheld"),
               "reversed": N_("Decision reversed")},
}


def bars(speech: Speech, counts: dict[str, int], labels: dict[str, str] | None = None) -> list[dict]:
    """Each count with its label and its bar's step (0 to BAR_STEPS, at least 1 when not 0). A
    key without a label (one added since) is shown as it is, in either language."""
    top = max(counts.values(), default=0)
    return [{"label": speech._(labels[key]) if labels and key in labels else key.replace("_", " ").capitalize(),
             "count": count, "step": 0 if not count else max(1, round(count * BAR_STEPS / top))}
            for key, count in counts.items()]


def duration(speech: Speech, seconds: float | None) -> str:
    """"3 days 4 h", "5 h 20 min", "12 min"; "no reports decided" when there is none."""
    if seconds is None:
        return speech._("no reports decided")
    minutes = int(seconds // 60)
    days, hours, minutes = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return speech.ngettext("%(num)d day %(hours)d h", "%(num)d days %(hours)d h", days, hours=hours)
    if hours:
        return speech._("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes)
    return speech._("%(minutes)d min", minutes=minutes)


def scope_view(speech: Speech, figures) -> dict:
    return {
        "reports": sum(figures.reports_by_source.values()),
        "sources": bars(speech, figures.reports_by_source, LABELS["sources"]),
        "categories": bars(speech, figures.reports_by_category, LABELS["categories"]),
        "decisions": sum(figures.decisions_by_action.values()),
        "automated": figures.decisions_automated,
        "actions": bars(speech, figures.decisions_by_action, LABELS["actions"]),
        "grounds": bars(speech, figures.decisions_by_ground, LABELS["grounds"]),
        "decided": len(figures.decision_seconds),
        "median": duration(speech, figures.median_seconds_to_decision),
        "appeals": sum(figures.appeals_by_state.values()),
        "states": bars(speech, figures.appeals_by_state, LABELS["states"]),
    }


async def transparency_page(request: web.Request) -> web.Response:
    rt = runtime(request)
    speech = Speech.of(request)
    try:
        chosen = period(request.query.get("from"), request.query.get("to"), rt.clock.now().date())
    except Unprocessable as exc:  # say what is wrong with the period (error pages say only the status)
        return public_page(request, "error.html", speech=speech, status=422, title=speech._("No such period"),
                           heading=speech._("No such period"), explanation=speech._(exc.message))
    report = await transparency_report(rt.db, chosen)
    return public_page(request, "transparency.html", speech=speech, title=speech._("Transparency report"),
                       first=chosen.first, last=chosen.last, instance_figures=scope_view(speech, report.instance),
                       hubs=[{"name": hub.name, "slug": hub.slug, "figures": scope_view(speech, hub.figures)}
                             for hub in report.hubs],
                       csv_query=f"from={chosen.first.isoformat()}&to={chosen.last.isoformat()}")
