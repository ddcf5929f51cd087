"""OpenAgenda API v2: the request for one page of an agenda's events, and what a page holds.

Pure: the caller fetches ``openagenda_request(...)`` and passes the body to
``parse_openagenda_page``.  One OpenAgenda event becomes one EventRecord whose occurrences are
its ``timings``; French texts are preferred, else any language.  A page also gives the cursor
of the next page (``after``, ``None`` on the last one) and the uids of removed events (asked
with ``removed=null`` for incremental sync by ``updatedAt``).  The API key travels in the
``key`` header, never in the URL, and no sentence built here ever holds it.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from agenda.collectors.normalize import clean_text, department_from_postcode, valid_point
from agenda.collectors.notice import Notice, UnreadableItem
from agenda.collectors.sanitize import html_to_text, sanitize_html, text_to_html
from agenda.errors import ParseError
from agenda.records import EventRecord, Location, Occurrence, ParseResult
from agenda.text_clean import safe_excerpt

API_ROOT = "https://api.openagenda.com/v2"
PAGE_SIZE = 300  # the API's maximum
LANGUAGES = ("fr", "en")
# OpenAgenda's event ``status``: 1 scheduled, 2 rescheduled, 3 moved online, 4 postponed,
# 5 full, 6 cancelled
STATUSES = {4: "tentative", 6: "cancelled"}
ONLINE, MIXED = 2, 3
PUBLISHED = 2  # ``state``: 2 published, 1 ready to publish, 0 to moderate, -1 refused
REFUSED_KEY_STATUSES = (401, 403)
_TOKEN = re.compile(r"[A-Za-z0-9]{20,}")  # anything that could be a key, kept out of messages


def openagenda_request(base_url: str | None, agenda_uid: str | int, *, key: str,
                       after: list | None = None,
                       updated_since: datetime | None = None) -> tuple[str, dict[str, str]]:
    """The URL and headers of one page of an agenda's events (the key only in a header)."""
    root = (base_url or API_ROOT).rstrip("/")
    params: list[tuple[str, str]] = [("size", str(PAGE_SIZE)), ("detailed", "1"),
                                     ("longDescriptionFormat", "HTML")]
    if updated_since is not None:
        params += [("updatedAt[gte]", updated_since.isoformat()), ("removed", "null"),
                   ("sort", "updatedAt.asc")]
    params += [("after[]", str(value)) for value in after or ()]
    url = f"{root}/agendas/{quote(str(agenda_uid), safe='')}/events?{urlencode(params)}"
    return url, {"key": key, "Accept": "application/json"}


def parse_openagenda_page(data: bytes, *, default_tz: ZoneInfo, status: int = 200,
                          ) -> tuple[ParseResult, list | None, list[str]]:
    """(events and warnings, cursor of the next page or None, uids of removed events).

    ``status`` is the HTTP status of the answer: 401 and 403 mean the key was refused.
    """
    body = _json_object(data, status)
    events = body.get("events")
    if not isinstance(events, list):
        raise ParseError("The OpenAgenda answer holds no list of events.",
                         code="openagenda.no_events")
    result, removed = ParseResult(format="openagenda"), []
    for event in events:
        if _removed(event):
            removed.append(str(event.get("uid")))
            continue
        _add_event(result, event, default_tz)
    after = body.get("after")
    cursor = after if isinstance(after, list) and after and events else None
    return result, cursor, removed


def _removed(event) -> bool:
    """A removal marker, or an event no longer published (refused, back to moderation)."""
    if not isinstance(event, dict) or event.get("uid") in (None, ""):
        return False
    state = event.get("state")
    return event.get("removed") is True or (
        isinstance(state, int) and not isinstance(state, bool) and state < PUBLISHED)


def _json_object(data: bytes, status: int) -> dict:
    """The decoded body; a refused key or an error body is a ParseError naming no key."""
    if status in REFUSED_KEY_STATUSES:
        raise ParseError("OpenAgenda refused the API key of this source (it may have been "
                         "revoked).", code="openagenda.key_refused")
    try:
        body = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ParseError("The OpenAgenda answer is not valid JSON.",
                         code="openagenda.not_json") from error
    if not isinstance(body, dict):
        raise ParseError("The OpenAgenda answer holds no list of events.",
                         code="openagenda.no_events")
    if "error" in body or body.get("success") is False:
        detail = safe_excerpt(_TOKEN.sub("…", _error_text(body)), 120)
        raise ParseError(f"OpenAgenda answered with an error: {detail}.",
                         code="openagenda.error", detail=detail)
    return body


def _error_text(body: dict) -> str:
    error = body.get("error")
    if isinstance(error, dict):
        error = error.get("message") or error.get("name")
    return str(error or body.get("message") or "unknown error")


def _add_event(result: ParseResult, event, default_tz: ZoneInfo) -> None:
    try:
        result.events.append(event_record(event, default_tz))
    except UnreadableItem as skipped:
        result.skipped += 1
        uid = str(event.get("uid")) if isinstance(event, dict) else "?"
        result.warnings.append(Notice(f"Skipped OpenAgenda event {uid}: {skipped.reason}.",
                                      code="openagenda.event_skipped", uid=uid,
                                      reason=skipped.reason))


