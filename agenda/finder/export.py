"""Any result of the search across kinds as CSV or XLSX, written batch by batch (no Flask).

One row per event, initiative or actor, in French like the campaign's CSV
(``agenda.export.campaign_csv``), with the same choices: UTF-8 with a byte order mark (Excel
reads the accents right only with it), comma-separated (RFC 4180: what LibreOffice, Google
Sheets and every CSV library read without being told; no cell holds a decimal number, so the
French Excel's decimal comma has nothing to clash with), and cells that would run as formulas
prefixed with a quote.

Neither file is ever held whole: the CSV is yielded a batch of rows at a time; the XLSX is
written by openpyxl's write-only workbook (rows go to a temporary file as they come) into a
temporary file, then read back in chunks.  At most ``MAX_ROWS`` rows; a cut file says so in
its last row.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.export.campaign_csv import BOM, defuse
from agenda.finder.rows import initiative_actor_names, shown_actors
from agenda.models import Actor, Event, EventActor, Initiative, Occurrence
from agenda.region import Region
from agenda.store.conditions import listed

MAX_ROWS = 200_000
BATCH = 500
CHUNK = 64 * 1024
HEADER = ("Type", "Identifiant", "Titre ou nom", "Page sur l'Agenda commun", "Thèmes",
          "Code du département", "Département", "Commune", "Structure ou statut", "Dates",
          "Acteurs", "Site web")
KIND_WORDS = {"event": "évènement", "initiative": "initiative", "actor": "acteur"}
STATUS_WORDS = {"project": "en projet", "active": "en cours", "ended": "terminée",
                "confirmed": "confirmé", "to_check": "à vérifier", "cancelled": "annulé",
                "tentative": "à confirmer"}
STRUCTURE_WORDS = {"association": "association", "cooperative": "coopérative",
                   "mutual": "mutuelle", "foundation": "fondation",
                   "company": "entreprise de l'ESS", "public": "organisme public",
                   "other": "autre"}


@dataclass(frozen=True)
class ExportContext:
    region: Region
    tz: ZoneInfo
    window: tuple
    url_of: Callable[[str, str], str]  # (kind, id) -> the page's absolute address


def cut_note(limit: int) -> list[str]:
    return [f"Export limité à {limit:,} lignes : affinez la recherche pour avoir la suite."
            .replace(",", "\u202f")]


def row_batches(session: Session, hits: Iterable[tuple[str, str]], context: ExportContext, *,
                limit: int = MAX_ROWS) -> Iterator[list[list[str]]]:
    """Batches of rows (defused cells) of the first ``limit`` hits; a last one-cell row when
    there were more.  The session forgets each batch's objects once written."""
    hits = iter(hits)
    written = 0
    while written < limit:
        batch = list(islice(hits, min(BATCH, limit - written)))
        if not batch:
            return
        loaded = _load(session, batch, context.window)
        rows = [_defused(cells) for kind, record_id in batch
                if (cells := _cells(kind, record_id, loaded, context)) is not None]
        written += len(batch)
        yield rows
    if next(hits, None) is not None:
        yield [cut_note(limit)]


def csv_chunks(batches: Iterable[list[list[str]]]) -> Iterator[str]:
    """The CSV text, a batch at a time: the BOM and header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    yield BOM + out.getvalue()
    for rows in batches:
        out.seek(0)
        out.truncate()
        writer.writerows(rows)
        yield out.getvalue()


def xlsx_file(batches: Iterable[list[list[str]]]):
    """A temporary file (at its start) holding the XLSX workbook of ``batches``."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Recherche")
    sheet.append(list(HEADER))
    for rows in batches:
        for row in rows:
            sheet.append(row)
    spool = tempfile.TemporaryFile()
    book.save(spool)
    spool.seek(0)
    return spool


def file_chunks(spool) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


