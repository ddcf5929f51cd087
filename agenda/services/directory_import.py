"""The one orchestrator of a directory import (the CRESS's lists of actors or initiatives as
CSV/XLSX, or a GoGoCarto map's JSON export): read -> map -> rows -> preview; then store each
row -> report -> audit.  Used by ``agenda import-directory`` and the staff page.

Tolerant per row, strict per file: a file that cannot be read imports nothing
(``SpreadsheetError``); a row without a name (or title) is refused and reported; an invalid
SIREN, SIRET or RNA number does not refuse the row: the actor is kept, the number left aside
in ``Actor.flags`` for staff (``agenda.services.actors.save_actor(..., flag_invalid=True)``).
A row finds its record again by its key: an actor's SIREN, else its RNA number, else its
folded name and postcode (``import:<key>``; ``gogocarto:<map>:<id>`` for a map's element); an
initiative's identifier, else its folded title and lead actor.  Importing the same file again
changes nothing.  Flushes, never commits: the request or the command commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.collectors.sanitize import html_to_text, looks_like_html, sanitize_html, text_to_html
from agenda.imports.category_themes import mapped_themes
from agenda.imports.directory_mapping import (
    DirectoryMapping,
    guess_columns,
    guess_kind,
    header_key,
    initiative_status,
    structure_of,
)
from agenda.imports.directory_rows import (
    DirectoryLines,
    DirectoryRow,
    RowProblem,
    actor_key,
    read_directory_rows,
)
from agenda.imports.gogocarto import looks_like_gogocarto, map_key, read_gogocarto
from agenda.imports.table import Table, read_table
from agenda.records.identifiers import check_numbers, siren
from agenda.records.placing import place_values
from agenda.region import Region
from agenda.store.audit import add_audit
from agenda.store.changes import bump_data_version

log = logging.getLogger(__name__)

ACTOR_VALUES = ("name", "structure", "approvals", "siren", "siret", "rna", "website", "themes",
                "description", "contact_email", "contact_phone", "address", "postcode", "city",
                "lat", "lon")
# What an actor's record is compared on to tell "updated" from "unchanged"
SNAPSHOT = ("name", "structure", "approvals", "siren", "siret", "rna", "website", "themes",
            "description_html", "contact_email", "contact_phone", "address", "postcode",
            "commune_code", "department", "lat", "lon", "flags", "origin_key", "removed_at")


@dataclass
class DirectoryPrepared:
    """A file read and mapped, not stored: what the preview shows and the import stores."""

    filename: str
    file_format: str  # "csv" | "xlsx" | "gogocarto"
    kind: str  # "actors" | "initiatives"
    lines: DirectoryLines
    table: Table | None = None
    mapping: DirectoryMapping = field(default_factory=dict)
    map_name: str | None = None


@dataclass
class FlaggedRow:
    line: int | str
    label: str
    problems: list[RowProblem]


@dataclass
class DirectoryReport:
    filename: str
    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: list[FlaggedRow] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)


def prepare_directory(content: bytes, filename: str, *, kind: str | None = None,
                      mapping: DirectoryMapping | None = None,
                      map_name: str | None = None) -> DirectoryPrepared:
    """Read the file (a GoGoCarto export when it is JSON), guess what it lists and its
    columns unless given, read every row.  ``SpreadsheetError`` when nothing can be read."""
    if looks_like_gogocarto(content, filename):
        name = map_key(map_name or filename.rsplit(".", 1)[0])
        rows, problems = read_gogocarto(content, map_name=name)
        return DirectoryPrepared(filename, "gogocarto", "actors",
                                 DirectoryLines(rows, problems), map_name=name)
    table = read_table(content, filename)
    kind = kind if kind in ("actors", "initiatives") else guess_kind(table.headers)
    mapping = guess_columns(table.headers, kind) if mapping is None else mapping
    return DirectoryPrepared(filename, table.kind, kind,
                             read_directory_rows(table, kind, mapping), table, mapping)


def import_directory(session: Session, prepared: DirectoryPrepared, *, region: Region,
                     now: datetime, who: str, user_id: int | None = None,
                     categories: dict | None = None) -> DirectoryReport:
    """Store every row of ``prepared`` (flushes); the report says what each row did.
    ``categories``: what other words mean as themes (the region file's
    ``[gogocarto.categories]``, ``imports.category_themes.category_table``)."""
    report = DirectoryReport(prepared.filename, prepared.kind,
                             len(prepared.lines.rows) + len(prepared.lines.refused),
                             refused=list(prepared.lines.refused))
    seen: dict[str, int | str] = {}
    origin = "gogocarto" if prepared.file_format == "gogocarto" else "import"
    folded = _folded_names(session) if prepared.kind == "initiatives" else {}
    for row in prepared.lines.rows:
        key = (_actor_key(row) if prepared.kind == "actors" else _initiative_key(row))
        if key in seen:
            report.refused.append(RowProblem(row.line, "directory.duplicate",
                                             {"other": seen[key]}))
            continue
        seen[key] = row.line
        if prepared.kind == "actors":
            what, problems = _store_actor(session, row, key, origin, region, now,
                                          categories or {})
        else:
            what, problems = _store_initiative(session, row, key, region, now, folded,
                                               categories or {})
        setattr(report, what, getattr(report, what) + 1)
        if problems:
            report.flagged.append(FlaggedRow(row.line, row.label, problems))
    if report.created or report.updated:
        bump_data_version(session)
    _audit(session, report, prepared, who=who, user_id=user_id, now=now)
    log.info("directory import of %s: %s created, %s updated, %s unchanged, %s flagged, %s "
             "refused", prepared.filename, report.created, report.updated, report.unchanged,
             len(report.flagged), len(report.refused))
    return report


# --- Actors ----------------------------------------------------------------------------------

def _actor_key(row: DirectoryRow) -> str:
    if row.values.get("origin_key"):
        return row.values["origin_key"]
    numbers, _ = check_numbers(siren_value=row.values.get("siren"),
                               siret_value=row.values.get("siret"),
                               rna_value=row.values.get("rna"))
    return ("import:" + actor_key(row.values, numbers))[:500]


def actor_values(row: DirectoryRow, region: Region, categories: dict | None = None) -> dict:
    """The values ``save_actor`` is given: its kind of structure and themes recognised here."""
    values = {k: row.values[k] for k in ACTOR_VALUES if k in row.values}
    if "structure" in values:
        values["structure"] = structure_of(values["structure"])
    if "themes" in values:
        values["themes"] = themes_of(values["themes"], region, categories)
    return values


def themes_of(words: list[str], region: Region, categories: dict | None = None) -> list[str]:
    """The region's theme slugs that words name (a slug, a label or a keyword, or a category
    of the region file's table)."""
    slugs = {w for w in words if region.theme(w)} | set(region.themes_for(words))
    slugs |= mapped_themes(words, categories or {}, region)
    return [t.slug for t in region.themes if t.slug in slugs]


