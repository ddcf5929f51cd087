"""The moderation queue and a proposal's page: oldest first, everything the staff need to
decide (the private contact e-mail too), and what changed since the approved version."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from agenda.db import transaction
from agenda.models import Campaign
from agenda.services.submissions import edit_by_submitter
from agenda.store.submissions import get_submission
from agenda.web.moderation.compact_dates import compact_when
from tests.services.proposals import event_data, initiative_data
from tests.web.pages import NOW
from tests.web.staff import CONTACT, accounts, post, propose, sign_in

__all__ = ["accounts"]


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    return page.replace("\u202f", " ").replace("\u2009", " ")  # Babel's narrow and thin spaces


def queue_rows(page: str) -> list[list[str]]:
    """The cells of the queue's rows, as text."""
    table = page.split('class="staff-table queue stack"')[1].split("</table>")[0]
    rows = re.findall(r'<tr id="proposal-\d+"[^>]*>(.*?)</tr>', table, re.S)
    return [[" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def test_the_queue_lists_pending_proposals_oldest_first_with_what_to_decide_on(
        client, accounts, factory, settings):
    with transaction(factory) as session:
        campaign = Campaign(slug="mois-ess-2026", name="Mois de l'ESS 2026",
                            starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30))
        session.add(campaign)
        session.flush()
        campaign_id = campaign.id
    newer = propose(factory, settings, title="Plus récent", campaign_id=campaign_id)
    older = propose(factory, settings, kind="initiative", when=NOW - timedelta(days=2),
                    data=initiative_data(title="Épicerie itinérante"))
    oldest = propose(factory, settings, title="Le plus ancien", all_day=True, start="2026-11-27",
                     end="2026-11-28", when=NOW - timedelta(days=3))
    sign_in(client)
    rows = queue_rows(text(client, "/admin/moderation/?lang=en"))
    assert [row[0] for row in rows] == [f"Le plus ancien {oldest.reference} · Event",
                                        f"Épicerie itinérante {older.reference} · Initiative",
                                        f"Plus récent {newer.reference} · Event"]
    assert rows[0][1:] == ["Nov 27 – 28, 2026", "Vélo Solidaire Orléans (new)", "",
                           "Nov 18, 2026, 10:00 AM"]
    assert rows[1][1:4] == ["", "Les Paniers du Berry (new)", ""]
    assert rows[2][1:4] == ["Nov 26, 2026, 6:00 – 8:30 PM", "Vélo Solidaire Orléans (new)",
                            "Mois de l'ESS 2026"]


