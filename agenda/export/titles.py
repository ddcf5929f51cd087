"""Names of exported calendars and feeds, from their filters (pure; French, as the public is)."""

from __future__ import annotations

from typing import Mapping

from agenda import geography
from agenda.listing.filters import Filters
from agenda.region import Region

SITE_NAME = "Agenda commun"
MODES = {"online": "en ligne", "in_person": "sur place"}


def feed_title(filters: Filters, region: Region,
               actor_names: Mapping[int, str] | None = None) -> str:
    """"Agenda commun – Centre-Val de Loire" and what the filters keep, e.g.
    "· « repair café » · Indre-et-Loire · Réemploi · en ligne" (the actors filtered on by
    their ``actor_names`` when given, else by number)."""
    parts = [f"{SITE_NAME} – {region.name}"]
    if filters.q:
        parts.append(f"« {filters.q} »")
    parts += [_department(region, code) for code in filters.departments]
    if filters.city:
        parts.append(filters.city)
    parts += [_commune(code) for code in filters.communes]
    parts += [_theme(region, slug) for slug in filters.themes]
    if filters.sources:
        parts.append("source " + ", ".join(map(str, filters.sources)))
    if filters.actors:
        names = actor_names or {}
        parts.append("organisé par " + ", ".join(names.get(a, str(a)) for a in filters.actors))
    if filters.mode:
        parts.append(MODES.get(filters.mode, filters.mode))
    if filters.start or filters.end:
        parts.append(_period(filters))
    return " · ".join(parts)


def feed_description(region: Region) -> str:
    return (f"Les évènements de l'économie sociale et solidaire en {region.name}, "
            f"collectés auprès des acteurs par {SITE_NAME}.")


def _department(region: Region, code: str) -> str:
    department = region.department(code)
    return f"{department.name} ({code})" if department else code


def _commune(code: str) -> str:
    commune = geography.commune(code)
    return f"{commune.name} ({commune.department})" if commune else code


def _theme(region: Region, slug: str) -> str:
    theme = region.theme(slug)
    return theme.label_fr if theme else slug


def _period(filters: Filters) -> str:
    start = filters.start.strftime("%d/%m/%Y") if filters.start else "…"
    end = filters.end.strftime("%d/%m/%Y") if filters.end else "…"
    return f"du {start} au {end}"
