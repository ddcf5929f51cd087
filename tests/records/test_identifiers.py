"""SIREN, SIRET and RNA numbers as people type them: cleaned when valid, refused when not."""

from __future__ import annotations

import pytest

from agenda.records.identifiers import check_numbers, numbers_in, rna, siren, siret


@pytest.mark.parametrize("typed, clean", [
    ("732829320", "732829320"),
    ("732 829 320", "732829320"),
    ("732.829.320", "732829320"),
    ("732-829-320", "732829320"),
    ("732\u00a0829\u202f320", "732829320"),  # spaces copied from a web page
    ("356000000", "356000000"),  # La Poste
])
def test_a_valid_siren_is_kept_without_its_separators(typed, clean):
    assert siren(typed) == clean


@pytest.mark.parametrize("typed", [
    "732829321",  # wrong check digit
    "73282932",  # eight digits
    "7328293200",  # ten
    "73282932O",  # a letter O for a zero
    "７３２８２９３２０",  # full-width digits
    "", None,
])
def test_an_invalid_siren_is_refused(typed):
    assert siren(typed) is None


@pytest.mark.parametrize("typed, clean", [
    ("73282932000074", "73282932000074"),
    ("732 829 320 00074", "73282932000074"),
    ("35600000000048", "35600000000048"),  # La Poste's head office: a Luhn check digit
    ("35600000049837", "35600000049837"),  # a post office: digits summing to a multiple of 5
    ("356 000 000 09075", "35600000009075"),
])
def test_a_valid_siret_is_kept(typed, clean):
    assert siret(typed) == clean


@pytest.mark.parametrize("typed", [
    "73282932000075",  # wrong check digit
    "35600000049838",  # La Poste, but neither rule holds
    "50000000000000",
    "7328293200007",
    "siret 73282932000074",
])
def test_an_invalid_siret_is_refused(typed):
    assert siret(typed) is None


@pytest.mark.parametrize("typed, clean", [
    ("W372001234", "W372001234"),
    ("w372001234", "W372001234"),
    ("W 372 001 234", "W372001234"),
    ("W2A1001234", "W2A1001234"),  # Corsica
    ("W37B001234", "W37B001234"),  # a sub-prefecture's letter
])
def test_a_valid_rna_number_is_kept_upper_case(typed, clean):
    assert rna(typed) == clean


@pytest.mark.parametrize("typed", ["W37200123", "X372001234", "W3720012345", "372001234",
                                   "WAA2001234"])
def test_an_invalid_rna_number_is_refused(typed):
    assert rna(typed) is None


def test_check_numbers_names_each_invalid_number_and_keeps_the_valid_ones():
    clean, problems = check_numbers(siren_value="732829321", siret_value="73282932000074",
                                    rna_value="W37")
    assert clean == {"siren": None, "siret": "73282932000074", "rna": None}
    assert {(p["field"], p["code"]) for p in problems} == {("siren", "siren.invalid"),
                                                           ("rna", "rna.invalid")}
    assert all(p["value"] for p in problems)  # what was typed, for staff to see


def test_the_siren_is_taken_from_a_valid_siret_when_it_is_not_given():
    clean, problems = check_numbers(siret_value="732 829 320 00074")
    assert clean["siren"] == "732829320" and problems == []


def test_a_siret_of_another_siren_is_a_problem():
    _clean, problems = check_numbers(siren_value="732829320", siret_value="44306184100047")
    assert problems == [{"field": "siret", "value": "44306184100047",
                         "code": "siret.other_siren"}]


def test_nothing_given_is_no_problem():
    assert check_numbers() == ({"siren": None, "siret": None, "rna": None}, [])


def test_numbers_are_found_in_an_organisers_free_text():
    found = numbers_in("Répar'37, association loi 1901 (SIRET 732 829 320 00074, RNA "
                       "W372001234) - tél. 02 47 00 00 00")
    assert found == {"siren": "732829320", "rna": "W372001234"}
