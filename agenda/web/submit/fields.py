"""The pieces the proposal forms are made of: input filters, validators with messages people
understand, and the fixed choice lists (kinds of structure, repetitions, initiative statuses).

Every text field is plain text: control characters are refused (a textarea keeps its line
breaks and tabs), lengths are capped, web addresses must be absolute http(s) URLs with a host
(one typed without its scheme gets https://).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from agenda.web.shared.links import http_url

URL_MAX = 2000
EMAIL_MAX = 254
NAME_MAX = 200
SHORT_MAX = 300
TITLE_MAX = 200
DESCRIPTION_MAX = 20_000

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"[^@\s\"'<>(),;:\\\[\]]{1,64}@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                    r"[a-z]{2,63}", re.IGNORECASE)
_POSTCODE = re.compile(r"\d{5}")
# A host name with a dot and a top-level domain, then perhaps a port and a path: no scheme.
_BARE_ADDRESS = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}(?::\d{1,5})?"
                           r"(?:[/?#]\S*)?")

STRUCTURE_KINDS = (
    ("association", _l("Association")),
    ("cooperative", _l("Cooperative")),
    ("mutuelle", _l("Mutual society")),
    ("fondation", _l("Foundation")),
    ("esus", _l("Social enterprise (ESUS)")),
    ("tiers-lieu", _l("Third place (tiers-lieu)")),
    ("collectivite", _l("Local authority")),
    ("autre", _l("Other")),
)
RECURRENCES = (
    ("", _l("Does not repeat")),
    ("weekly", _l("Weekly")),
    ("monthly", _l("Monthly")),
)
INITIATIVE_STATUSES = (
    ("project", _l("Project (not started yet)")),
    ("active", _l("Active")),
    ("ended", _l("Ended")),
)


def options(pairs) -> list[SelectChoice]:
    """The choices of a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip_text(value):
    """Form input without its surrounding spaces ('' when absent)."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def strip_lines(value):
    """A textarea's input: stripped, with browser line ends (CR LF) made plain LF."""
    text = strip_text(value)
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("At most %(max)d characters (this has %(length)d)."))


class PlainText:
    """Refuse control characters (a textarea may keep line breaks and tabs)."""

    def __init__(self, *, multiline: bool = False):
        self.pattern = _CONTROL_MULTILINE if multiline else _CONTROL

    def __call__(self, form, field: Field) -> None:
        if isinstance(field.data, str) and self.pattern.search(field.data):
            raise ValidationError(_l("This contains invisible control characters: please "
                                     "type it again."))


def add_scheme(value):
    """A web address typed without its scheme ("bricoleurs-tourangeaux.fr/repair",
    "www.example.org") gets https:// in front; anything else is left for ``web_address``."""
    if isinstance(value, str) and _BARE_ADDRESS.fullmatch(value):
        return "https://" + value
    return value


def web_address(form, field: Field) -> None:
    """An absolute http(s) address with a host (empty is left to the required check)."""
    value = field.data or ""
    if value and not _is_web_address(value):
        raise ValidationError(_l("Give a full web address, starting with https:// or http://."))


def _is_web_address(value: str) -> bool:
    if len(value) > URL_MAX or http_url(value) != value:
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return bool(parts.hostname)


def email_address(form, field: Field) -> None:
    value = field.data or ""
    if value and (len(value) > EMAIL_MAX or not _EMAIL.fullmatch(value)):
        raise ValidationError(_l("Give a valid e-mail address, such as name@example.org."))


def postcode(form, field: Field) -> None:
    value = field.data or ""
    if value and not _POSTCODE.fullmatch(value):
        raise ValidationError(_l("A postcode has five digits, such as 45000."))
