"""The transparency report (EU Digital Services Act, art. 15 and 24) for a period of whole days:
the reports received (by source: a local user, another server's `Flag`, a notice from the web
form; and by category), the decisions taken with a statement of reasons (by action, by ground,
and how many were automated), the median time from a report to its decision, and the appeals
by state; for the whole instance and for each hub. Anyone may read it: it holds counts only.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from ..errors import Unprocessable
from ..store import transparency as store
from ..store.db import Database
from ..accountability.reasons import ACCOUNT_ACTIONS, CONTENT_ACTIONS, GROUND_KINDS
from .reports import CATEGORIES

MAX_DAYS = 732  # the longest period asked for at once: two years
SOURCES = ("local", "remote", "notice")
ACTIONS = tuple(dict.fromkeys(CONTENT_ACTIONS + ACCOUNT_ACTIONS))
APPEAL_STATES = ("pending", "upheld", "reversed")


@dataclass(frozen=True)
class Period:
    first: date  # both days included
    last: date

    def bounds(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first, time(), timezone.utc)
        return start, datetime.combine(self.last + timedelta(days=1), time(), timezone.utc)


def _day(name: str, text: str) -> date:
    """YYYY-MM-DD only (fromisoformat also takes 20260101 and week dates)."""
    try:
        if len(text) == 10 and text[4] == text[7] == "-":
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise Unprocessable(f"{name} must be a date written YYYY-MM-DD")


def period(raw_from: str | None, raw_to: str | None, today: date) -> Period:
    """The days asked for: by default the last 12 months up to today; at most MAX_DAYS."""
    last = _day("to", raw_to) if raw_to else today
    if raw_from:
        first = _day("from", raw_from)
    else:
        year_before = last.replace(year=last.year - 1, day=28) if (last.month, last.day) == (2, 29) \
            else last.replace(year=last.year - 1)
        first = year_before + timedelta(days=1)
    if first > last:
        raise Unprocessable("from must not be after to")
    if (last - first).days + 1 > MAX_DAYS:
        raise Unprocessable(f"the period is at most {MAX_DAYS} days")
    return Period(first, last)


def _counts(keys) -> dict[str, int]:
    return {key: 0 for key in keys}


@dataclass
class Figures:
    """The counts for one scope (the instance, or one hub)."""

    reports_by_source: dict[str, int] = field(default_factory=lambda: _counts(SOURCES))
    reports_by_category: dict[str, int] = field(default_factory=lambda: _counts(CATEGORIES))
    decisions_by_action: dict[str, int] = field(default_factory=lambda: _counts(ACTIONS))
    decisions_by_ground: dict[str, int] = field(default_factory=lambda: _counts(GROUND_KINDS))
    decisions_automated: int = 0
    appeals_by_state: dict[str, int] = field(default_factory=lambda: _counts(APPEAL_STATES))
    decision_seconds: list[float] = field(default_factory=list)

    @property
    def median_seconds_to_decision(self) -> float | None:
        return statistics.median(self.decision_seconds) if self.decision_seconds else None

    def as_json(self) -> dict:
        return {
            "reports": {"total": sum(self.reports_by_source.values()), "by_source": self.reports_by_source,
                        "by_category": self.reports_by_category},
            "decisions": {"total": sum(self.decisions_by_action.values()), "automated": self.decisions_automated,
                          "by_action": self.decisions_by_action, "by_ground": self.decisions_by_ground},
            "reports_decided": len(self.decision_seconds),
            "median_seconds_to_decision": self.median_seconds_to_decision,
            "appeals": {"total": sum(self.appeals_by_state.values()), "by_state": self.appeals_by_state},
        }


@dataclass
class HubFigures:
    id: int
    slug: str
    name: str
    figures: Figures


@dataclass
class TransparencyReport:
    period: Period
    instance: Figures
    hubs: list[HubFigures]

    def as_json(self) -> dict:
        return {"from": self.period.first.isoformat(), "to": self.period.last.isoformat(),
                **self.instance.as_json(),
                "hubs": [{"id": str(hub.id), "slug": hub.slug, "name": hub.name, **hub.figures.as_json()}
                         for hub in self.hubs]}

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(scope, figure, kind, value): the whole report as a table (the CSV)."""
        rows = []
        for scope, figures in [("instance", self.instance)] + [(f"hub:{hub.slug}", hub.figures) for hub in self.hubs]:
            for figure in ("reports_by_source", "reports_by_category", "decisions_by_action", "decisions_by_ground",
                           "appeals_by_state"):
                rows += [(scope, figure, kind, str(value)) for kind, value in getattr(figures, figure).items()]
            median = figures.median_seconds_to_decision
            rows += [(scope, "decisions_automated", "", str(figures.decisions_automated)),
                     (scope, "reports_decided", "", str(len(figures.decision_seconds))),
                     (scope, "median_seconds_to_decision", "", "" if median is None else f"{median:.0f}")]
        return rows


def _add(counts: dict[str, int], key: str, number: int) -> None:
    counts[key] = counts.get(key, 0) + number  # a value written before the list grew still counts


async def transparency_report(db: Database, chosen: Period) -> TransparencyReport:
    start, end = chosen.bounds()
    async with db.read() as session:
        hubs = await store.hubs(session)
        reports = await store.reports(session, start, end)
        decisions = await store.decisions(session, start, end)
        appeals = await store.appeals(session, start, end)
        times = await store.decision_times(session, start, end)
    instance = Figures()
    by_hub = {hub.id: HubFigures(hub.id, hub.slug, hub.name, Figures()) for hub in hubs}

    def scopes(hub_id: int | None) -> list[Figures]:
        return [instance] + ([by_hub[hub_id].figures] if hub_id in by_hub else [])

    for hub_id, source, category, number in reports:
        for figures in scopes(hub_id):
            _add(figures.reports_by_source, source, number)
            _add(figures.reports_by_category, category, number)
    for hub_id, action, ground_kind, automated, number in decisions:
        for figures in scopes(hub_id):
            _add(figures.decisions_by_action, action, number)
            _add(figures.decisions_by_ground, ground_kind, number)
            figures.decisions_automated += number if automated else 0
    for hub_id, state, number in appeals:
        for figures in scopes(hub_id):
            _add(figures.appeals_by_state, state, number)
    for hub_id, received, decided in times:
        for figures in scopes(hub_id):
            figures.decision_seconds.append(max(0.0, (decided - received).total_seconds()))
    return TransparencyReport(chosen, instance, list(by_hub.values()))
