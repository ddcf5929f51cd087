"""The commune and department of an event's place, filled in offline (pure).

``place_record`` is called on every stored event, right after ``cleaning.clean_record``
(``store.events``: the one door of collected and published events).  It says
nothing false: when the gazetteer cannot tell the commune, the commune stays empty and the
department is the one the postcode gives (as before), or none when that is not a real one.
"""

from __future__ import annotations

from dataclasses import replace

from agenda.geography import commune, department_name, locate
from agenda.records import EventRecord, Location


def place_record(record: EventRecord) -> EventRecord:
    """``record`` with its place's commune and department (the same object when known)."""
    location = place_location(record.location)
    return record if location is record.location else replace(record, location=location)


def place_location(location: Location) -> Location:
    """``location`` with its commune and department (the same object when nothing changes)."""
    values = place_values(postcode=location.postcode, city=location.city, lat=location.lat,
                          lon=location.lon, department=location.department,
                          commune_code=location.commune_code)
    changes = {name: value for name, value in values.items()
               if getattr(location, name) != value}
    return replace(location, **changes) if changes else location


def place_values(*, postcode=None, city=None, lat=None, lon=None, department=None,
                 commune_code=None) -> dict:
    """{"commune_code", "commune_name", "department"} for these values.

    A commune code the source gave (an INSEE code the gazetteer knows) is kept; else the
    commune is located; a department stays only when it is a real one the place does not
    contradict.
    """
    known = commune(commune_code)
    if known is None:
        place = locate(postcode=postcode, city=city, lat=lat, lon=lon, department=department)
        code, name, found_department = place.commune_code, place.commune_name, place.department
    else:
        code, name, found_department = known.code, known.name, known.department
    if found_department is None and department_name(department) is not None:
        found_department = department.strip().upper()
    return {"commune_code": code, "commune_name": name, "department": found_department}


def territory_commune(territory: str | None, department: str | None) -> tuple[str | None,
                                                                             str | None]:
    """(INSEE code, name) of the commune an initiative's territory names ("Tours", "Saint-Jean-
    de-Braye (45)"), or (None, None) for a wider or unknown territory ("Pays Loire Touraine")."""
    if not territory:
        return None, None
    place = locate(city=territory, department=department)
    return place.commune_code, place.commune_name
