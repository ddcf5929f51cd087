"""Where is this place? Real communes of Centre-Val de Loire and France, and bad input that
must say nothing false (no department rather than a wrong one)."""

from __future__ import annotations

import pytest

from agenda.geography import Place, locate


def place(code, name, department, region):
    return Place(commune_code=code, commune_name=name, department=department, region=region)


CHATEAUROUX = place("36044", "Châteauroux", "36", "24")
TOURS = place("37261", "Tours", "37", "24")
SAINT_JEAN_DE_BRAYE = place("45284", "Saint-Jean-de-Braye", "45", "24")
ORLEANS = place("45234", "Orléans", "45", "24")
BOURGES = place("18033", "Bourges", "18", "24")
NOTHING = Place()


@pytest.mark.parametrize("given, expected", [
    ({"city": "Châteauroux"}, CHATEAUROUX),
    ({"city": "CHATEAUROUX"}, CHATEAUROUX),
    ({"city": "TOURS", "postcode": "37000"}, TOURS),
    ({"city": "Tours", "postcode": "37100"}, TOURS),
    ({"city": "St-Jean-de-Braye"}, SAINT_JEAN_DE_BRAYE),
    ({"city": "Saint Jean de Braye"}, SAINT_JEAN_DE_BRAYE),
    ({"city": "saint-jean-de-braye", "postcode": "45800"}, SAINT_JEAN_DE_BRAYE),
    ({"city": "Orléans cedex 1"}, ORLEANS),
    ({"city": "ORLEANS CEDEX", "postcode": "45043"}, ORLEANS),  # a CEDEX postcode
    ({"city": "Orléans La Source", "postcode": "45100"}, ORLEANS),  # a quarter of the commune
    ({"city": "37000 Tours"}, TOURS),
    ({"city": "Tours (37)"}, TOURS),
    ({"postcode": "37000"}, TOURS),
    ({"postcode": "36000", "city": "Belle-Isle"}, CHATEAUROUX),  # a quarter, one commune
    ({"city": "L’Île-Bouchard"}, place("37119", "L'Île-Bouchard", "37", "24")),
    ({"city": "Paris 11e", "postcode": "75011"}, place("75056", "Paris", "75", "11")),
    ({"city": "Lyon 3ème arrondissement"}, place("69123", "Lyon", "69", "84")),
    ({"city": "Mans (Le)"}, place("72181", "Le Mans", "72", "52")),
])
def test_a_commune_is_found_from_its_name_or_postcode(given, expected):
    assert locate(**given) == expected


@pytest.mark.parametrize("given, expected", [
    # 36400 is La Châtre and a dozen villages around it: the department, never a guess
    ({"postcode": "36400"}, Place(department="36", region="24")),
    ({"postcode": "36400", "city": "La Châtre"}, place("36046", "La Châtre", "36", "24")),
    ({"postcode": "36400", "city": "Lieu-dit inconnu"}, Place(department="36", region="24")),
    # a commune that is not the postcode's one: the postcode's department only
    ({"postcode": "36000", "city": "Déols"}, Place(department="36", region="24")),
])
def test_a_postcode_of_several_communes_gives_its_department_only(given, expected):
    assert locate(**given) == expected


SAINT_DENIS_93 = place("93066", "Saint-Denis", "93", "11")
SAINT_DENIS_974 = place("97411", "Saint-Denis", "974", "04")


@pytest.mark.parametrize("given, expected", [
    ({"city": "Saint-Denis"}, NOTHING),
    ({"city": "Sainte-Marie"}, NOTHING),
    ({"city": "Saint-Denis", "department": "93"}, SAINT_DENIS_93),
    ({"city": "St Denis", "postcode": "93200"}, SAINT_DENIS_93),
    ({"city": "Saint-Denis", "postcode": "97400"}, SAINT_DENIS_974),
    ({"city": "Saint-Denis", "lat": 48.936, "lon": 2.357}, SAINT_DENIS_93),
    ({"city": "Saint-Denis", "department": "36"}, NOTHING),  # none of that name in the Indre
    ({"city": "Balan"}, NOTHING),  # Ain and Ardennes
    ({"city": "Balan", "department": "08"}, place("08043", "Balan", "08", "44")),
    ({"city": "Sainte-Marie", "department": "974"}, place("97418", "Sainte-Marie", "974", "04")),
])
def test_homonyms_are_told_apart_only_by_a_postcode_a_department_or_coordinates(given,
                                                                                  expected):
    assert locate(**given) == expected


