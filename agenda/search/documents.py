"""What the index holds for one published event, and the Whoosh schema that holds it (pure).

Four word fields, weighted for relevance: the title above the categories and theme labels, above
the place and organiser, above the description.  They record only which events contain a term
(no frequencies, lengths or positions: short texts, our own scoring, and an index built twice
as fast).  One column, ``facts``, carries what listings filter and count on, read into memory
per segment by :mod:`agenda.search.catalog`: the event id, department, source, mode, themes,
city, stamp and commune (INSEE code), then the occurrences as UTC seconds (one column read is three times faster
than three).  The stamp (SEQUENCE + a checksum of the dates and the commune) tells a catch-up which documents
are out of date.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from dataclasses import dataclass

from whoosh import columns, formats
from whoosh.fields import COLUMN, ID, FieldType, Schema

from agenda.region import Region
from agenda.search.analysis import fold, french_analyzer

SCHEMA_VERSION = 2  # 2: the commune in the facts and the stamp
FIELD_WEIGHTS = {"title": 4.0, "tags": 2.0, "place": 1.5, "description": 1.0}
MAX_DESCRIPTION = 20_000
ONLINE, IN_PERSON = 1, 2
_SEP = "\x1f"


class Words(FieldType):
    """A text field that records which documents contain each term, and nothing more."""

    def __init__(self):
        super().__init__(formats.Existence(), french_analyzer(), scorable=False)


def build_schema() -> Schema:
    return Schema(
        id=ID(unique=True), source=ID(), **{name: Words() for name in FIELD_WEIGHTS},
        facts=COLUMN(columns.VarBytesColumn()),
    )


@dataclass(frozen=True)
class IndexedEvent:
    """A published event as the index sees it; ``dates`` are (start, end) UTC seconds."""

    id: str
    source_id: int
    sequence: int
    title: str
    description: str = ""
    location_name: str | None = None
    city: str | None = None
    department: str | None = None
    commune_code: str | None = None
    commune_name: str | None = None
    organizer: str | None = None
    online: bool = False
    categories: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    dates: tuple[tuple[int, int], ...] = ()

    @property
    def in_person(self) -> bool:
        return bool(self.city or self.location_name)

    @property
    def stamp(self) -> str:
        return stamp(self.sequence, self.dates, self.commune_code)


@dataclass(frozen=True)
class Facts:
    """The filterable side of one document, unpacked from its ``facts`` column."""

    event_id: str
    department: str
    source_id: int
    flags: int
    themes: str  # slugs joined by ","
    city: str
    stamp: str
    dates: bytes
    commune: str = ""  # INSEE code


def document(event: IndexedEvent, region: Region) -> dict:
    """The Whoosh document of ``event``."""
    return {"id": event.id, "source": str(event.source_id), **word_fields(event, region),
            "facts": pack_facts(event)}


def word_fields(event: IndexedEvent, region: Region) -> dict[str, str]:
    """The texts of the four word fields of ``event`` (the same for both search backends)."""
    labels = [theme.label_fr for slug in event.themes if (theme := region.theme(slug))]
    department = region.department(event.department) if event.department else None
    commune = event.commune_name if city_key(event.commune_name) != city_key(event.city) else None
    place = [event.location_name, event.city, commune, department and department.name,
             event.organizer]
    return {
        "title": event.title, "tags": " ".join([*event.categories, *labels]),
        "place": " ".join(part for part in place if part),
        "description": event.description[:MAX_DESCRIPTION],
    }


def stamp(sequence: int, dates: tuple[tuple[int, int], ...],
          commune_code: str | None = None) -> str:
    """What tells a sync a document is out of date: the dates, and the commune (which the
    gazetteer may find after the event was indexed, its SEQUENCE unchanged)."""
    checked = pack_dates(dates) + (commune_code or "").encode("ascii", "replace")
    return f"{sequence}.{zlib.crc32(checked):x}"


def city_key(city: str | None) -> str:
    """The compare form of a city: 'Orléans' = 'orleans' = ' ORLEANS '."""
    return " ".join(fold(city or "").casefold().split())


def pack_facts(event: IndexedEvent) -> bytes:
    """Length of the text part (2 bytes), the text part, then the dates."""
    flags = (ONLINE if event.online else 0) | (IN_PERSON if event.in_person else 0)
    text = _SEP.join([event.id, event.department or "", str(event.source_id), str(flags),
                      ",".join(event.themes), city_key(event.city)[:200], event.stamp,
                      event.commune_code or ""])
    encoded = text.encode("utf-8")
    return len(encoded).to_bytes(2, "little") + encoded + pack_dates(event.dates)


def unpack_facts(raw: bytes) -> Facts:
    length = int.from_bytes(raw[:2], "little")
    fields = raw[2:2 + length].decode("utf-8").split(_SEP)
    return Facts(fields[0], fields[1], int(fields[2]), int(fields[3]), fields[4], fields[5],
                 fields[6], raw[2 + length:], fields[7])


def pack_dates(dates) -> bytes:
    values = array("q", [value for pair in dates for value in pair])
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def unpack_dates(raw: bytes) -> array:
    """The flat array start0, end0, start1, end1... of a ``dates`` column value."""
    values = array("q", raw)
    if sys.byteorder == "big":
        values.byteswap()
    return values
