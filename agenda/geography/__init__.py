"""French communes, departments and regions, known offline (pure: no Flask, no network).

The public interface (other packages code against exactly this):

- ``Commune`` (code, name, department, region, postcodes, lat, lon, population) and
  ``Place`` (commune_code, commune_name, department, region; each None when unknown);
- ``locate(*, postcode, city, lat, lon, department) -> Place`` (see ``locate.py`` for rules);
- ``commune(code)``, ``communes_in(departments)``, ``find_communes(text, departments, limit)``,
  ``department_name(code)``, ``region_name(code)``.

The data are loaded on first use, once per process (``gazetteer.get_gazetteer()``).
"""

from __future__ import annotations

from collections.abc import Iterable

from agenda.geography.gazetteer import Commune, get_gazetteer
from agenda.geography.locate import Place, locate
from agenda.geography.names import fold

__all__ = ["Commune", "Place", "commune", "communes_in", "department_name", "find_communes",
           "locate", "region_name"]


def commune(code: str | None) -> Commune | None:
    """The current commune of this INSEE code, or None."""
    return get_gazetteer().communes.get((code or "").strip().upper()) if code else None


def communes_in(departments: Iterable[str]) -> list[Commune]:
    """The communes of these departments, in French alphabetical order."""
    gaz = get_gazetteer()
    wanted = {code.strip().upper() for code in departments if code}
    found = [c for c in gaz.communes.values() if c.department in wanted]
    return sorted(found, key=lambda c: (gaz.folded[c.code], c.code))


def find_communes(text: str | None, departments: Iterable[str] | None = None,
                  limit: int = 10) -> list[Commune]:
    """Communes whose name starts with ``text`` (folded), the exact name first, then the most
    populous: what a commune picker offers as one types."""
    gaz = get_gazetteer()
    folded = fold(text)
    if not folded or limit <= 0:
        return []
    wanted = {code.strip().upper() for code in departments if code} if departments else None
    found = [gaz.communes[code] for code in gaz.prefixed(folded)]
    if wanted is not None:
        found = [c for c in found if c.department in wanted]
    found.sort(key=lambda c: (gaz.folded[c.code] != folded, -(c.population or 0),
                              gaz.folded[c.code], c.code))
    return found[:limit]


def department_name(code: str | None) -> str | None:
    """"Indre" for "36"; None for an unknown code."""
    return get_gazetteer().department_names.get((code or "").strip().upper())


def region_name(code: str | None) -> str | None:
    """"Centre-Val de Loire" for "24"; None for an unknown code."""
    return get_gazetteer().region_names.get((code or "").strip())