def _store_actor(session: Session, row: DirectoryRow, key: str, origin: str, region: Region,
                 now: datetime, categories: dict) -> tuple[str, list[RowProblem]]:
    from agenda.services.actors import save_actor  # the actors' one door (written beside)
    from agenda.store.actors import find_actor

    values = actor_values(row, region, categories)
    numbers, _ = check_numbers(siren_value=values.get("siren"), siret_value=values.get("siret"),
                               rna_value=values.get("rna"))
    existing = find_actor(session, siren=numbers["siren"], rna=numbers["rna"], origin_key=key,
                          name=values.get("name"))
    before = _snapshot(existing) if existing is not None else None
    stamp = existing.updated_at if existing is not None else None
    actor, problems = save_actor(session, values, origin=origin, status="to_check",
                                 origin_key=key, flag_invalid=True, region=region, now=now)
    flags = row.flags + [RowProblem(row.line, p["code"], {"value": p.get("value", "")})
                         for p in problems]
    if before is None or actor is not existing:  # new, or another organisation of that name
        return "created", flags
    if _snapshot(actor) == before:
        actor.updated_at = stamp  # nothing changed: the record says so
        session.flush()
        return "unchanged", flags
    return "updated", flags


def _snapshot(actor) -> tuple:
    return tuple(repr(getattr(actor, name)) for name in SNAPSHOT)