def test_a_former_commune_leads_to_the_commune_nouvelle_it_joined():
    chemille = place("49092", "Chemillé-en-Anjou", "49", "52")
    assert locate(city="Chemillé", postcode="49120") == chemille
    assert locate(city="Chemillé") == chemille


@pytest.mark.parametrize("given, expected", [
    ({"lat": 47.0822, "lon": 2.3998}, BOURGES),  # the cathedral
    ({"lat": 46.8103, "lon": 1.6913}, CHATEAUROUX),
    ({"lat": 47.3941, "lon": 0.6848}, TOURS),
    ({"lat": "47.0822", "lon": "2.3998"}, BOURGES),
    ({"lat": 46.5, "lon": -3.0}, NOTHING),  # the Bay of Biscay
    ({"lat": 42.8, "lon": 6.5}, NOTHING),  # the Mediterranean off Hyères
    ({"lat": 43.0, "lon": 6.2}, place("83069", "Hyères", "83", "93")),  # Porquerolles
    ({"lat": 51.5072, "lon": -0.1276}, NOTHING),  # London
    ({"lat": 0.0, "lon": 0.0}, NOTHING),
    ({"lat": 91.0, "lon": 2.0}, NOTHING),
    ({"lat": float("nan"), "lon": 2.0}, NOTHING),
    ({"lat": "abc", "lon": None}, NOTHING),
    # coordinates that contradict the department given: nothing rather than a wrong place
    ({"lat": 47.0822, "lon": 2.3998, "department": "45"}, NOTHING),
])
def test_coordinates_give_the_commune_whose_contour_holds_them(given, expected):
    assert locate(**given) == expected


@pytest.mark.parametrize("given", [
    {"postcode": "99999"}, {"postcode": "00000"}, {"postcode": "abc"}, {"postcode": "SW1A 1AA"},
    {"city": "London"}, {"city": "Genève"}, {"city": "12 rue de la République"},
    {"city": ""}, {"city": "   "}, {"city": "!!!"}, {"department": "99"}, {},
    {"postcode": "99999", "city": "Nulle-Part"},
])
def test_bad_or_foreign_places_say_nothing(given):
    assert locate(**given) == NOTHING


def test_a_city_in_an_unknown_postcode_of_a_real_department_is_still_found():
    # 37032 is a CEDEX postcode of Tours, not in the list of postcodes of communes
    assert locate(city="Tours Cedex 1", postcode="37032") == TOURS


@pytest.mark.parametrize("given, expected", [
    ({"postcode": 37000}, TOURS),  # a postcode read as a number
    ({"postcode": ["37000"]}, NOTHING),
    ({"city": b"Tours"}, NOTHING),
    ({"city": "Tours" * 1000}, NOTHING),
    ({"lat": True, "lon": {}}, NOTHING),
    ({"department": 36, "city": "Châteauroux"}, CHATEAUROUX),
])
def test_odd_values_never_crash(given, expected):
    assert locate(**given) == expected


def test_on_a_border_only_the_department_is_said():
    """Along the border of Tours, the simplified contours of Tours and its neighbours come
    close: there the answer is Tours, the neighbour the point is surely in, or only the
    department; never a commune farther away."""
    from agenda.geography.gazetteer import get_gazetteer
    contours = get_gazetteer().contours
    border = [(lat * contours.quantum, lon * contours.quantum)
              for ring in contours.rings("37261") for lat, lon in ring]
    neighbours = {"37261", "37233", "37122", "37050", "37208", "37214", "37195", "37203",
                  "37109"}  # Tours, Saint-Pierre-des-Corps, Joué-lès-Tours, Chambray...
    answers = [locate(lat=lat, lon=lon) for lat, lon in border]
    assert all(a.department == "37" for a in answers)
    assert {a.commune_code for a in answers} - {None} <= neighbours
    assert any(a.commune_code is None for a in answers)
