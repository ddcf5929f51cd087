"""A recurrence rule in words, for the simple cases people write.

"FREQ=WEEKLY;BYDAY=TU,TH" -> "Chaque semaine (mardi et jeudi)", "FREQ=MONTHLY;BYDAY=1SA;COUNT=12"
-> "Chaque mois, le premier samedi, 12 dates". Anything rarer gets a general sentence; the
event page lists the dates anyway.

The sentence of a series counts the dates the page lists, not the rule's COUNT: a session moved
elsewhere is still one of them, a cancelled one is not held, and an EXDATE removed one (see
``describe_series``).
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import get_day_names
from babel.lists import format_list
from flask_babel import get_locale, gettext, ngettext

from agenda.web.shared.dates import day_label
from agenda.web.shared.i18n import N_

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"), -1: N_("last")}
SIMPLE_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}
_NTH_DAY = re.compile(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)")


def describe_series(rrule: str | None, *, held: list[date] | None, moved: int = 0,
                    cancelled: int = 0) -> str | None:
    """The rule in words, counting the ``held`` dates (the listed dates not cancelled) instead
    of the rule's COUNT, ending on the last of them when it is past UNTIL, and saying how many
    listed dates were moved or cancelled.  ``held=None``: the rule as written."""
    if not rrule:
        return None
    parts = _parts(rrule)
    base = _frequency_text(parts) if set(parts) <= SIMPLE_PARTS else None
    counted = base is not None and parts.get("COUNT", "").isdigit()
    if base is None:
        text = gettext("Repeats on several dates (see the list of dates).")
    elif counted:
        text = _counted(base, int(parts["COUNT"]) if held is None else len(held))
    elif until := _until(parts.get("UNTIL", "")):
        last = max([until, *(held or [])])
        text = gettext("%(rule)s, until %(day)s", rule=base, day=day_label(last))
    else:
        text = base
    return _with_changes(text, moved, cancelled, counted=counted)


def _counted(base: str, count: int) -> str:
    return ngettext("%(rule)s, %(num)d date", "%(rule)s, %(num)d dates", count, rule=base)


def _with_changes(text: str, moved: int, cancelled: int, *, counted: bool) -> str:
    """"…, 9 dates, including 1 moved; 1 date cancelled" (the cancelled are not counted)."""
    if moved and counted:
        text = ngettext("%(text)s, including %(num)d moved", "%(text)s, including %(num)d moved",
                        moved, text=text)
    elif moved:
        text = ngettext("%(text)s; %(num)d date moved", "%(text)s; %(num)d dates moved", moved,
                        text=text)
    if cancelled:
        text = ngettext("%(text)s; %(num)d date cancelled", "%(text)s; %(num)d dates cancelled",
                        cancelled, text=text)
    return text


def _parts(rrule: str) -> dict[str, str]:
    text = rrule.strip().removeprefix("RRULE:")
    pairs = (item.split("=", 1) for item in text.split(";") if "=" in item)
    return {key.strip().upper(): value.strip().upper() for key, value in pairs}


def _frequency_text(parts: dict[str, str]) -> str | None:
    text = parts.get("INTERVAL", "1")
    interval = int(text) if text.isdigit() else 0
    if interval < 1:
        return None
    freq, days = parts.get("FREQ"), parts.get("BYDAY", "")
    if freq == "DAILY" and not days:
        return ngettext("Every day", "Every %(num)d days", interval)
    if freq == "WEEKLY":
        return _weekly(interval, days)
    if freq == "MONTHLY" and interval == 1:
        return _monthly(days, parts.get("BYMONTHDAY", ""))
    if freq == "YEARLY" and not days:
        return ngettext("Every year", "Every %(num)d years", interval)
    return None


def _weekly(interval: int, days: str) -> str | None:
    every = ngettext("Every week", "Every %(num)d weeks", interval)
    if not days:
        return every
    codes = days.split(",")
    if not all(code in WEEKDAYS for code in codes):
        return None
    names = format_list([_day_name(code) for code in codes], locale=get_locale())
    return gettext("%(every)s (%(days)s)", every=every, days=names)


def _monthly(days: str, month_days: str) -> str | None:
    if not days and not month_days:
        return gettext("Every month")
    if month_days and not days:
        return gettext("Every month on day %(day)s", day=month_days) \
            if month_days.isdigit() else None
    match = _NTH_DAY.fullmatch(days)
    if match is None or match.group(1) is None or int(match.group(1)) not in ORDINALS:
        return None
    return gettext("Every month on the %(nth)s %(weekday)s",
                   nth=gettext(ORDINALS[int(match.group(1))]), weekday=_day_name(match.group(2)))


def _day_name(code: str) -> str:
    return get_day_names("wide", locale=get_locale())[WEEKDAYS.index(code)]


def _until(value: str) -> date | None:
    if not re.match(r"\d{8}", value):
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None
