"""The commune a point lies in, from the communes' contours (``data/contours.bin.gz``, pure).

The contours are simplified (about 100 m) and rounded (about 20 m), so that two neighbours'
contours may overlap or leave a gap along their border: a point that close to another
contour is not surely in one commune (the caller may then say only the department); a point
in a gap near one contour only, or just off the only contour around (a quay the coastline
cut off), belongs to it; farther out (at sea, abroad), to none.  The file is read on first
use; each commune's rings are decoded when a point falls in its bounding box, and the last
few thousand kept.
"""

from __future__ import annotations

import gzip
import math
from functools import lru_cache
from pathlib import Path

MAGIC = b"AGC1"
BAND = 0.5  # nearer than this many simplification tolerances to another contour: unsure
COAST = 5   # bands: how far off its only contour a point still belongs to it

Ring = list[tuple[int, int]]  # (lat, lon) in quanta


class Contours:
    def __init__(self, data: bytes) -> None:
        if data[:4] != MAGIC:
            raise ValueError("not a contours file")
        self.data = data
        self.boxes: dict[str, tuple[int, int, int, int, int, int]] = {}  # + offset, length
        self.cells: dict[int, list[str]] = {}  # row * 2**20 + column -> codes
        quanta, pos = _read(data, 4)  # a degree
        tolerance, pos = _read(data, pos)
        self.band2 = float((BAND * tolerance) ** 2)  # closer to a border than this: unsure
        self.quantum = 1 / quanta
        self.cell = quanta // 20  # 0.05°
        self.margin = quanta // 200  # 500 m
        count, pos = _read(data, pos)
        south = west = 0
        for _ in range(count):
            code = data[pos:pos + 5].decode("ascii")
            dsouth, pos = _read(data, pos + 5)
            dwest, pos = _read(data, pos)
            height, pos = _read(data, pos)
            width, pos = _read(data, pos)
            length, pos = _read(data, pos)
            south, west = south + dsouth, west + dwest
            self.boxes[code] = (south, west, south + height, west + width, pos, length)
            self._file(code, south, west, south + height, west + width)
            pos += length
        self.rings = lru_cache(maxsize=4096)(self._decode)  # a region's communes, and more

    def _file(self, code: str, south: int, west: int, north: int, east: int) -> None:
        cell, margin = self.cell, self.margin
        for row in range((south - margin) // cell, (north + margin) // cell + 1):
            for col in range((west - margin) // cell, (east + margin) // cell + 1):
                self.cells.setdefault(row * 1048576 + col, []).append(code)

    def containing(self, lat: float, lon: float, among=None) -> tuple[str | None, list[str]]:
        """(the commune the point surely lies in, or None; the communes it may lie in).

        Surely: inside one contour and no other passes within BAND tolerances of it (about
        50 m); or in a gap between contours near one only; or within COAST bands of the only
        contour around (a quay the simplified coastline cut off).  Else the contours it is in
        or close to are the candidates.  ``among``: only these codes are considered."""
        y, x, margin = lat / self.quantum, lon / self.quantum, self.margin
        band = math.sqrt(self.band2)
        holding, near, banded = [], [], []
        row, col = math.floor(y) // self.cell, math.floor(x) // self.cell
        for code in self.cells.get(row * 1048576 + col, ()):
            south, west, north, east, _, _ = self.boxes[code]
            if among is not None and code not in among:
                continue
            if not (south - margin <= y <= north + margin and west - margin <= x <= east + margin):
                continue
            if south <= y <= north and west <= x <= east and _inside(self.rings(code), y, x):
                holding.append(code)
                continue
            near.append(code)
            if south - band <= y <= north + band and west - band <= x <= east + band:
                banded.append(code)  # its border may pass within the band
        if len(holding) == 1 and not banded:
            return holding[0], holding
        close = [code for code in banded if _distance2(self.rings(code), y, x) <= self.band2]
        if len(holding) == 1 and not close:
            return holding[0], holding
        if not holding and len(close) == 1 and not near[1:]:
            return close[0], close  # in a gap of the simplified coastline or border
        if not holding and not close and len(near) == 1 and \
                _distance2(self.rings(near[0]), y, x) <= COAST * COAST * self.band2:
            return near[0], near  # a quay or a beach the simplified coastline cut off
        return None, holding + close

    def _decode(self, code: str) -> list[Ring]:
        south, west, _, _, pos, _ = self.boxes[code]
        data, rings = self.data, []
        count, pos = _read(data, pos)
        for _ in range(count):
            points, pos = _read(data, pos)
            lat, lon, ring = south, west, []
            for _ in range(points):
                dlat, pos = _read(data, pos)
                dlon, pos = _read(data, pos)
                lat, lon = lat + dlat, lon + dlon
                ring.append((lat, lon))
            rings.append(ring)
        return rings


def load_contours(path: Path) -> Contours | None:
    """The contours, or None when the file is not shipped (the centres are used then)."""
    try:
        return Contours(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        return None


def _read(data: bytes, pos: int) -> tuple[int, int]:
    """The zigzag varint at ``pos`` and the position after it."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return (value >> 1) ^ -(value & 1), pos
        shift += 7


def _inside(rings: list[Ring], y: float, x: float) -> bool:
    """Even-odd rule over every ring (outer rings, holes and separate parts alike)."""
    inside = False
    for ring in rings:
        ay, ax = ring[-1]
        for by, bx in ring:
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                inside = not inside
            ay, ax = by, bx
    return inside


def _distance2(rings: list[Ring], y: float, x: float) -> float:
    """Squared distance (in quanta, longitude unscaled: close enough for a margin) from the
    point to the nearest edge."""
    best = math.inf
    for ring in rings:
        ay, ax = ring[-1]
        for by, bx in ring:
            dy, dx = by - ay, bx - ax
            length2 = dy * dy + dx * dx
            t = 0.0 if not length2 else max(0.0, min(1.0, ((y - ay) * dy + (x - ax) * dx)
                                                   / length2))
            ey, ex = ay + t * dy - y, ax + t * dx - x
            distance = ey * ey + ex * ex
            if distance < best:
                best = distance
            ay, ax = by, bx
    return best
