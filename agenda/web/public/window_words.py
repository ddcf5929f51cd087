"""The dates a visitor chose, in words, for the subscribe box: "du 1er au 30 novembre 2026",
"à partir du 10 décembre 2026", "from November 1 to 30, 2026" (month and year said once).

None when no date was chosen: the subscription then runs from today on, with no end."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, get_locale, gettext


def window_label(start: date | None, end: date | None) -> str | None:
    if start and end:
        if start == end:
            return gettext("of %(day)s", day=day_words(end))
        return gettext("from %(first)s to %(last)s", **_range_words(start, end))
    if start:
        return gettext("from %(day)s on", day=day_words(start))
    if end:
        return gettext("until %(day)s", day=day_words(end))
    return None


def _range_words(start: date, end: date) -> dict[str, str]:
    """Month and year said once: '1er' … '30 novembre 2026' / 'November 1' … '30, 2026'."""
    same_year = start.year == end.year
    same_month = same_year and start.month == end.month
    if _french():
        return {"first": day_words(start, with_month=not same_month, with_year=not same_year),
                "last": day_words(end)}
    last = f"{end.day}, {end.year}" if same_month else day_words(end)
    return {"first": day_words(start, with_year=not same_year), "last": last}


def _french() -> bool:
    return str(get_locale() or "fr").startswith("fr")


def day_words(day: date, *, with_month: bool = True, with_year: bool = True) -> str:
    """'1er novembre 2026' / 'November 1, 2026', or a part of it: '1er', '1er novembre',
    '1', 'November 1'."""
    if _french():
        words = ["1er" if day.day == 1 else str(day.day)]
        words += [format_date(day, "MMMM")] if with_month else []
        words += [str(day.year)] if with_year else []
        return " ".join(words)
    text = format_date(day, "MMMM d") if with_month else str(day.day)
    return f"{text}, {day.year}" if with_year else text
