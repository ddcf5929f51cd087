"""Where and who, as iCalendar text (pure): LOCATION and ORGANIZER."""

from __future__ import annotations

import re

from agenda.export.ics_text import param_value

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
NO_ADDRESS = "invalid:nomail"  # a CAL-ADDRESS that is no address (Google writes the same)


def location_text(row) -> str:
    """"place name, address, postcode city"; the online link when there is no place."""
    town = " ".join(part for part in (row.postcode, row.city) if part)
    parts: list[str] = []
    for part in (row.location_name, row.address, town):
        part = " ".join((part or "").split())
        if part and not any(part.casefold() in seen.casefold() for seen in parts):
            parts.append(part)
    if not parts and row.online_url:
        return row.online_url
    return ", ".join(parts)


def organizer_line(organizer: str) -> str:
    """ORGANIZER with the name as CN; its address when the source gave only an address."""
    text = " ".join(organizer.split())
    if _EMAIL.fullmatch(text):
        return f"ORGANIZER:mailto:{text}"
    return f"ORGANIZER;CN={param_value(text)}:{NO_ADDRESS}"
