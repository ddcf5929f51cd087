"""Spreadsheet import benchmark: a CSV of N lines imported end to end into SQLite.

Writes a French CSV as a spreadsheet program saves it (Windows-1252, semicolons, a header
line, day-first dates, "14h30" times, an identifier column), then times each stage of
``agenda import``: reading the table, reading the lines into records, and the store (themes,
upsert, run, audit, commit) plus the search index, into a fresh SQLite database in a throw-away
instance.  A second import of the same file (nothing changes) is timed too.  Prints lines/s.

    python benchmarks/csv_import.py [--lines N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate_ics import CITIES, KINDS, THEMES  # noqa: E402

from agenda.db import make_engine, make_session_factory  # noqa: E402
from agenda.imports.mapping import guess_mapping  # noqa: E402
from agenda.imports.rows import read_lines  # noqa: E402
from agenda.imports.table import read_table  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.services import spreadsheet_import  # noqa: E402
from agenda.services.spreadsheet_import import Prepared, import_spreadsheet  # noqa: E402
from agenda.settings import load_settings  # noqa: E402

HEADER = ("Identifiant;Titre;Date de début;Heure;Heure de fin;Lieu;Adresse;Code postal;Ville;"
          "Organisateur;Description;Lien;Catégories")


def sheet(lines: int, seed: int = 7) -> bytes:
    """A CSV of ``lines`` events, in Windows-1252 as Excel saves it in France."""
    rng = random.Random(seed)
    first = date(2026, 9, 1)
    rows = [HEADER]
    for index in range(lines):
        city, postcode = rng.choice(CITIES)
        day = first + timedelta(days=rng.randrange(300))
        hour = rng.randrange(8, 20)
        rows.append(";".join([
            f"ev-{index}", f"{rng.choice(KINDS)} n°{index}", day.strftime("%d/%m/%Y"),
            f"{hour}h30", f"{hour + 2}h", f"Tiers-lieu de {city}", "1 rue de la Paix", postcode,
            city, f"Association {index % 97}",
            f'"{rng.choice(THEMES)} : venez nombreux ; entrée libre."',
            f"https://agenda-exemple.fr/evenement/{index}", rng.choice(THEMES)]))
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")


def timed(run):
    began = time.perf_counter()
    value = run()
    return value, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    content = sheet(args.lines)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(env={}, instance_path=Path(folder),
                                 database_url=f"sqlite:///{folder}/agenda.sqlite3")
        engine = make_engine(settings)
        upgrade_database(engine)
        factory = make_session_factory(engine)
        print(f"file: {len(content) / 1e6:.1f} MB, {args.lines} lines, into SQLite, "
              "with the search index")
        for label in ("first import (all new)", "same file again (nothing changes)"):
            report, stages = _import(factory, settings, content)
            total = sum(stages.values())
            print(f"{label}: {total:.2f} s, {args.lines / total:,.0f} lines/s "
                  f"({report.new} new, {report.unchanged} unchanged, {report.refused} refused)")
            print("   " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))
        engine.dispose()


def _import(factory, settings, content: bytes):
    table, read = timed(lambda: read_table(content, "programme.csv"))
    mapping = guess_mapping(table.headers)
    lines, rows = timed(lambda: read_lines(table, mapping, tz=settings.tz))
    assert not lines.errors, [e.message for e in lines.errors[:3]]
    prepared = Prepared("programme.csv", table, mapping, lines)
    indexing = _timed_index()
    report, stored = timed(lambda: import_spreadsheet(
        factory, settings, prepared, source_name="Benchmark", now=_now(), who="benchmark"))
    return report, {"read the table": read, "read the lines": rows,
                    "store (one transaction)": stored - indexing[0],
                    "search index": indexing[0]}


def _timed_index() -> list[float]:
    """The time the orchestrator spends bringing the search index in line (measured apart)."""
    spent, index_source = [0.0], spreadsheet_import.index_source

    def timed_index(*args, **kwargs):
        began = time.perf_counter()
        try:
            return index_source(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - began
            spreadsheet_import.index_source = index_source
    spreadsheet_import.index_source = timed_index
    return spent


def _now() -> datetime:
    return datetime.now(timezone.utc)


if __name__ == "__main__":
    main()
