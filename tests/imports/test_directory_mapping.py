"""Directory columns recognised from French and English headers; a list of initiatives told
from a list of actors; the kinds of structure and the statuses said in words."""

from __future__ import annotations

import pytest

from agenda.imports.directory_mapping import (
    guess_columns,
    guess_kind,
    initiative_status,
    mapping_from_choices,
    structure_of,
)

FRENCH = ["Raison sociale", "SIREN", "N° SIRET", "RNA", "Forme juridique", "Agréments",
          "Site web", "Thématiques", "Adresse", "Code postal", "Commune", "E-mail",
          "Téléphone", "Description", "Latitude", "Longitude"]
ENGLISH = ["Organization", "SIREN number", "Legal form", "Website", "Topics", "Address",
           "Postcode", "City", "Email", "Phone", "About", "lat", "lng"]


def test_french_headers_of_actors_are_recognised():
    mapping = guess_columns(FRENCH, "actors")
    assert mapping == {"name": 0, "siren": 1, "siret": 2, "rna": 3, "structure": 4,
                       "approvals": 5, "website": 6, "themes": 7, "address": 8,
                       "postcode": 9, "city": 10, "contact_email": 11, "contact_phone": 12,
                       "description": 13, "lat": 14, "lon": 15}
    assert guess_kind(FRENCH) == "actors"


def test_english_headers_of_actors_are_recognised():
    mapping = guess_columns(ENGLISH, "actors")
    assert mapping == {"name": 0, "siren": 1, "structure": 2, "website": 3, "themes": 4,
                       "address": 5, "postcode": 6, "city": 7, "contact_email": 8,
                       "contact_phone": 9, "description": 10, "lat": 11, "lon": 12}


def test_a_list_of_initiatives_is_told_by_its_title_and_lead_actor():
    headers = ["Titre", "Porteur", "Territoire", "Statut", "Date de début", "Date de fin",
               "Thèmes"]
    assert guess_kind(headers) == "initiatives"
    assert guess_columns(headers, "initiatives") == {
        "title": 0, "porteur": 1, "territory": 2, "status": 3, "starts_on": 4, "ends_on": 5,
        "themes": 6}
    assert guess_kind(["Project", "Lead", "Status"]) == "initiatives"


def test_a_choice_outside_the_table_or_taken_twice_is_ignored():
    assert mapping_from_choices({"name": "2", "siren": "2", "website": "9", "rna": "x"},
                                "actors", columns=4) == {"name": 2}


@pytest.mark.parametrize("words, structure", [
    ("Association loi 1901", "association"), ("SCIC SAS", "cooperative"),
    ("Coopérative", "cooperative"), ("Mutuelle", "mutual"), ("Fondation", "foundation"),
    ("SARL", "company"), ("Collectivité territoriale", "public"), ("GIE", "other"),
    ("", None)])
def test_kinds_of_structure_in_words(words, structure):
    assert structure_of(words) == structure


@pytest.mark.parametrize("words, status", [
    ("En projet", "project"), ("Projet", "project"), ("Terminé", "ended"),
    ("En cours", "active"), ("", "active"), ("Active", "active")])
def test_statuses_in_words(words, status):
    assert initiative_status(words) == status
