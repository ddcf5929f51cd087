"""The communes by code, by department and by the first letters of their name (a picker)."""

from __future__ import annotations

import pytest

from agenda.geography import commune, communes_in, department_name, find_communes, region_name
from agenda.geography.names import fold


@pytest.mark.parametrize("a, b", [
    ("St-Jean-de-Braye", "Saint Jean de Braye"), ("Ste-Maure-de-Touraine", "sainte maure de touraine"),
    ("ORLÉANS CEDEX 1", "Orléans"), ("Châteauneuf s/ Loire", "Châteauneuf-sur-Loire"),
    ("L’Île-Bouchard", "l'ile bouchard"), ("Mans (Le)", "Le Mans"), ("Marseille 1er", "Marseille"),
    ("Œuilly", "Oeuilly"),
])
def test_names_written_differently_fold_to_the_same(a, b):
    assert fold(a) == fold(b)


def test_different_names_stay_different():
    assert fold("Saint-Denis") != fold("Sainte-Denise")
    assert fold("Tours") != fold("Tours-en-Savoie")


def test_a_commune_by_its_insee_code():
    found = commune("36044")
    assert (found.name, found.department, found.region) == ("Châteauroux", "36", "24")
    assert found.postcodes == ("36000",)
    assert 46.7 < found.lat < 46.9 and 1.6 < found.lon < 1.8
    assert found.population > 30000
    assert commune("99999") is None and commune("") is None and commune(None) is None
    assert commune("2a004").name == "Ajaccio"


def test_the_communes_of_departments_come_in_french_alphabetical_order():
    indre = communes_in(["36"])
    names = [c.name for c in indre]
    assert len(indre) > 200 and {c.department for c in indre} == {"36"}
    assert "Châteauroux" in names and names.index("Chasseneuil") < names.index("Châteauroux")
    assert names.index("Châteauroux") < names.index("Chavin")
    assert communes_in(["99"]) == []


def test_a_picker_finds_communes_by_their_first_letters():
    assert [c.name for c in find_communes("Tou", ["37"], limit=2)] == [
        "Tours", "Tournon-Saint-Pierre"]
    assert find_communes("st jean de bra")[0].name == "Saint-Jean-de-Braye"
    assert all(c.department in ("18", "36") for c in find_communes("saint", ["18", "36"], 50))
    assert len(find_communes("saint", limit=7)) == 7
    assert find_communes("") == [] and find_communes("zzzz") == [] and find_communes("!!") == []


def test_department_and_region_names():
    assert department_name("36") == "Indre" and department_name("2A") == "Corse-du-Sud"
    assert region_name("24") == "Centre-Val de Loire"
    assert department_name("99") is None and region_name("") is None
