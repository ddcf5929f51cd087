"""A geocoder for the places the offline gazetteer cannot tell: OFF unless configured.

``settings.geocoder`` is "none" (the default: nothing leaves the machine, nothing is asked) or
"ban": the national address service (Base Adresse Nationale, ``settings.geocoder_url``) is
asked, through the project's fetcher (timeouts, size cap, SSRF guard), for the coordinates and
the INSEE code of an address.  A collection asks at most ``settings.geocoder_max_lookups``
addresses; every answer (a miss too) is kept for the life of the process.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from agenda.collectors.fetcher import FetchPolicy, fetch
from agenda.errors import AgendaError
from agenda.records import EventRecord, Location
from agenda.records.placing import place_location
from agenda.settings import Settings

log = logging.getLogger(__name__)

MIN_SCORE = 0.5         # the BAN's own confidence, 0 to 1: below, the answer is a guess
TIMEOUT_SECONDS = 5.0   # a geocoder that does not answer quickly is not waited for
MAX_ANSWER_BYTES = 256 * 1024
CACHE_SIZE = 10_000
_POSTCODE = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Geocoded:
    lat: float
    lon: float
    citycode: str | None  # INSEE code (of the arrondissement in Paris, Lyon, Marseille)
    city: str | None
    postcode: str | None
    score: float


_cache: dict[str, Geocoded | None] = {}
_cache_lock = threading.Lock()
_FAILED = object()  # the geocoder could not be asked (down, slow, refused): not cached


def geocode(address: str | None, postcode: str | None, city: str | None, *,
            settings: Settings, fetch_func=fetch) -> Geocoded | None:
    """Where the geocoder puts this address, or None (geocoder off, unsure, or failing)."""
    if settings.geocoder != "ban":
        return None
    found = _lookup(_query(address, postcode, city), postcode, settings, fetch_func)
    return None if found is _FAILED else found


def place_records(records: list[EventRecord], *, settings: Settings,
                  fetch_func=fetch) -> list[EventRecord]:
    """The records, those whose place the gazetteer cannot tell geocoded: at most
    ``geocoder_max_lookups`` questions, none after the geocoder failed once.  The same list
    when the geocoder is "none"."""
    if settings.geocoder == "none" or settings.geocoder_max_lookups <= 0:
        return records
    left = settings.geocoder_max_lookups
    placed = []
    for record in records:
        location = record.location
        query = _query(location.address or _address_in(location.name), location.postcode,
                       location.city)
        asking = _worth_asking(location) and (left > 0 or query.casefold() in _cache)
        if asking:
            left -= 0 if query.casefold() in _cache else 1
            found = _lookup(query, location.postcode, settings, fetch_func)
            if found is _FAILED:
                left = 0
            elif found is not None:
                record = replace(record, location=_with(location, found))
        placed.append(record)
    return placed


def _query(address: str | None, postcode: str | None, city: str | None) -> str:
    return " ".join(" ".join(part.split()) for part in (address, postcode, city) if part)


def _lookup(query: str, postcode: str | None, settings: Settings, fetch_func):
    """The geocoder's answer for ``query`` (cached), None, or _FAILED."""
    if len(query) < 3:
        return None
    key = query.casefold()
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    found = _ask_ban(query, postcode, settings=settings, fetch_func=fetch_func)
    if found is not _FAILED:
        with _cache_lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.clear()
            _cache[key] = found
    return found


def _address_in(name: str | None) -> str | None:
    """A place name that holds an address ("Salle des fêtes, 3 rue du Stade"), as sources
    without a postcode write it (the parser then keeps it whole as the name)."""
    return name if name and "," in name else None


def _worth_asking(location: Location) -> bool:
    """An address or a city the gazetteer alone does not place in a commune."""
    if location.commune_code or not (location.address or location.city
                                     or _address_in(location.name)):
        return False
    return place_location(location).commune_code is None


def _with(location: Location, found: Geocoded) -> Location:
    """The location with what the geocoder adds; what the source said is kept."""
    has_point = location.lat is not None and location.lon is not None
    return replace(location, lat=location.lat if has_point else found.lat,
                   lon=location.lon if has_point else found.lon,
                   postcode=location.postcode or found.postcode,
                   city=location.city or found.city, commune_code=found.citycode)


def _ask_ban(query: str, postcode: str | None, *, settings: Settings, fetch_func):
    params = {"q": query[:200], "limit": "1"}
    if postcode and _POSTCODE.fullmatch(postcode.strip()):
        params["postcode"] = postcode.strip()
    separator = "&" if "?" in settings.geocoder_url else "?"
    url = f"{settings.geocoder_url}{separator}{urlencode(params)}"
    policy = FetchPolicy(connect_timeout=min(settings.connect_timeout, TIMEOUT_SECONDS),
                         total_timeout=min(settings.total_timeout, TIMEOUT_SECONDS),
                         max_bytes=MAX_ANSWER_BYTES, max_redirects=settings.max_redirects,
                         allow_private=settings.allow_private_urls)
    try:
        answer = fetch_func(url, policy=policy, headers={"Accept": "application/json"})
    except AgendaError as error:
        log.warning("geocoder: %s", getattr(error, "message", error))
        return _FAILED
    return parse_ban(answer.body or b"")


def parse_ban(body: bytes) -> Geocoded | None:
    """The best feature of a BAN GeoJSON answer, if it is sure enough (pure)."""
    try:
        feature = json.loads(body)["features"][0]
        lon, lat = (float(v) for v in feature["geometry"]["coordinates"][:2])
        props = feature.get("properties") or {}
        score = float(props.get("score") or 0)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    if score < MIN_SCORE or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Geocoded(lat=lat, lon=lon, citycode=_text(props.get("citycode"), 5),
                    city=_text(props.get("city"), 200), postcode=_text(props.get("postcode"), 10),
                    score=score)


def _text(value, limit: int) -> str | None:
    return str(value)[:limit] if isinstance(value, (str, int)) and str(value).strip() else None
