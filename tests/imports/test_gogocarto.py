"""The GoGoCarto export reader: what a map gives becomes rows of actors keyed by the map and the
element's id; what cannot be used is listed, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agenda.imports.gogocarto import MAX_BYTES, MAX_ELEMENTS, map_key, read_gogocarto
from agenda.imports.problems import SpreadsheetError

DATA = Path(__file__).resolve().parents[1] / "data" / "directory"


def read(content: bytes, name="carteco-ess.org"):
    return read_gogocarto(content, map_name=name)


def test_a_map_export_gives_its_actors_and_lists_the_rest():
    rows, problems = read((DATA / "carte-test.gogocarto.json").read_bytes())
    by_name = {row.label: row.values for row in rows}
    repair = by_name["Le Repair des Bords de Loire (test)"]
    assert repair["origin_key"] == "gogocarto:carteco-ess.org:a1"
    assert (repair["lat"], repair["lon"]) == (47.3941, 0.6848)
    assert (repair["postcode"], repair["city"]) == ("37100", "Tours")
    assert repair["address"] == "5 quai Paul Bert"
    assert repair["themes"] == ["Réemploi", "Repair café"]
    assert repair["website"] == "https://repair-loire.example"
    assert repair["contact_email"] == "bonjour@repair-loire.example"
    assert "Tous les samedis." in repair["description"]  # description_more follows
    assert "unknownField" not in repair and "openHours" not in repair
    grocery = by_name["Épicerie solidaire du Berry (test)"]  # "title", lat/lng as text
    assert grocery["origin_key"] == "gogocarto:carteco-ess.org:2"
    assert (grocery["lat"], grocery["lon"]) == (46.81, 1.69)
    assert grocery["themes"] == ["Alimentation durable", "Catégorie inconnue"]
    odd = next(row for row in rows if row.label.startswith("Coordonnées"))
    assert "lat" not in odd.values and [f.code for f in odd.flags] == ["directory.bad_point"]
    assert sorted((p.line, p.code) for p in problems) == [
        ("5", "gogocarto.not_object"), ("a4", "gogocarto.no_name")]


def test_a_bare_list_and_data_alone_are_read_too():
    elements = [{"id": 7, "name": "Seule (test)"}]
    assert read(json.dumps(elements).encode())[0][0].values["origin_key"] == \
        "gogocarto:carteco-ess.org:7"
    assert read(json.dumps({"data": elements}).encode())[0][0].label == "Seule (test)"


def test_html_in_a_description_is_kept_for_the_store_to_sanitise():
    rows, _ = read((DATA / "carte-test.gogocarto.json").read_bytes())
    assert "<b>ensemble</b>" in rows[0].values["description"]


@pytest.mark.parametrize("content", [b"", b"not json", b'{"data": 3}', b'"text"',
                                     b"\xff\xfe\x00", b"[" * 100_000])
def test_what_is_not_an_export_is_a_clear_error(content):
    with pytest.raises(SpreadsheetError) as error:
        read(content)
    assert error.value.code == "gogocarto.not_export"


def test_too_large_or_too_many_elements_is_refused():
    with pytest.raises(SpreadsheetError) as error:
        read(b" " * (MAX_BYTES + 1))
    assert error.value.code == "gogocarto.too_large"
    many = json.dumps([{"id": i, "name": f"n{i}"} for i in range(MAX_ELEMENTS + 1)]).encode()
    with pytest.raises(SpreadsheetError) as error:
        read(many)
    assert error.value.code == "gogocarto.too_many"


@pytest.mark.parametrize("given, key", [
    ("https://carteco-ess.org/api/elements.json", "carteco-ess.org"),
    ("Carte ESS", "carte-ess"), ("", "map"), ("transiscope.org", "transiscope.org")])
def test_a_map_is_named_by_its_host_or_its_folded_name(given, key):
    assert map_key(given) == key