def event_record(event, default_tz: ZoneInfo) -> EventRecord:
    """The EventRecord of one OpenAgenda event (``UnreadableItem`` without title or timing)."""
    if not isinstance(event, dict) or event.get("uid") in (None, ""):
        raise UnreadableItem(Notice("it has no uid", code="openagenda.no_uid"))
    title = clean_text(_translated(event.get("title")), 300)
    if not title:
        raise UnreadableItem(Notice("it has no title", code="openagenda.no_title"))
    occurrences = _occurrences(event.get("timings"), _zone(event, default_tz))
    if not occurrences:
        raise UnreadableItem(Notice("it has no readable timing", code="openagenda.no_timing"))
    description_html = _description(event)
    online = event.get("attendanceMode") in (ONLINE, MIXED)
    return EventRecord(
        source_uid=str(event["uid"]), title=title,
        start=occurrences[0].start, end=occurrences[0].end,
        timezone=_zone(event, default_tz).key,
        description_html=description_html, description_text=html_to_text(description_html),
        location=Location() if event.get("attendanceMode") == ONLINE
        else _location(event.get("location")),
        online_url=_http_url(event.get("onlineAccessLink")) if online else None,
        url=_http_url(event.get("canonicalUrl")), image_url=_image_url(event.get("image")),
        categories=_keywords(event.get("keywords")),
        status=_status(event.get("status")), occurrences=occurrences,
    )


def _status(value) -> str:
    return STATUSES.get(value, "confirmed") if isinstance(value, int) else "confirmed"


def _translated(value) -> str:
    """French text of a multilingual field, else English, else any language."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    for language in (*LANGUAGES, *value):
        if isinstance(value.get(language), str) and value[language].strip():
            return value[language]
    return ""


def _description(event: dict) -> str:
    long_html = _translated(event.get("longDescription"))
    if long_html.strip():
        return sanitize_html(long_html if "<" in long_html else text_to_html(long_html))
    return text_to_html(_translated(event.get("description")))


def _zone(event: dict, default_tz: ZoneInfo) -> ZoneInfo:
    location = event.get("location") if isinstance(event.get("location"), dict) else {}
    for name in (event.get("timezone"), location.get("timezone")):
        if isinstance(name, str) and name.strip():
            try:
                return ZoneInfo(name.strip())
            except (ValueError, KeyError):  # an unknown zone name falls through to the next
                continue
    return default_tz


def _occurrences(timings, zone: ZoneInfo) -> list[Occurrence]:
    found = set()
    for timing in timings if isinstance(timings, list) else ():
        begin = _instant(timing.get("begin"), zone) if isinstance(timing, dict) else None
        end = _instant(timing.get("end"), zone) if isinstance(timing, dict) else None
        if begin is not None:
            found.add(Occurrence(start=begin, end=end if end and end > begin else begin))
    return sorted(found, key=lambda occurrence: occurrence.start)


def _instant(value, zone: ZoneInfo) -> datetime | None:
    """An ISO timing in the event's zone (an offset-less timing is read in that zone)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)


def _location(location) -> Location:
    if not isinstance(location, dict):
        return Location()
    postcode = _text(location.get("postalCode"), 10)
    lat, lon = valid_point(location.get("latitude"), location.get("longitude"))
    return Location(
        name=_text(location.get("name"), 200), address=_text(location.get("address"), 300),
        postcode=postcode, city=_text(location.get("city"), 100),
        department=department_from_postcode(postcode) or _department_of(location.get("insee")),
        lat=lat, lon=lon, commune_code=_text(location.get("insee"), 5),  # checked when stored
    )


def _department_of(insee) -> str | None:
    """The department of an INSEE commune code ('45234' -> '45', '97411' -> '974')."""
    if not isinstance(insee, str) or not re.fullmatch(r"\d[\dAB]\d{3}", insee.strip()):
        return None
    return insee[:3] if insee.startswith("97") else insee[:2]


def _text(value, limit: int) -> str | None:
    return clean_text(value, limit) or None if isinstance(value, str) else None



def _keywords(value) -> tuple[str, ...]:
    if isinstance(value, dict):
        value = next((value[lang] for lang in (*LANGUAGES, *value)
                      if isinstance(value.get(lang), list) and value[lang]), [])
    if not isinstance(value, list):
        return ()
    words = (clean_text(word, 60) for word in value if isinstance(word, str))
    return tuple(dict.fromkeys(word for word in words if word))


def _image_url(image) -> str | None:
    if isinstance(image, str):
        return _http_url(image)
    if not isinstance(image, dict):
        return None
    if isinstance(image.get("base"), str) and isinstance(image.get("filename"), str):
        return _http_url(image["base"] + image["filename"])
    return _http_url(image.get("url"))


def _http_url(value) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None
