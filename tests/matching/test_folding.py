"""Compare forms of titles, places and links."""

from __future__ import annotations

import pytest

from agenda.matching.folding import fold, fold_organizer, fold_place, fold_title, normalize_url


def test_fold_drops_accents_case_and_punctuation():
    assert fold("Répar’Café ! Cœur") == "repar cafe coeur"


@pytest.mark.parametrize("title, city, folded", [
    ("Assemblée Générale de l'AMAP", None, "ag amap"),
    ("AG de l'AMAP", None, "ag amap"),
    ("Forum de l'Économie Sociale et Solidaire de Tours 2026", "Tours", "forum ess"),
    ("Webinaire : les SCIC (en ligne)", None, "scic"),
    ("Forum emploi IAE", None, "forum emploi iae"),
    ("Insertion par l'activité économique", None, "iae"),
    ("Ateliers vélos", None, "atelier velo"),
    ("Tours", "Tours", "tour"),       # a title that is only the town keeps it
    ("Projection-débat : Demain", None, "cinedebat demain"),
    ("Ciné-rencontre « Demain »", None, "cinedebat demain"),
])
def test_titles_fold_to_their_meaningful_words(title, city, folded):
    assert fold_title(title, city) == folded


def test_places_keep_their_numbers_and_organisers_lose_their_legal_form():
    assert fold_place("Le 108", "Orléans") == "108"
    assert fold_place("Les Halles de Tours", "Tours") == "halle"
    assert fold_organizer("Association Roue Libre Tours", "Tours") == "roue libre"


@pytest.mark.parametrize("url, normal", [
    ("https://www.urscop.coop/agenda/scic/?utm_source=cress&id=4#top", "urscop.coop/agenda/scic?id=4"),
    ("http://urscop.coop/agenda/scic", "urscop.coop/agenda/scic"),
    ("https://mois-ess.org/", ""),        # a site's home says nothing of one event
    ("not a link", ""),
    ("http://[::1", ""),
    (None, ""),
])
def test_links_normalise(url, normal):
    assert normalize_url(url) == normal
