"""The commune a point falls in, from the communes' centres, through a grid (pure).

A commune is known by its centre and the radius of the disc of its area, not by its contour:
a point belongs to the commune whose centre is nearest relative to that radius, and only when
it lies within about that radius (a point at sea or abroad belongs to none).  Each commune is
filed in every grid cell its disc of reach overlaps, so a point looks in its own cell only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

CELL = 0.1          # degrees
SLACK_KM = 1.0      # added to every radius: small communes are rarely round
REACH = 1.25        # how many (radius + slack) from its centre a point may lie
KM_PER_DEGREE = 111.195

# Where French communes are: metropolitan France with Corsica, then overseas.
BOXES = (
    (41.3, 51.2, -5.3, 9.7), (15.8, 16.6, -61.9, -60.9), (14.3, 14.95, -61.3, -60.75),
    (2.0, 5.9, -54.7, -51.5), (-21.45, -20.8, 55.1, 55.9), (-13.1, -12.5, 44.9, 45.35),
    (46.7, 47.2, -56.5, -56.1), (17.85, 18.15, -63.2, -62.75),
)


def in_france(lat: float, lon: float) -> bool:
    for south, north, west, east in BOXES:
        if south <= lat <= north and west <= lon <= east:
            return True
    return False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, exact enough at the scale of a commune."""
    x = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return KM_PER_DEGREE * math.hypot(x, lat2 - lat1)


class CentreGrid:
    def __init__(self, centres: Iterable[tuple[str, float, float, float]]) -> None:
        # cell -> [(code, lat, lon, (reach in degrees of latitude)²)]
        self.cells: dict[tuple[int, int], list[tuple[str, float, float, float]]] = {}
        for code, lat, lon, radius in centres:
            reach = REACH * (radius + SLACK_KM) / KM_PER_DEGREE  # degrees of latitude
            wide = reach / max(math.cos(math.radians(lat)), 0.1)  # degrees of longitude
            entry = (code, lat, lon, reach * reach)
            for row in range(math.floor((lat - reach) / CELL), math.floor((lat + reach) / CELL) + 1):
                for col in range(math.floor((lon - wide) / CELL),
                                 math.floor((lon + wide) / CELL) + 1):
                    self.cells.setdefault((row, col), []).append(entry)

    def nearest(self, lat: float, lon: float) -> str | None:
        """Code of the commune this point falls in, or None."""
        if not in_france(lat, lon):
            return None
        candidates = self.cells.get((math.floor(lat / CELL), math.floor(lon / CELL)))
        if not candidates:
            return None
        shrink = math.cos(math.radians(lat))
        best, best_score = None, 1.0
        for code, clat, clon, reach2 in candidates:
            dx = (lon - clon) * shrink
            dy = lat - clat
            score = (dx * dx + dy * dy) / reach2
            if score <= best_score:
                best, best_score = code, score
        return best
