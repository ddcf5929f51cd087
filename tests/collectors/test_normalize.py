"""Pure normalisation helpers: places, departments, themes."""

from datetime import datetime, timezone

import pytest

from agenda.collectors.normalize import (
    department_from_postcode,
    parse_location,
    valid_point,
    with_themes,
)
from agenda.records import EventRecord
from agenda.region import cached_region
from agenda.settings import load_settings


@pytest.mark.parametrize("postcode, department", [
    ("45000", "45"), ("18100", "18"), ("37400", "37"), ("01000", "01"), ("20000", "2A"),
    ("20190", "2A"), ("20200", "2B"), ("97400", "974"), ("98000", "980"),
    ("4500", None), ("", None), (None, None), ("ABCDE", None), ("00100", None),
])
def test_department_from_postcode(postcode, department):
    assert department_from_postcode(postcode) == department


@pytest.mark.parametrize("text, expected", [
    ("Salle des fêtes, 12 rue Bannier, 45000 Orléans",
     ("Salle des fêtes", "12 rue Bannier", "45000", "Orléans", "45")),
    ("Tiers-lieu La Fabrique 41100 Vendôme", ("Tiers-lieu La Fabrique", None, "41100", "Vendôme", "41")),
    ("3 place de la Gare, 36000 Châteauroux", (None, "3 place de la Gare", "36000", "Châteauroux", "36")),
    ("En ligne", ("En ligne", None, None, None, None)),
    ("  ", (None, None, None, None, None)),
])
def test_free_text_locations_are_split(text, expected):
    loc = parse_location(text)
    assert (loc.name, loc.address, loc.postcode, loc.city, loc.department) == expected


def test_themes_come_from_categories_and_title():
    region = cached_region(load_settings(env={}).region_file)
    start = datetime(2026, 11, 21, tzinfo=timezone.utc)
    repair = EventRecord(source_uid="1", title="Repair café du samedi", start=start)
    forum = EventRecord(source_uid="2", title="Forum", start=start,
                        categories=("Mois de l'ESS", "Finance solidaire"))
    assert with_themes(repair, region).themes == ("reemploi",)
    assert set(with_themes(forum, region).themes) == {"mois-ess", "finance-solidaire"}


@pytest.mark.parametrize("lat, lon, point", [
    (47.3941, 0.6848, (47.3941, 0.6848)),
    ("47.3941", "0.6848", (47.3941, 0.6848)),  # as the JSON APIs and feeds often write them
    (0, 0, (None, None)),  # an unset field in many CMS
    (91, 2, (None, None)), (47, 181, (None, None)),
    ("nan", "2", (None, None)), (None, 2, (None, None)), ("", "", (None, None)),
    ([47], 2, (None, None)),
])
def test_coordinates_are_a_point_on_earth_or_nothing(lat, lon, point):
    assert valid_point(lat, lon) == point
