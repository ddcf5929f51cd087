"""The offline demo's directory: made-up actors of the six departments of Centre-Val de Loire
(among them the owners of the demo sources, under the same names), imported from a GoGoCarto
map export in ``config/demo/`` as a real map would be (``services.directory_import``).
Importing it again changes nothing; a demo owner already made by its source is enriched
(its structure, SIREN, commune, themes), not doubled."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from agenda.demo import demo_dir
from agenda.region import Region
from agenda.services.directory_import import (
    DirectoryReport,
    import_directory,
    prepare_directory,
)

DEMO_MAP_FILE = "carte-ess.gogocarto.json"
DEMO_MAP_NAME = "carte-ess-demo"


def import_demo_directory(session: Session, config_dir: Path | str, *, region: Region,
                          now: datetime, categories: dict | None = None) -> DirectoryReport:
    """Import the demo map's actors (flushes; the command commits)."""
    path = demo_dir(config_dir) / DEMO_MAP_FILE
    prepared = prepare_directory(path.read_bytes(), path.name, map_name=DEMO_MAP_NAME)
    return import_directory(session, prepared, region=region, now=now, who="demo",
                            categories=categories)
