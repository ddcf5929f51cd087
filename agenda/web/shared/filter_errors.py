"""Filter errors shown in the page's language.

:class:`~agenda.listing.filters.BadFilter` messages are English sentences with values in them
("Unknown department '75': the region's are 18, 28, ..."). Each shape is written here once as a
msgid with placeholders; a message is matched against those shapes and translated with the
values it carries. The shapes must stay word for word those of ``agenda/listing/filters.py``
(tests/web/test_i18n.py checks every error it can provoke comes out translated).
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext

from agenda.web.shared.i18n import N_, current_language

# Labels of the form fields, by URL parameter (the same msgids as the form's labels).
FIELD_LABELS = {
    "q": N_("Words"), "from": N_("From"), "to": N_("Until"), "dept": N_("Department"),
    "city": N_("City"), "commune": N_("Commune"), "theme": N_("Theme"), "source": N_("Source"),
    "mode": N_("Online or in person"), "sort": N_("Sort by"), "page": N_("Page"),
    "kind": N_("Kind"), "structure": N_("Kind of structure"), "status": N_("Status"),
    "when": N_("When"), "actor": N_("Actor"),
}

# Every shape of filter error; the first that matches wins (specific ones first).
MESSAGES = (
    N_("The end date must not be before the start date."),
    N_("The period may not exceed %(days)s days."),
    N_("The search may not exceed %(count)s characters."),
    N_("The %(name)s may not exceed %(count)s characters."),
    N_("The date '%(name)s' must be written YYYY-MM-DD."),
    N_("The date '%(name)s' must be between the years %(low)s and %(high)s."),
    N_("Unknown department '%(code)s': the region's are %(codes)s."),
    N_("Unknown theme '%(slug)s'."),
    N_("A commune must be given by its INSEE code of five characters, such as 37261 for "
       "Tours: '%(code)s' is not one."),
    N_("Unknown commune '%(code)s'."),
    N_("The commune %(commune)s (%(code)s) is outside the region."),
    N_("Unknown campaign '%(slug)s'."),
    N_("A source must be given by its number."),
    N_("An actor must be given by its number."),
    N_("'%(name)s' must be one of: %(allowed)s."),
    N_("At most %(count)s values of '%(name)s' may be given."),
    N_("The page must be a whole number between 1 and %(high)s."),
    N_("The month must be written YYYY-MM, between the years %(low)s and %(high)s."),
    N_("The search may not contain control characters."),
    N_("The kind must be event, actor or initiative."),  # the map
    N_("The number of events must be a whole number between 1 and %(high)s."),  # the widget
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def translate_filter_error(message: str) -> str:
    """``message`` (a BadFilter sentence) in the current language; as is when unknown."""
    if current_language() == "en":
        return message  # the sentences are written in English
    for msgid, pattern in _patterns():
        match = pattern.fullmatch(message)
        if match:
            values = {k: _field_label(k, v) for k, v in match.groupdict().items()}
            return gettext(msgid, **values) if values else gettext(msgid)
    return message


def _field_label(key: str, value: str) -> str:
    if key == "name" and value in FIELD_LABELS:
        return gettext(FIELD_LABELS[value])
    return value


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((msgid, _pattern_of(msgid)) for msgid in MESSAGES)


def _pattern_of(msgid: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(msgid)  # text, name, text, name, ..., text
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                    for i, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)
