"""clean_record: every text field of an event record is cleaned, and its fast path never lets
a dirty record through."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agenda.records import EventRecord, Location
from agenda.records.cleaning import clean_record

START = datetime(2026, 11, 28, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
CLEAN = EventRecord(
    source_uid="uid-1@exemple.org", title="Repair café à Tours", start=START,
    timezone="Europe/Paris", rrule="FREQ=WEEKLY;COUNT=3", organizer="Répar'37",
    description_html="<p>Apportez\u00a0vos objets</p>\n<p>Merci</p>",
    description_text="Apportez vos objets\n\nMerci", url="https://exemple.org/a?b=1",
    online_url="https://visio.example.org/ess", image_url="https://exemple.org/a.jpg",
    categories=("Réemploi", "Atelier"), themes=("reemploi",), rdate=("20261205T140000",),
    location=Location(name="Ressourcerie", address="2 rue des Halles", postcode="37000",
                      city="Tours", department="37"))
FIELDS = ("source_uid", "title", "timezone", "rrule", "organizer", "description_html",
          "description_text", "url", "online_url", "image_url")
LOCATION_FIELDS = ("name", "address", "postcode", "city", "department")
DIRT = ["\x00", "\x1b", "\x07", "\x85", "\u202e", "\u200b", "\ufeff", "e\u0301"]


def test_a_clean_record_is_returned_as_it_is():
    assert clean_record(CLEAN) is CLEAN


@pytest.mark.parametrize("dirt", DIRT)
@pytest.mark.parametrize("name", FIELDS)
def test_dirt_in_any_field_is_cleaned(name, dirt):
    dirty = replace(CLEAN, **{name: getattr(CLEAN, name) + dirt})
    cleaned = clean_record(dirty)
    assert getattr(cleaned, name) == getattr(CLEAN, name) + ("é" if dirt == "e\u0301" else "")


@pytest.mark.parametrize("dirt", DIRT)
@pytest.mark.parametrize("name", LOCATION_FIELDS)
def test_dirt_in_the_place_is_cleaned(name, dirt):
    location = replace(CLEAN.location, **{name: getattr(CLEAN.location, name) + dirt})
    cleaned = clean_record(replace(CLEAN, location=location)).location
    assert getattr(cleaned, name) == getattr(CLEAN.location, name) + (
        "é" if dirt == "e\u0301" else "")


@pytest.mark.parametrize("name, value, expected", [
    ("title", "Repair  café\n", "Repair café"),
    ("title", " Repair café", "Repair café"),
    ("title", "\x00", ""),
    ("organizer", "\u202e", None),
    ("url", "https://exemple.org/a b", "https://exemple.org/a%20b"),
    ("url", " https://exemple.org/a", "https://exemple.org/a"),
    ("description_text", "a\r\nb", "a\nb"),
    ("categories", ("Réemploi ", "\u200b", "A\x00telier"), ("Réemploi", "Atelier")),
    ("rdate", ("20261205T140000\x00",), ("20261205T140000",)),
])
def test_one_line_fields_are_squeezed_and_empty_ones_dropped(name, value, expected):
    assert getattr(clean_record(replace(CLEAN, **{name: value})), name) == expected


def test_a_field_ending_with_a_space_is_seen_beside_the_next():
    location = replace(CLEAN.location, name="Ressourcerie ")
    assert clean_record(replace(CLEAN, location=location)).location.name == "Ressourcerie"
