"""Where a schema.org event happens: a Place (with a PostalAddress and geo coordinates), a
VirtualLocation (its url is the online address), a plain string, or a list mixing them (an
event both on site and online)."""

from __future__ import annotations

import re

from agenda.collectors.jsonld_values import absolute_url, as_list, text_of, type_names
from agenda.collectors.normalize import (
    clean_text,
    department_from_postcode,
    parse_location,
    valid_point,
)
from agenda.collectors.sanitize import html_to_text
from agenda.records import Location

_ONLINE_ONLY = re.compile(r"\W*(en ligne|online|(en )?visio(conf[ée]rence)?|webinaire|webinar|"
                          r"(en )?distanciel|[àa] distance)\W*", re.IGNORECASE)


def read_location(value, page_url: str) -> tuple[Location, str | None]:
    """The first place and the first online address among the event's locations."""
    place, online = None, None
    for item in as_list(value)[:20]:
        if isinstance(item, dict) and "VirtualLocation" in type_names(item.get("@type")):
            online = online or absolute_url(text_of(item.get("url")), page_url)
        elif isinstance(item, dict):
            place = place or _place(item)
        elif isinstance(item, str) and (text := item.strip()):
            url = absolute_url(text, page_url) if text.lower().startswith("http") else None
            if url:
                online = online or url
            elif not _ONLINE_ONLY.fullmatch(text):
                place = place or parse_location(_plain(text))
    return place or Location(), online


def _place(item: dict) -> Location | None:
    name = _line(item.get("name"))
    address = item.get("address")
    if isinstance(address, list):
        address = next((a for a in address if a), None)
    if isinstance(address, dict):
        postcode = _line(address.get("postalCode"))
        location = Location(name=name, address=_line(address.get("streetAddress")),
                            postcode=postcode, city=_line(address.get("addressLocality")),
                            department=department_from_postcode(postcode))
    elif text := text_of(address):
        location = parse_location(_plain(text), name=name)
    else:
        location = Location(name=name)
    lat, lon = _coordinates(item.get("geo"))
    if location == Location() and lat is None:
        return None
    return Location(**{**location.__dict__, "lat": lat, "lon": lon})


def _coordinates(geo) -> tuple[float | None, float | None]:
    if isinstance(geo, list):
        geo = geo[0] if geo else None
    if not isinstance(geo, dict):
        return None, None
    return valid_point(text_of(geo.get("latitude")), text_of(geo.get("longitude")))


def _line(value) -> str | None:
    text = text_of(value)
    return clean_text(_plain(text), 200) or None if text else None


def _plain(text: str) -> str:
    return html_to_text(text) if "<" in text or "&" in text else text

