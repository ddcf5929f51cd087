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

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.export.campaign_csv import BOM, defuse
from agenda.finder.rows import Loaded, load_hits, shown_actors
from agenda.models import Actor, EventActor
from agenda.region import Region

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
        loaded = load_hits(session, batch, window=context.window)
        names = _event_actor_names(session, [i for k, i in batch if k == "event"])
        rows = [_defused(cells) for kind, record_id in batch
                if (cells := _cells(kind, record_id, loaded, names, context)) is not None]
        session.expunge_all()
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


def _cells(kind: str, record_id: str, loaded: Loaded, names: dict,
           context: ExportContext) -> list[str] | None:
    region, url = context.region, context.url_of(kind, record_id)
    if kind == "event":
        occurrence = loaded.events.get(record_id)
        if occurrence is None:
            return None
        event = occurrence.event
        start = occurrence.start_at.astimezone(context.tz)
        when = start.date().isoformat() if occurrence.all_day else f"{start:%Y-%m-%d %H:%M}"
        actors = names.get(record_id) or ([event.organizer] if event.organizer else [])
        return _row(kind, record_id, event.title, url, event.themes, event.department,
                    event.commune_name or event.city, STATUS_WORDS.get(event.status, ""),
                    when, actors, event.url, region)
    if kind == "initiative":
        found = loaded.initiatives.get(record_id)
        if found is None:
            return None
        return _row(kind, record_id, found.title, url, found.themes, found.department,
                    found.commune_name or found.territory, STATUS_WORDS.get(found.status, ""),
                    _days(found.starts_on, found.ends_on),
                    loaded.initiative_actors.get(record_id, []), found.url, region)
    actor = loaded.actors.get(int(record_id))
    if actor is None:
        return None
    structure = STRUCTURE_WORDS.get(actor.structure or "", actor.kind or "")
    status = STATUS_WORDS.get(actor.status, "")
    return _row(kind, record_id, actor.name, url, actor.themes, actor.department,
                actor.commune_name, ", ".join(p for p in (structure, status) if p), "", [],
                actor.website, region)


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
