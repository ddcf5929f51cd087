"""Where is this place? Its commune, department and region from what a source says (pure).

Rules, in order; each says nothing rather than something false:

- a postcode the communes are known by: with a city, the commune of that postcode whose name
  matches; alone, its only commune; else, when coordinates are given, the nearest of its
  communes; else the department all its communes share (never a commune picked at random);
- a city name (after any unknown postcode, e.g. a CEDEX one, which only narrows it to the
  department it starts with, when that department exists): the only commune of that name in
  France, or in ``department``, or the one of that name nearest to the coordinates; when
  several remain, only their department if they all share one;
- coordinates alone: the commune whose contour holds them (within France; and within the
  department given, if one is).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from agenda.geography.gazetteer import Gazetteer, get_gazetteer
from agenda.geography.names import fold
from agenda.geography.nearest import distance_km, in_france

_POSTCODE = re.compile(r"\b(\d{5})\b")
_CITY_POSTCODE = re.compile(r"^\s*(\d{5})\s+|\s+(\d{5})\s*$")
_CITY_DEPARTMENT = re.compile(r"\s*\(\s*(\d{2,3}|2[ab])\s*\)\s*$", re.IGNORECASE)
HOMONYM_REACH_KM = 15.0  # how far from its centre a point may still choose among homonyms


@dataclass(frozen=True)
class Place:
    commune_code: str | None = None
    commune_name: str | None = None
    department: str | None = None
    region: str | None = None


NOWHERE = Place()


def locate(*, postcode: str | None = None, city: str | None = None, lat: float | None = None,
           lon: float | None = None, department: str | None = None) -> Place:
    """The place these values describe, as far as it can be known offline."""
    point = _point(lat, lon)
    postcode, city, department = _text(postcode), _text(city), _text(department)
    if point is None:
        return _locate_named(postcode, city, department)
    return _locate(get_gazetteer(), postcode, city, department, point)


@lru_cache(maxsize=65536)
def _locate_named(postcode: str, city: str, department: str) -> Place:
    return _locate(get_gazetteer(), postcode, city, department, None)


def _locate(gaz: Gazetteer, postcode: str, city: str, department: str,
            point: tuple[float, float] | None) -> Place:
    name, city_postcode, city_department = _split_city(city) if city else ("", "", "")
    code = _postcode(postcode) or city_postcode
    hint = _department(gaz, department) or _department(gaz, city_department)
    codes = gaz.by_postcode.get(code, ()) if code else ()
    if codes:
        return _by_postcode(gaz, codes, name, point)
    if code and not hint:
        hint = _department(gaz, _department_of_postcode(code))
    if name:
        place = _by_name(gaz, name, hint, point)
        if place is not None:
            return place
    if point is not None:
        return _by_point(round(point[0], 5), round(point[1], 5), hint)  # about a metre
    return NOWHERE


@lru_cache(maxsize=16384)  # events of a collection share their venues
def _by_point(lat: float, lon: float, hint: str | None) -> Place:
    """The commune the point lies in; near a border between two communes of one department,
    that department only; nothing that contradicts the department given."""
    gaz = get_gazetteer()
    code, candidates = _containing(gaz, (lat, lon))
    place = _commune(gaz, code) if code else _shared_department(gaz, candidates)
    return place if hint in (None, place.department) else NOWHERE


def _by_postcode(gaz: Gazetteer, codes: tuple[str, ...], name: str,
                 point: tuple[float, float] | None) -> Place:
    if name:
        named = gaz.by_name.get(name, ()) + gaz.by_alias.get(name, ())
        matching = [c for c in codes if c in named] or [c for c in codes if _starts(gaz, c, name)]
        if len(matching) == 1:
            return _commune(gaz, matching[0])
        if not matching and len(codes) == 1 and not gaz.named(name):
            return _commune(gaz, codes[0])  # a hamlet or a quarter of that one commune
    elif len(codes) == 1:
        return _commune(gaz, codes[0])
    return _among(gaz, codes, point)


def _among(gaz: Gazetteer, codes: tuple, point: tuple[float, float] | None) -> Place | None:
    """Several communes fit: the one the coordinates choose, else only what they share."""
    if point is not None:
        chosen = _nearest_of(gaz, codes, point)
        if chosen is not None:
            return _commune(gaz, chosen)
    return _shared_department(gaz, codes)


def _by_name(gaz: Gazetteer, name: str, hint: str | None,
             point: tuple[float, float] | None) -> Place | None:
    codes = gaz.named(name)
    if hint:
        codes = tuple(c for c in codes if gaz.communes[c].department == hint)
    if not codes:
        return None
    if len(codes) == 1:
        return _commune(gaz, codes[0])
    return _among(gaz, codes, point)


def _containing(gaz: Gazetteer, point: tuple[float, float],
                among=None) -> tuple[str | None, list[str]]:
    """(the commune whose contour surely holds the point, the candidates); by the centres when
    no contour is shipped."""
    if not in_france(*point):
        return None, []
    if gaz.contours is not None:
        return gaz.contours.containing(*point, among=among)
    code = gaz.grid.nearest(*point) if among is None else None
    return code, [code] if code else []


def _nearest_of(gaz: Gazetteer, codes, point: tuple[float, float]) -> str | None:
    """The one of ``codes`` whose contour holds the point, else whose centre is nearest to
    it, if the point is near it."""
    inside, candidates = _containing(gaz, point, among=set(codes))
    if inside is not None or candidates:
        return inside  # within the contours: sure, or not
    scored = []
    for code in codes:
        commune = gaz.communes[code]
        if commune.lat is not None:
            km = distance_km(point[0], point[1], commune.lat, commune.lon)
            scored.append((km - gaz.radius_km[code], code))
    if not scored:
        return None
    km, code = min(scored)
    return code if km <= HOMONYM_REACH_KM else None


def _starts(gaz: Gazetteer, code: str, name: str) -> bool:
    """"orleans la source" names the commune Orléans (a quarter after the commune's name)."""
    return name.startswith(gaz.folded[code] + " ")


def _commune(gaz: Gazetteer, code: str | None) -> Place:
    if code is None:
        return NOWHERE
    commune = gaz.communes[code]
    return Place(commune.code, commune.name, commune.department, commune.region)


def _shared_department(gaz: Gazetteer, codes) -> Place:
    departments = {gaz.communes[code].department for code in codes}
    if len(departments) != 1:
        return NOWHERE
    department = departments.pop()
    return Place(department=department, region=gaz.department_regions.get(department))


def _split_city(city: str) -> tuple[str, str, str]:
    """(folded name, postcode, department) of "37000 Tours", "Tours (37)", "Tours"."""
    department = ""
    match = _CITY_DEPARTMENT.search(city)
    if match:
        department, city = match.group(1), city[:match.start()]
    postcode = ""
    match = _CITY_POSTCODE.search(city)
    if match:
        postcode = match.group(1) or match.group(2)
        city = city[:match.start()] + " " + city[match.end():]
    return fold(city), postcode, department


def _postcode(text: str) -> str:
    match = _POSTCODE.search(text)
    return match.group(1) if match else ""


def _department(gaz: Gazetteer, code: str | None) -> str | None:
    code = (code or "").strip().upper()
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    return code if code in gaz.department_regions else None


def _department_of_postcode(code: str) -> str:
    if code.startswith("20"):
        return "2A" if code < "20200" else "2B"
    return code[:3] if code.startswith(("97", "98")) else code[:2]


def _text(value) -> str:
    """Sources hand over strings, sometimes numbers (a postcode read as 37000)."""
    if isinstance(value, str):
        return value[:300]
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""


def _point(lat, lon) -> tuple[float, float] | None:
    if lat is None or lon is None:
        return None
    try:
        point = (float(lat), float(lon))
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) and -180.0 <= v <= 180.0 for v in point):
        return None
    return point
