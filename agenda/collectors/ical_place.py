"""Where an iCalendar event happens: LOCATION, GEO, Apple's structured location, video calls."""

from __future__ import annotations

import dataclasses
import re

from icalendar import Component

from agenda.collectors.ical_values import (
    all_properties,
    first_property,
    http_url,
    parameter,
    text_of,
    unescape,
)
from agenda.collectors.normalize import find_online_url, parse_location
from agenda.records import Location

_GEO_URI = re.compile(r"geo:\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)", re.IGNORECASE)
_CONFERENCE_PROPERTIES = ("CONFERENCE", "X-GOOGLE-CONFERENCE")


def read_location(event: Component) -> Location:
    """LOCATION split into our fields, with coordinates from GEO or Apple's location."""
    apple = first_property(event, "X-APPLE-STRUCTURED-LOCATION")
    text = location_text(event) or _apple_address(apple)
    location = parse_location(text)
    coordinates = _geo(event) or _apple_geo(apple)
    if coordinates:
        location = dataclasses.replace(location, lat=coordinates[0], lon=coordinates[1])
    return location


def location_text(event: Component) -> str:
    """LOCATION on one line: "Salle X\\n3 rue Y\\n45000 Orléans" -> "Salle X, 3 rue Y, ..."."""
    return _one_line(text_of(event, "LOCATION"))


def _one_line(text: str) -> str:
    return ", ".join(line.strip(" ,") for line in text.splitlines() if line.strip(" ,"))


def _apple_address(apple) -> str:
    if apple is None:
        return ""
    address = parameter(apple, "X-ADDRESS") or parameter(apple, "X-TITLE")
    return _one_line(unescape(address))


def _geo(event: Component) -> tuple[float, float] | None:
    geo = first_property(event, "GEO")
    try:
        return _valid(float(geo.latitude), float(geo.longitude))
    except (AttributeError, TypeError, ValueError):
        return None


def _apple_geo(apple) -> tuple[float, float] | None:
    match = _GEO_URI.search(str(apple)) if apple is not None else None
    return _valid(float(match.group(1)), float(match.group(2))) if match else None


def _valid(lat: float, lon: float) -> tuple[float, float] | None:
    if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
        return lat, lon
    return None


def read_online_url(event: Component, description_text: str) -> str | None:
    """RFC 7986 CONFERENCE (or Google's), else a video-call link in the place or description."""
    for name in _CONFERENCE_PROPERTIES:
        for prop in all_properties(event, name):
            if url := http_url(str(prop)):
                return url
    return find_online_url(text_of(event, "LOCATION"), description_text)
