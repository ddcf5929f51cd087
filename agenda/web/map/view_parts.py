"""What the map page needs beside its records: the form as typed, the region's extent."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import request

from agenda import geography
from agenda.web import state
from agenda.web.public.listing import current_region, form_values


def map_form_values() -> dict:
    """The listing form's values as typed, the kinds and the actors asked for beside them."""
    values = form_values()
    values["kind"] = [value.strip().lower() for value in request.args.getlist("kind")]
    values.setdefault("actor", request.args.getlist("actor"))
    return values


def region_bounds() -> str:
    """'south,west,north,east' of the region's communes: the map's view when nothing is
    placed."""
    return _bounds(Path(state().settings.region_file), tuple(
        d.code for d in current_region().departments))


@lru_cache(maxsize=8)
def _bounds(_region_file: Path, departments: tuple[str, ...]) -> str:
    points = [(c.lat, c.lon) for c in geography.communes_in(departments)
              if c.lat is not None and c.lon is not None]
    if not points:
        return "41.3,-5.2,51.1,9.6"  # metropolitan France
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return f"{min(lats):.4f},{min(lons):.4f},{max(lats):.4f},{max(lons):.4f}"