def _load(session: Session, batch: list[tuple[str, str]], window) -> dict:
    """The columns the rows need (no ORM objects: a plain row each), by kind and id."""
    ids: dict[str, list[str]] = {"event": [], "initiative": [], "actor": []}
    for kind, record_id in batch:
        ids[kind].append(record_id)
    loaded: dict = {"event": {}, "initiative": {}, "actor": {}, "event_actors": {},
                    "initiative_actors": {}}
    if ids["event"]:
        first = (select(Occurrence.event_id, func.min(Occurrence.start_at).label("start_at"))
                 .where(Occurrence.event_id.in_(ids["event"]), Occurrence.start_at < window[1],
                        (Occurrence.end_at > window[0]) | (Occurrence.start_at >= window[0]))
                 .group_by(Occurrence.event_id).subquery())
        loaded["event"] = {row.id: row for row in session.execute(
            select(Event.id, Event.title, Event.themes, Event.department, Event.commune_name,
                   Event.city, Event.status, Event.organizer, Event.url, Event.all_day,
                   first.c.start_at).join(first, first.c.event_id == Event.id).where(listed()))}
        loaded["event_actors"] = _event_actor_names(session, ids["event"])
    if ids["initiative"]:
        loaded["initiative"] = {row.id: row for row in session.execute(
            select(Initiative.id, Initiative.title, Initiative.themes, Initiative.department,
                   Initiative.commune_name, Initiative.territory, Initiative.status,
                   Initiative.starts_on, Initiative.ends_on, Initiative.url)
            .where(Initiative.id.in_(ids["initiative"]), Initiative.removed_at.is_(None)))}
        loaded["initiative_actors"] = initiative_actor_names(session, ids["initiative"])
    if ids["actor"]:
        loaded["actor"] = {str(row.id): row for row in session.execute(
            select(Actor.id, Actor.name, Actor.themes, Actor.department, Actor.commune_name,
                   Actor.structure, Actor.kind, Actor.status, Actor.website)
            .where(Actor.id.in_([int(i) for i in ids["actor"]]), *shown_actors()))}
    return loaded


def _cells(kind: str, record_id: str, loaded: dict, context: ExportContext) -> list[str] | None:
    found = loaded[kind].get(record_id)
    if found is None:
        return None
    region, url = context.region, context.url_of(kind, record_id)
    if kind == "event":
        start = found.start_at.astimezone(context.tz)
        when = start.date().isoformat() if found.all_day else f"{start:%Y-%m-%d %H:%M}"
        actors = loaded["event_actors"].get(record_id) or (
            [found.organizer] if found.organizer else [])
        return _row(kind, record_id, found.title, url, found.themes, found.department,
                    found.commune_name or found.city, STATUS_WORDS.get(found.status, ""),
                    when, actors, found.url, region)
    if kind == "initiative":
        return _row(kind, record_id, found.title, url, found.themes, found.department,
                    found.commune_name or found.territory, STATUS_WORDS.get(found.status, ""),
                    _days(found.starts_on, found.ends_on),
                    loaded["initiative_actors"].get(record_id, []), found.url, region)
    structure = STRUCTURE_WORDS.get(found.structure or "", found.kind or "")
    status = STATUS_WORDS.get(found.status, "")
    return _row(kind, record_id, found.name, url, found.themes, found.department,
                found.commune_name, ", ".join(p for p in (structure, status) if p), "", [],
                found.website, region)


def _row(kind, record_id, title, url, themes, department, commune, state, when, actors,
         website, region: Region) -> list[str]:
    labels = [t.label_fr for slug in themes or () if (t := region.theme(slug))]
    found = region.department(department) if department else None
    return [KIND_WORDS[kind], record_id, title, url, ", ".join(labels), department or "",
            found.name if found else ("toute la région" if kind == "initiative" else ""),
            commune or "", state, when, ", ".join(actors), website or ""]


def _days(first: date | None, last: date | None) -> str:
    if first and last:
        return f"{first.isoformat()} – {last.isoformat()}"
    return first.isoformat() if first else (f"– {last.isoformat()}" if last else "")


def _event_actor_names(session: Session, event_ids: list[str]) -> dict[str, list[str]]:
    if not event_ids:
        return {}
    names: dict[str, list[str]] = {}
    rows = session.execute(select(EventActor.event_id, Actor.name).join(
        Actor, Actor.id == EventActor.actor_id).where(EventActor.event_id.in_(event_ids),
                                                      *shown_actors()).order_by(Actor.name))
    for event_id, name in rows:
        names.setdefault(event_id, []).append(name)
    return names


def _defused(cells: list[str]) -> list[str]:
    return [defuse(str(cell)) for cell in cells]
