"""What the page tests share: a small calendar, ways to store events, and a page reader
(the fixtures that use them are in tests/web/conftest.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)  # a Saturday; the `now` fixture


def timed(uid: str, title: str, day: int, hour: int = 18, month: int = 11, **fields) -> EventRecord:
    start = datetime(2026, month, day, hour, 0, tzinfo=PARIS)
    end = start + timedelta(hours=2)
    return EventRecord(source_uid=uid, title=title, start=start, end=end,
                       occurrences=[Occurrence(start, end)], **fields)


def weekly(uid: str, title: str, days: list[date], **fields) -> EventRecord:
    starts = [datetime(d.year, d.month, d.day, 14, 0, tzinfo=PARIS) for d in days]
    return EventRecord(source_uid=uid, title=title, start=starts[0],
                       end=starts[0] + timedelta(hours=3),
                       occurrences=[Occurrence(s, s + timedelta(hours=3)) for s in starts],
                       **fields)


def all_day(uid: str, title: str, first: date, end: date, **fields) -> EventRecord:
    return EventRecord(source_uid=uid, title=title, start=first, end=end, all_day=True,
                       occurrences=[Occurrence(first, end, True)], **fields)


REPAIR = timed(
    "repair", "Repair café", 25, timezone="Europe/Paris", categories=("Réemploi", "Atelier"),
    themes=("reemploi",), organizer="Association Répar'37", url="https://repair.example.org/cafe",
    image_url="https://repair.example.org/cafe.jpg",
    location=Location(name="Ressourcerie du Cher", address="3 rue du Commerce", postcode="37000",
                      city="Tours", department="37", lat=47.39412, lon=0.68484),
    description_html="<p>Apportez vos objets <strong>cassés</strong></p>",
    description_text="Apportez vos objets cassés")
CALENDAR = [
    REPAIR,
    timed("forum", "Forum de l'emploi solidaire", 24, status="cancelled",
          themes=("emploi-insertion",), location=Location(city="Orléans", department="45")),
    timed("conf", "Conférence finance solidaire", 26, hour=9, themes=("finance-solidaire",),
          location=Location(city="Orléans", department="45")),
    timed("webinaire", "Webinaire ESS", 26, hour=14, online_url="https://visio.example.org/ess"),
    all_day("festival", "Festival des solidarités", date(2026, 11, 27), date(2026, 11, 30),
            location=Location(city="Bourges", department="18")),
    weekly("permanence", "Permanence numérique",
           [date(2026, 11, 23) + timedelta(weeks=n) for n in range(4)],
           rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=4",
           location=Location(name="La Fabrique commune", city="Vendôme", department="41")),
    timed("gone", "Retiré par sa source", 25),
]


@dataclass
class Stored:
    source_id: int
    ids: dict[str, str]  # title -> event id


def store(factory, records: list[EventRecord], *, name: str = "Tiers-lieu",
          removed: tuple[str, ...] = ()) -> Stored:
    """Store ``records`` from one source; the uids in ``removed`` then vanish from it."""
    with transaction(factory) as session:
        source_id = add_source(session, name=name, url="http://127.0.0.1/agenda.ics",
                               actor_name="La Fabrique commune", now=NOW).id
        upsert_events(session, source_id, records, now=NOW, tz=PARIS)
    if removed:
        with transaction(factory) as session:
            kept = [r for r in records if r.source_uid not in removed]
            upsert_events(session, source_id, kept, now=NOW, tz=PARIS)
    with transaction(factory) as session:
        ids = {e.title: e.id for e in session.scalars(select(Event))}
    return Stored(source_id, ids)


# --- Reading pages -------------------------------------------------------------------------

@dataclass
class Page:
    lang: str | None = None
    tags: list[tuple[str, dict]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    scripts: list[tuple[dict, str]] = field(default_factory=list)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    def hrefs(self, containing: str = "") -> list[str]:
        return [href for href, _text in self.links if containing in href]

    def link_text(self, href_part: str) -> list[str]:
        return [text for href, text in self.links if href_part in href]

    @property
    def text_headings(self) -> list[str]:
        return [text for _level, text in self.headings]


class _Reader(HTMLParser):
    CAPTURED = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "script"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[tuple[str, dict, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.page.tags.append((tag, attrs))
        if tag == "html":
            self.page.lang = attrs.get("lang")
        if tag in self.CAPTURED:
            self._open.append((tag, attrs, []))

    def handle_endtag(self, tag):
        if not self._open or self._open[-1][0] != tag:
            return
        _tag, attrs, parts = self._open.pop()
        text = " ".join("".join(parts).split())
        if tag == "a":
            self.page.links.append((attrs.get("href", ""), text))
        elif tag == "script":
            self.page.scripts.append((attrs, "".join(parts)))
        else:
            self.page.headings.append((int(tag[1]), text))
        if self._open:
            self._open[-1][2].append("".join(parts))

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page


def json_ld(html: str) -> dict:
    """The schema.org data of a page, read back as a client would."""
    [(_, text)] = [(a, t) for a, t in read_page(html).scripts
                   if a.get("type") == "application/ld+json"]
    return json.loads(text)


def day_sections(html: str) -> dict[str, list[str]]:
    """Day heading -> the event titles listed under it (in page order)."""
    sections = re.findall(r'<h3 id="jour-[^"]+">(.*?)</h3>(.*?)</section>', html, re.S)
    return {day: [" ".join(re.sub(r"<[^>]+>", "", t).split())
                  for t in re.findall(r'<a href="/evenements/[^"]+">(.*?)</a>', body, re.S)]
            for day, body in sections}
