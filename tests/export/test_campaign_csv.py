"""The campaign CSV: readable by spreadsheets (BOM, comma, quoting), one row per event, local
times, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from agenda.export.campaign_csv import HEADER, campaign_csv, defuse
from agenda.models import Event
from tests.export.collecting import PARIS, REGION


def page_url(event_id: str) -> str:
    return f"https://agenda.example/evenements/{event_id}"


def event(**fields) -> Event:
    values = {"id": "abc", "title": "Repair café", "all_day": False, "status": "confirmed",
              "start_at": datetime(2026, 11, 25, 17, 0, tzinfo=timezone.utc),
              "end_at": datetime(2026, 11, 25, 19, 0, tzinfo=timezone.utc),
              "timezone": "Europe/Paris", "themes": [], **fields}
    return Event(**values)


def read(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "the BOM Excel needs to read UTF-8"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(HEADER)
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def test_one_row_per_event_with_its_places_and_links():
    repair = event(location_name="Ressourcerie", address="3 rue du Commerce", postcode="37000",
                   city="Tours", department="37", organizer="Répar'37",
                   themes=["reemploi", "mobilite", "unknown"], url="https://repair.example.org")
    webinar = event(id="def", title="Webinaire", online_url="https://visio.example.org",
                    status="cancelled")
    [first, second] = read(campaign_csv([(repair, "contact@repair.example.org"), (webinar, "")],
                                        region=REGION, tz=PARIS, page_url=page_url))
    assert first == {
        "Titre": "Repair café", "Début": "2026-11-25 18:00", "Fin": "2026-11-25 20:00",
        "Toute la journée": "non", "Statut": "confirmé", "Lieu": "Ressourcerie",
        "Adresse": "3 rue du Commerce", "Code postal": "37000", "Ville": "Tours",
        "Code du département": "37", "Département": "Indre-et-Loire", "Lien en ligne": "",
        "Organisateur": "Répar'37", "Thèmes": "Réemploi et économie circulaire, Mobilité",
        "Contact public": "contact@repair.example.org",
        "Page sur l'Agenda commun": "https://agenda.example/evenements/abc",
        "Lien de l'évènement": "https://repair.example.org"}
    assert (second["Titre"], second["Statut"], second["Lien en ligne"], second["Ville"]) == (
        "Webinaire", "annulé", "https://visio.example.org", "")


def test_an_all_day_event_gives_its_first_and_last_days():
    festival = event(all_day=True, timezone=None,
                     start_at=datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc),
                     end_at=datetime(2026, 11, 29, 23, 0, tzinfo=timezone.utc))
    [row] = read(campaign_csv([(festival, "")], region=REGION, tz=PARIS, page_url=page_url))
    assert (row["Début"], row["Fin"], row["Toute la journée"]) == (
        "2026-11-27", "2026-11-29", "oui")


def test_commas_quotes_and_line_breaks_stay_in_their_cell():
    tricky = event(title='Atelier "zéro déchet", cuisine\net couture', organizer="A; B")
    [row] = read(campaign_csv([(tricky, "")], region=REGION, tz=PARIS, page_url=page_url))
    assert row["Titre"] == 'Atelier "zéro déchet", cuisine\net couture'
    assert row["Organisateur"] == "A; B"


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("  =1+1", "'  =1+1"),
    ("Repair café", "Repair café"),
    ("a=b+c", "a=b+c"),
    ("", ""),
])
def test_formula_cells_are_defused(cell, written):
    assert defuse(cell) == written


def test_every_column_is_defused_in_the_file():
    hostile = event(title="=1+1", organizer="@evil", city="+Tours", url="-1",
                    location_name="=cmd")
    [row] = read(campaign_csv([(hostile, "=contact")], region=REGION, tz=PARIS,
                              page_url=page_url))
    assert [row[k] for k in ("Titre", "Organisateur", "Ville", "Lien de l'évènement", "Lieu",
                             "Contact public")] == ["'=1+1", "'@evil", "'+Tours", "'-1",
                                                    "'=cmd", "'=contact"]
    assert not [value for value in row.values() if value and value[0] in "=+-@"]


def test_an_empty_campaign_is_its_header_alone():
    body = campaign_csv([], region=REGION, tz=PARIS, page_url=page_url)
    assert read(body) == []
    assert body.endswith(b"\r\n")
