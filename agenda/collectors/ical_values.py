"""Reading iCalendar property values tolerantly: repeated, broken or unknown properties."""

from __future__ import annotations

import re

from icalendar import Component, vBroken, vText

_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_HTTP_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def all_properties(component: Component, name: str) -> list:
    """Every value of a property, in file order ([] when absent)."""
    values = component.get(name)
    if values is None:
        return []
    return values if isinstance(values, list) else [values]


def first_property(component: Component, name: str):
    """The first value of a property that may be repeated, or None."""
    values = all_properties(component, name)
    return values[0] if values else None


def property_time(component: Component, name: str):
    """The decoded value of a date-like property; None when absent or unreadable."""
    return decoded(first_property(component, name), "dt")


def decoded(prop, attribute: str):
    """``prop.dt`` or ``prop.dts``, None for a value icalendar could not parse."""
    if prop is None or isinstance(prop, vBroken):  # vBroken raises on these attributes
        return None
    return getattr(prop, attribute, None)


def parameter(prop, name: str) -> str:
    """A parameter of a property as text ("" when absent)."""
    value = getattr(prop, "params", {}).get(name)
    return str(value) if value is not None else ""


def text_of(component: Component, name: str) -> str:
    """Plain text of the first such property ("" when absent), escapes resolved."""
    return text_value(first_property(component, name))


def text_value(prop) -> str:
    """Plain text of one property value, whatever type icalendar gave it."""
    if prop is None:
        return ""
    if isinstance(prop, vText):
        return str(prop)
    return unescape(str(prop))  # unknown (X-) and broken values keep their escapes


def unescape(raw: str) -> str:
    """Resolve iCalendar TEXT escapes: \\n, \\, \\; and \\\\."""
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def http_url(value: str | None) -> str | None:
    """The value when it is a single http(s) URL; anything else (javascript:, junk) is None."""
    value = (value or "").strip()
    return value if _HTTP_URL.fullmatch(value) else None
