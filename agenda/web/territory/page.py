"""What the territory page shows, built from the counts: rows of tables and the charts drawn
from the same numbers, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, gettext
from markupsafe import Markup

from agenda.region import Region
from agenda.store.territory import Counts
from agenda.territory.charts import Bar, Pair, columns, horizontal_bars, paired_bars
from agenda.web.shared.i18n import N_, theme_label

KINDS = (("events", N_("Events")), ("actors", N_("Actors")), ("initiatives", N_("Initiatives")))
TITLES = {  # (dimension, kind): the chart's title
    ("theme", "events"): N_("Events by theme"), ("theme", "actors"): N_("Actors by theme"),
    ("theme", "initiatives"): N_("Initiatives by theme"),
    ("department", "events"): N_("Events by department"),
    ("department", "actors"): N_("Actors by department"),
    ("department", "initiatives"): N_("Initiatives by department")}
NO_THEME = N_("No theme")
NO_DEPARTMENT = N_("No department (online or region-wide)")


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Breakdown:
    """One dimension (themes or departments): a chart per kind and one table of them all."""

    charts: list[tuple[str, Markup]]  # (kind's label, drawing)
    rows: list[Row]


def theme_rows(region: Region, counts: list[Counts]) -> list[Row]:
    rows = [Row(theme_label(t), tuple(c.themes.get(t.slug, 0) for c in counts))
            for t in region.themes]
    rows.append(Row(gettext(NO_THEME), tuple(c.themes.get("", 0) for c in counts)))
    return rows


def department_rows(region: Region, counts: list[Counts]) -> list[Row]:
    rows = [Row(department_label(d.code, region), tuple(c.departments.get(d.code, 0)
                                                        for c in counts))
            for d in region.departments]
    known = {d.code for d in region.departments}
    rows.append(Row(gettext(NO_DEPARTMENT),
                    tuple(sum(n for code, n in c.departments.items() if code not in known)
                          for c in counts)))
    return rows


def department_label(code: str, region: Region) -> str:
    department = region.department(code)
    return f"{department.name} ({code})" if department else code


def breakdown(rows: list[Row], *, dimension: str, chart_id: str) -> Breakdown:
    """The three kinds' charts of one ``dimension`` ("theme" or "department"); the last row
    (no theme, no department) is left out of a chart where it is zero."""
    charts = []
    for index, (kind, label) in enumerate(KINDS):
        shown = rows[:-1] + ([rows[-1]] if rows[-1].values[index] else [])
        charts.append((gettext(label), horizontal_bars(
            [Bar(r.label, r.values[index]) for r in shown], chart_id=f"{chart_id}-{kind}",
            title=gettext(TITLES[dimension, kind]),
            description=_described(shown, index), empty=gettext("No data"))))
    return Breakdown(charts, rows)


def _described(rows: list[Row], index: int) -> str:
    """The chart's description: its numbers in one sentence."""
    return "; ".join(f"{r.label}{gettext(':')} {r.values[index]}" for r in rows) + "."


def month_chart(months: list[date], values: list[int]) -> tuple[Markup, list[Row]]:
    rows, bars = [], []
    for index, (month, value) in enumerate(zip(months, values)):
        rows.append(Row(format_date(month, "LLLL y"), (value,)))
        note = str(month.year) if index == 0 or month.month == 1 else ""
        bars.append(Bar(format_date(month, "LLL"), value, note))
    chart = columns(bars, chart_id="events-by-month",
                    title=gettext("Events by month"),
                    description=_described(rows, 0), empty=gettext("No data"))
    return chart, rows


def paired_chart(rows: list[Row], *, chart_id: str, title: str, current: str,
                 previous: str) -> Markup:
    pairs = [Pair(r.label, r.values[0], r.values[1]) for r in rows]
    description = "; ".join(
        gettext("%(label)s: %(current)s against %(previous)s", label=r.label,
                current=r.values[0], previous=r.values[1]) for r in rows)
    return paired_bars(pairs, chart_id=chart_id, title=title, description=description,
                       current_label=current, previous_label=previous,
                       empty=gettext("No data"))
