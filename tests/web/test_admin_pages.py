"""The dashboard, the audit log and the actors' trust, as the staff see them."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Actor, AuditEntry
from agenda.store.actors import get_or_create_actor
from tests.web.staff import ADMIN, CONTACT, STAFF, accounts, post, propose, sign_in

__all__ = ["accounts"]


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def audit_lines(page: str) -> list[tuple[str, str, str]]:
    """The audit table's rows as text: (sentence, reason, details)."""
    table = page.split('class="staff-table audit stack"')[1].split("</table>")[0]
    rows = re.findall(r'<td class="audit-sentence">(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*'
                      r'<td class="audit-details">(.*?)</td>', table, re.S)
    return [tuple(" ".join(html.unescape(re.sub(r"<[^>]+>", "", cell.replace("<br>", " | ")))
                           .split()) for cell in row) for row in rows]


def test_the_dashboard_counts_the_pending_proposals_and_links_every_staff_page(
        client, accounts, factory, settings):
    propose(factory, settings, title="Premier")
    propose(factory, settings, title="Second")
    sign_in(client)
    page = text(client, "/admin/?lang=en")
    assert re.search(r'<strong [^>]*id="pending-count">2</strong> proposals waiting', page)
    for href in ("/admin/moderation/", "/admin/audit", "/admin/actors", "/admin/campaigns/"):
        assert f'href="{href}"' in page


def test_the_dashboard_does_without_the_campaign_pages(app, client, accounts):
    del app.view_functions["campaign_admin.index"]
    sign_in(client)
    page = text(client, "/admin/?lang=en")
    assert "/admin/campaigns" not in page and "Audit log" in page


def test_the_audit_log_shows_who_did_what_latest_first_without_private_emails(
        client, accounts, factory, settings):
    first = propose(factory, settings, title="Atelier accepté")
    second = propose(factory, settings, title="Atelier refusé")
    sign_in(client)
    post(client, f"/admin/moderation/{first.id}/approve")
    post(client, f"/admin/moderation/{second.id}/reject", {"reason": "Hors de la région"})
    page = text(client, "/admin/audit?lang=en")
    assert audit_lines(page)[:4] == [
        ("Moderatrice rejected the proposal “Atelier refusé”", "Hors de la région", ""),
        ("Moderatrice approved the proposal “Atelier accepté”", "", ""),
        ("The submitter sent the proposal “Atelier refusé”", "", ""),
        ("The submitter sent the proposal “Atelier accepté”", "", ""),
    ]
    assert f'<a href="/admin/moderation/{first.id}" lang="fr">Atelier accepté</a>' in page
    assert f'title="{STAFF}"' in page and CONTACT not in page


def test_an_admin_trusts_an_actor_and_the_audit_log_says_who(client, accounts, factory):
    with transaction(factory) as session:
        actor_id = get_or_create_actor(session, "Répar'37", kind="association").id
    sign_in(client, ADMIN)
    page = text(client, "/admin/actors?lang=en")
    assert f'action="/admin/actors/{actor_id}/trust"' in page and "Not trusted" in page
    response = post(client, f"/admin/actors/{actor_id}/trust", {"trusted": "1"})
    assert response.status_code == 302
    assert "is now trusted" in text(client, "/admin/actors?lang=en")
    with transaction(factory) as session:
        assert session.get(Actor, actor_id).trusted is True
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "actor_trust"))
        assert (entry.who, entry.detail) == (ADMIN, {"actor": "Répar'37", "trusted": True})
    assert audit_lines(text(client, "/admin/audit?lang=en"))[0] == (
        "Admin trusted Répar'37", "", "")
    post(client, f"/admin/actors/{actor_id}/trust", {"trusted": "0"})
    with transaction(factory) as session:
        assert session.get(Actor, actor_id).trusted is False


def test_staff_see_the_actors_without_the_trust_buttons(client, accounts, factory):
    with transaction(factory) as session:
        get_or_create_actor(session, "Répar'37")
    sign_in(client)
    page = text(client, "/admin/actors?lang=en")
    assert "Répar&#39;37" in page and "/trust" not in page
    assert "Only administrators can change which actors are trusted." in page


def test_a_bad_trust_request_is_a_clear_status(client, accounts, factory):
    sign_in(client, ADMIN)
    assert post(client, "/admin/actors/999/trust", {"trusted": "1"}).status_code == 404
    with transaction(factory) as session:
        actor_id = get_or_create_actor(session, "Répar'37").id
    assert post(client, f"/admin/actors/{actor_id}/trust", {"trusted": "yes"}).status_code == 400


def test_the_dashboard_follows_french_typography(client, accounts):
    sign_in(client)
    assert "</a>: " in text(client, "/admin/?lang=en")
    page = text(client, "/admin/?lang=fr")
    assert "</a>\u00a0: " in page and "</a>: " not in page
    assert "proposition en attente de modération</a>" in page
