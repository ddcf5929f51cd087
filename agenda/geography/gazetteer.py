"""The communes of France, loaded once per process from ``data/communes.csv.gz`` (pure reads).

The data file is derived from official open data by ``scripts/build_gazetteer.py`` (see
``data/README.md``).  Everything here is built on first use and kept: the communes by INSEE
code, by folded name, by postcode, and a grid of their centres.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from sys import intern

from agenda.geography.contours import Contours, load_contours
from agenda.geography.names import fold
from agenda.geography.nearest import CentreGrid

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class Commune:
    code: str               # INSEE code, "36044"
    name: str               # "Châteauroux"
    department: str         # "36", "2A", "974"
    region: str | None      # "24"; None for the overseas collectivities
    postcodes: tuple[str, ...]
    lat: float | None       # the centre of its area, when its contour is known
    lon: float | None
    population: int | None


class Gazetteer:
    """The indexes over the communes (built once, read only afterwards)."""

    def __init__(self, rows: Iterable[dict], names: dict[str, dict[str, str]],
                 contours_path: Path | None = None) -> None:
        self.contours_path = contours_path
        self.communes: dict[str, Commune] = {}
        self.by_name: dict[str, tuple[str, ...]] = {}
        self.by_alias: dict[str, tuple[str, ...]] = {}
        self.by_postcode: dict[str, tuple[str, ...]] = {}
        self.radius_km: dict[str, float] = {}
        self.folded: dict[str, str] = {}  # code -> folded name
        self.department_names = names.get("departements", {})
        self.region_names = names.get("regions", {})
        self.department_regions: dict[str, str | None] = {}
        aliases = []
        for row in rows:
            if row["parent"]:
                aliases.append(row)
            else:
                self._add(row)
        for row in aliases:
            self._index(self.by_alias, fold(row["name"]), row["parent"])
        self.sorted_names = sorted((name, code) for code, name in self.folded.items())

    @cached_property
    def contours(self) -> Contours | None:
        """The contours (read when coordinates are first placed), None when not shipped."""
        return load_contours(self.contours_path) if self.contours_path else None

    @cached_property
    def grid(self) -> CentreGrid:
        """The centres by grid cell (built when coordinates are first placed)."""
        return CentreGrid((c.code, c.lat, c.lon, self.radius_km[c.code])
                          for c in self.communes.values() if c.lat is not None)

    def _add(self, row: dict) -> None:
        commune = Commune(
            code=row["code"], name=row["name"], department=intern(row["department"]),
            region=intern(row["region"]) or None,
            postcodes=tuple(intern(postcode) for postcode in row["postcodes"].split()),
            lat=float(row["lat"]) if row["lat"] else None,
            lon=float(row["lon"]) if row["lon"] else None,
            population=int(row["population"]) if row["population"] else None)
        self.communes[commune.code] = commune
        self.radius_km[commune.code] = float(row["radius_km"] or 0)
        self.department_regions.setdefault(commune.department, commune.region)
        self.folded[commune.code] = fold(commune.name)
        self._index(self.by_name, self.folded[commune.code], commune.code)
        for postcode in commune.postcodes:
            self._index(self.by_postcode, postcode, commune.code)

    @staticmethod
    def _index(index: dict[str, tuple[str, ...]], key: str, code: str) -> None:
        if key and code not in index.get(key, ()):
            index[key] = index.get(key, ()) + (code,)

    def named(self, folded: str) -> tuple[str, ...]:
        """Codes of the current communes of this folded name, else of the communes that
        absorbed a former commune of that name."""
        return self.by_name.get(folded) or self.by_alias.get(folded, ())

    def prefixed(self, folded: str) -> list[str]:
        """Codes of the communes whose folded name starts with ``folded``."""
        start = bisect_left(self.sorted_names, (folded, ""))
        codes = []
        for name, code in self.sorted_names[start:]:
            if not name.startswith(folded):
                break
            codes.append(code)
        return codes


_lock = threading.Lock()
_loaded: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The gazetteer of this process (loaded on first use, in about half a second)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = load(DATA)
    return _loaded


def load(folder: Path) -> Gazetteer:
    with gzip.open(folder / "communes.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        lines = csv.reader(io.StringIO(handle.read()), delimiter=";")
        header = next(lines)
        names = json.loads((folder / "names.json").read_text("utf-8"))
        return Gazetteer((dict(zip(header, line)) for line in lines), names,
                         folder / "contours.bin.gz")
