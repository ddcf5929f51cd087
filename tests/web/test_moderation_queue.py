"""The moderation queue and a proposal's page: oldest first, everything the staff need to
decide (the private contact e-mail too), and what changed since the approved version."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from agenda.db import transaction
from agenda.models import Campaign
from agenda.services.submissions import edit_by_submitter
from agenda.store.submissions import get_submission
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
                           "11/18/26, 10:00 AM"]
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
    diff = page.split('class="staff-table diff"')[1].split("</table>")[0]
    changes = re.findall(r'<tr class="change-(\w+)">\s*<th scope="row">([^<]+)</th>\s*'
                         r'<td class="diff-old"><del>([^<]*)</del></td>\s*'
                         r'<td class="diff-new"><ins>([^<]*)</ins></td>', diff)
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