# --- Initiatives -----------------------------------------------------------------------------

def _initiative_key(row: DirectoryRow) -> str:
    values = row.values
    if values.get("identifier"):
        return f"import:initiative:{header_key(values['identifier'])}"[:500]
    lead = values.get("porteur_siren") or values.get("porteur") or ""
    return f"import:initiative:{header_key(values['title'])}:{header_key(lead)}"[:500]


def _folded_names(session: Session) -> dict[str, int]:
    """Every shown actor's folded name -> its id (a lead actor written "LE GRENIER SOLIDAIRE"
    is "Le Grenier solidaire"); read once per import."""
    from agenda.models import Actor

    rows = session.execute(select(Actor.id, Actor.name).where(Actor.removed_at.is_(None),
                                                              Actor.status != "proposed"))
    return {header_key(name): actor_id for actor_id, name in rows}


def _lead_actor(session: Session, values: dict, folded: dict[str, int]):
    """The lead actor by SIREN, else by its exact name, else by its folded name."""
    from agenda.models import Actor
    from agenda.store.actors import find_actor

    owner = find_actor(session, siren=siren(values.get("porteur_siren")),
                       name=values.get("porteur"))
    if owner is None and values.get("porteur"):
        actor_id = folded.get(header_key(values["porteur"]))
        owner = session.get(Actor, actor_id) if actor_id else None
    return owner


def _store_initiative(session: Session, row: DirectoryRow, key: str, region: Region,
                      now: datetime, folded: dict[str, int],
                      categories: dict) -> tuple[str, list[RowProblem]]:
    from agenda.store.initiative_sync import upsert_initiative

    values, flags = row.values, list(row.flags)
    owner = _lead_actor(session, values, folded)
    if owner is None and (values.get("porteur") or values.get("porteur_siren")):
        flags.append(RowProblem(row.line, "directory.no_porteur",
                                {"value": values.get("porteur") or values["porteur_siren"]}))
    _, what = upsert_initiative(session, key,
                                initiative_values(values, owner, region, categories),
                                owner=owner, now=now)
    return {"new": "created"}.get(what, what), flags


def initiative_values(values: dict, owner, region: Region,
                      categories: dict | None = None) -> dict:
    """The columns of an imported initiative."""
    description = values.get("description", "")
    html = sanitize_html(description) if looks_like_html(description) else \
        text_to_html(description)
    territory = values.get("territory")
    if territory or values.get("postcode"):
        place = place_values(city=territory, postcode=values.get("postcode"))
    else:
        place = {"commune_code": None, "commune_name": None,
                 "department": owner.department if owner else None}
    url = values.get("url", "")
    return {"title": values["title"], "description_html": html,
            "description_text": html_to_text(html),
            "url": url if url.lower().startswith(("http://", "https://")) else None,
            "themes": themes_of(values.get("themes", []), region, categories),
            "starts_on": values.get("starts_on"), "ends_on": values.get("ends_on"),
            "territory": territory, **place, "actor_id": owner.id if owner else None,
            "status": initiative_status(values.get("status"))}


def _audit(session: Session, report: DirectoryReport, prepared: DirectoryPrepared, *, who: str,
           user_id: int | None, now: datetime) -> None:
    detail = {"file": prepared.filename, "format": prepared.file_format, "kind": report.kind,
              "rows": report.rows, "created": report.created, "updated": report.updated,
              "unchanged": report.unchanged, "flagged": len(report.flagged),
              "refused": len(report.refused)}
    add_audit(session, action="directory_import", who=who, user_id=user_id, now=now,
              detail=detail)
