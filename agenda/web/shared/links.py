"""Links to the outside world (pure): source URLs made safe, map links, webcal:// twins."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from agenda.models import Event

OSM = "https://www.openstreetmap.org/"


def http_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host, else None.

    URLs from sources only ever reach an ``href`` or ``src`` through this (no javascript:,
    data: or relative URLs).
    """
    if not value:
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return None
    return text


def map_url(event: Event) -> str | None:
    """An OpenStreetMap link: the point when the source gave one, else a search of the address."""
    if event.lat is not None and event.lon is not None:
        if -90 <= event.lat <= 90 and -180 <= event.lon <= 180:
            lat, lon = f"{event.lat:.5f}", f"{event.lon:.5f}"
            return f"{OSM}?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    words = [p for p in (event.address, event.postcode, event.city) if p]
    if not words and event.location_name:
        words = [event.location_name]
    if not words:
        return None
    return f"{OSM}search?query={quote(', '.join(words), safe='')}"


def webcal_url(https_url: str) -> str:
    """The ``webcal://`` form of an http(s) calendar URL (calendar apps subscribe to it)."""
    scheme, rest = https_url.split("://", 1)
    return f"webcal://{rest}" if scheme in ("http", "https") else https_url