def test_decided_proposals_leave_the_queue(client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    post(client, f"/admin/moderation/{proposal.id}/approve")
    page = text(client, "/admin/moderation/?lang=en")
    assert queue_rows(page) == [] and "Nothing is waiting for moderation." in page
    assert "Recently decided" in page and proposal.reference in page


def test_the_proposal_page_shows_everything_with_the_private_contact(
        client, accounts, factory, settings):
    proposal = propose(factory, settings, description_html="<p>Venez <strong>nombreux</strong>"
                                                           "</p>")
    sign_in(client)
    page = text(client, f"/admin/moderation/{proposal.id}?lang=en")
    assert f'<a href="mailto:{CONTACT}" id="contact-email">{CONTACT}</a>' in page
    for shown in ("Atelier réparation de vélos", "3 rue des Carmes", "Orléans",
                  "<strong>nombreux</strong>", "contact@velo.example.org",
                  'href="https://velo.example.org/atelier"', "Waiting for moderation"):
        assert shown in page
    assert f'action="/admin/moderation/{proposal.id}/approve"' in page
    assert f'action="/admin/moderation/{proposal.id}/reject"' in page
    assert CONTACT not in text(client, "/?lang=en")


def test_an_approved_proposal_edited_again_shows_its_changes_old_and_new(
        client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    post(client, f"/admin/moderation/{proposal.id}/approve")
    with transaction(factory) as session:
        edit_by_submitter(session, get_submission(session, proposal.id),
                          event_data(title="Atelier vélo (nouvelle date)",
                                     start="2026-11-28T10:00", end="2026-11-28T12:00"),
                          contact_email=CONTACT, now=NOW, settings=settings)
    queue = queue_rows(text(client, "/admin/moderation/?lang=en"))
    assert queue[0][0] == f"Atelier vélo (nouvelle date) {proposal.reference} · Event " \
                          "Edited after approval"
    page = text(client, f"/admin/moderation/{proposal.id}?lang=en")
    diff = page.split('class="staff-table diff stack"')[1].split("</table>")[0]
    changes = re.findall(r'<tr class="change-(\w+)">\s*<th scope="row">([^<]+)</th>\s*'
                         r'<td class="diff-old"[^>]*><del>([^<]*)</del></td>\s*'
                         r'<td class="diff-new"[^>]*><ins>([^<]*)</ins></td>', diff)
    assert changes == [
        ("title", "Title", "Atelier réparation de vélos", "Atelier vélo (nouvelle date)"),
        ("start", "Start", "Nov 26, 2026, 6:00 PM", "Nov 28, 2026, 10:00 AM"),
        ("end", "End", "Nov 26, 2026, 8:30 PM", "Nov 28, 2026, 12:00 PM"),
    ]


def test_a_new_proposal_has_no_changes_table(client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    page = text(client, f"/admin/moderation/{proposal.id}?lang=en")
    assert "Changes since the approved version" not in page
    assert client.get("/admin/moderation/999").status_code == 404


NB = "\u00a0"


@pytest.mark.parametrize("data, french, english", [
    ({"start": "2027-11-13T14:00", "end": "2027-11-13T18:00"},
     f"13 nov. 2027, 14{NB}h – 18{NB}h", "Nov 13, 2027, 2 – 6 PM"),
    ({"start": "2027-12-01T09:30", "end": "2027-12-01T12:00"},
     f"1er déc. 2027, 9{NB}h{NB}30 – 12{NB}h", "Dec 1, 2027, 9:30 AM – 12:00 PM"),
    ({"start": "2027-11-13T10:00", "end": "2027-11-13T14:00"},
     f"13 nov. 2027, 10{NB}h – 14{NB}h", "Nov 13, 2027, 10 AM – 2 PM"),
    ({"start": "2027-11-13T18:00", "end": ""}, f"13 nov. 2027, 18{NB}h", "Nov 13, 2027, 6 PM"),
    ({"start": "2026-11-27T20:00", "end": "2026-11-28T02:00"},
     f"27 nov. 2026, 20{NB}h – 28 nov. 2026, 2{NB}h", "Nov 27, 2026, 8 PM – Nov 28, 2026, 2 AM"),
    ({"all_day": True, "start": "2026-11-27", "end": "2026-11-29"},
     "27–29 nov. 2026", "Nov 27 – 29, 2026"),
    ({"all_day": True, "start": "2026-11-28", "end": "2026-12-01"},
     "28 nov. – 1er déc. 2026", "Nov 28 – Dec 1, 2026"),
    ({"all_day": True, "start": "2026-11-01", "end": "2026-11-01"}, "1er nov. 2026", "Nov 1, 2026"),
    ({"start": "pas une date"}, "", ""),
])
def test_the_queue_writes_dates_short(data, french, english):
    assert compact_when(data, "fr") == french
    spaces = str.maketrans({"\u202f": " ", "\u2009": " "})
    assert compact_when(data, "en").translate(spaces) == english


def test_the_queue_shows_titles_and_short_dates_in_french(client, accounts, factory, settings):
    proposal = propose(factory, settings, title="Repair café de décembre",
                       start="2026-12-01T14:30", end="2026-12-01T18:00")
    sign_in(client)
    [row] = queue_rows(text(client, "/admin/moderation/?lang=fr"))
    assert row[0] == f"Repair café de décembre {proposal.reference} · Évènement"
    assert row[1] == f"1er déc. 2026, 14{NB}h{NB}30 – 18{NB}h".replace(NB, " ")


@pytest.mark.parametrize("image_url, shown", [
    ("https://repar37.example.org/affiche.jpg", "https://repar37.example.org/affiche.jpg"),
    ("http://repar37.example.org/affiche.png", "http://repar37.example.org/affiche.png"),
    ("/images/Xk3v9QpL2mT8sW4rYb6nZc1d.webp", "/images/Xk3v9QpL2mT8sW4rYb6nZc1d.webp"),
    ("javascript:alert(1)", None),
    ("data:image/png;base64,iVBORw0KGgo=", None),
    ("/admin/logout", None),
    ("//evil.example/x.png", None),
    ("", None),
])
def test_the_proposal_page_previews_only_a_safe_image(client, accounts, factory, settings,
                                                       image_url, shown):
    proposal = propose(factory, settings, image_url=image_url)
    sign_in(client)
    page = text(client, f"/admin/moderation/{proposal.id}?lang=en")
    images = re.findall(r'<figure class="proposal-image">\s*<img src="([^"]*)"', page)
    assert images == ([shown] if shown else [])
    image_row = page.split('<tr class="field-image_url">')[1].split("</tr>")[0]
    assert ("href=" in image_row) is bool(shown)
    if shown:
        assert 'referrerpolicy="no-referrer"' in page
