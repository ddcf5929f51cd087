"""The columns guessed from French and English headers (accents, case and notes in brackets
ignored), and mapping files in JSON or TOML."""

from __future__ import annotations

import pytest

from agenda.imports.mapping import guess_mapping, read_mapping_file, require_fields
from agenda.imports.problems import SpreadsheetError

FRENCH = ["Identifiant", "Titre", "Date de début", "Heure", "Date de fin", "Heure de fin", "Lieu",
          "Adresse", "Code postal", "Ville", "Organisateur", "Description", "Lien",
          "Catégories", "Image", "En ligne"]
ENGLISH = ["ID", "Title", "Start date", "Start time", "End date", "End time", "Venue", "Address",
           "Postcode", "City", "Organizer", "Description", "URL", "Tags", "Image URL",
           "Online link"]
FIELDS = ["uid", "title", "start_date", "start_time", "end_date", "end_time", "place", "address",
          "postcode", "city", "organizer", "description", "url", "categories", "image",
          "online_url"]


@pytest.mark.parametrize("headers", [FRENCH, ENGLISH], ids=["french", "english"])
def test_every_field_is_found_in_french_and_english_headers(headers):
    mapping = guess_mapping(headers)
    assert {field: headers[index] for field, index in mapping.items()} == dict(
        zip(FIELDS, headers))


@pytest.mark.parametrize("header, field", [
    ("TITRE", "title"), ("Intitulé", "title"), ("intitule", "title"),
    ("DATE DE DÉBUT", "start_date"), ("Date de début (JJ/MM/AAAA)", "start_date"),
    ("Début", "start_date"), ("Horaire", "start_time"), ("Commune", "city"),
    ("Code Postal", "postcode"), ("CP", "postcode"), ("Thèmes", "categories"),
    ("Lieu de l'événement", "place"), ("Lien d’inscription", "url"), ("UID", "uid"),
    ("Structure organisatrice", "organizer"), ("Lien visio", "online_url"),
])
def test_headers_are_read_whatever_their_accents_case_and_notes(header, field):
    assert guess_mapping(["x", header]) == {field: 1}


def test_a_column_serves_one_field_and_the_exact_name_wins():
    mapping = guess_mapping(["Date", "Date de fin", "Lien", "Lien en ligne"])
    assert mapping == {"start_date": 0, "end_date": 1, "url": 2, "online_url": 3}


def test_unknown_headers_are_not_imported():
    assert guess_mapping(["Remarques internes", "", "Budget"]) == {}


@pytest.mark.parametrize("headers, code", [
    (["Lieu", "Ville"], "import.no_title_column"),
    (["Titre", "Lieu"], "import.no_start_column"),
])
def test_a_mapping_without_title_or_start_is_a_file_error(headers, code):
    with pytest.raises(SpreadsheetError) as raised:
        require_fields(guess_mapping(headers))
    assert raised.value.code == code


HEADERS = ["Nom de l'action", "Quand", "Salle", "Ville"]


@pytest.mark.parametrize("text, filename", [
    ('{"start_date": "Quand", "place": 3, "city": ""}', "m.json"),
    ('[columns]\nstart_date = "quand"\nplace = 3\ncity = false\n', "m.toml"),
])
def test_a_mapping_file_names_columns_by_header_or_number(text, filename):
    mapping = read_mapping_file(text, filename, HEADERS)
    assert mapping == {"title": 0, "start_date": 1, "place": 2}  # city left out, title guessed


@pytest.mark.parametrize("text, words", [
    ("{not json", "not valid JSON"),
    ('{"titre": "Quand"}', "“titre” is not a field"),
    ('{"title": "Nom"}', "no column is headed “Nom”"),
    ('{"title": 9}', "column 9 of “title” is not in the table"),
    ('["title"]', "not a table"),
])
def test_a_bad_mapping_file_says_why(text, words):
    with pytest.raises(SpreadsheetError) as raised:
        read_mapping_file(text, "m.json", HEADERS)
    assert raised.value.code == "import.bad_mapping" and words in raised.value.message
