"""The staff review of possible duplicates (/admin/matches): a pending pair shown side by side
with why, "the same event" merges it (one listing), "not the same" is remembered (matching
never proposes it again), a merge can be split (audited), every action needs the CSRF token and
a staff account, and a pair that is unknown or already decided never breaks the page.  A
source's priority, set on its form, decides which copy gives the merged event's values."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import AuditEntry, Event, MatchPair, Source
from agenda.records import Location
from agenda.services import merging
from agenda.store.match_pairs import count_pending, save_pair
from agenda.web.admin import matches as matches_view
from tests.store.merged import NOW, PARIS, add_events, forum
from tests.web.staff import STAFF, accounts, csrf_token, post, sign_in

__all__ = ["accounts"]

REASONS = {"title": 0.9, "time": 1.0, "place": 1.0, "organizer": 0.9, "url": 1.0}
ORIGIN = "https://cress.example.org/agenda/forum-ess"


def text_of(response) -> str:
    return unescape(re.sub(r"[ \t\r\n]+", " ", response.get_data(as_text=True)))


@pytest.fixture
def events(factory) -> dict[str, str]:
    """The forum from its organiser and from the CRESS, in Orléans, not merged."""
    place = Location(name="Salle des fêtes", city="Orléans", postcode="45000", department="45",
                     commune_code="45234", commune_name="Orléans")
    organiser, = add_events(factory, "Maison de l'ESS", [forum(
        "forum-2026", location=place, organizer="Maison de l'ESS", url=ORIGIN)],
        now=NOW - timedelta(hours=1))  # the earliest: the listed one once merged
    cress, = add_events(factory, "CRESS Centre", [forum(
        "c-17", "Forum ESS Orléans", location=place, organizer="Maison de l'ESS", url=ORIGIN)])
    return {"organiser": organiser, "cress": cress}


@pytest.fixture
def pair_id(factory, events) -> int:
    with transaction(factory) as session:
        pair = save_pair(session, events["organiser"], events["cress"], score=0.78,
                         reasons=REASONS, state="pending", now=NOW)
        session.flush()
        return pair.id


def pair_state(factory, pair_id: int) -> str:
    with transaction(factory) as session:
        return session.get(MatchPair, pair_id).state


def heads(factory, *ids: str) -> list[str | None]:
    with transaction(factory) as session:
        return [session.get(Event, i).duplicate_of for i in ids]


def audit_actions(factory) -> list[tuple[str, str, dict]]:
    with transaction(factory) as session:
        return [(e.action, e.who, e.detail) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("match_%")).order_by(AuditEntry.id))]


def test_the_queue_shows_a_pending_pair_side_by_side_with_why(client, accounts, events, pair_id):
    sign_in(client)
    page = text_of(client.get("/admin/matches?lang=fr"))
    assert "1 paire à examiner" in page or "1 pair" in page
    for title in ("Forum de l'ESS", "Forum ESS Orléans"):
        assert title in page
    assert "mardi 24 novembre 2026" in page and "18\u00a0h" in page
    assert "Salle des fêtes, 45000 Orléans" in page and "Orléans (45)" in page
    assert "Maison de l'ESS" in page and "CRESS Centre" in page
    for event_id in events.values():
        assert f'href="/evenements/{event_id}"' in page
    assert f'href="{ORIGIN}"' in page
    english = text_of(client.get("/admin/matches?lang=en"))
    assert "very likely" in english
    assert "very close titles · same time · same place · same organiser · same link" in english
    assert f'action="/admin/matches/{pair_id}/confirm"' in english
    assert f'action="/admin/matches/{pair_id}/refuse"' in english


def test_the_dashboard_counts_the_pairs_to_review(client, accounts, pair_id):
    sign_in(client)
    page = text_of(client.get("/admin/?lang=en"))
    assert re.search(r'id="matches-waiting">1</strong> possible duplicate to review', page)
    assert 'href="/admin/matches"' in page


def test_an_empty_queue_says_there_is_nothing_to_review(client, accounts, events):
    sign_in(client)
    page = text_of(client.get("/admin/matches?lang=en"))
    assert "Nothing to review: every possible duplicate has been decided." in page
    assert "Nothing was merged yet." in page


def test_confirming_merges_the_pair_into_one_listing(client, factory, accounts, events, pair_id):
    sign_in(client)
    assert client.get("/?lang=en").get_data(as_text=True).count("/evenements/") >= 2
    response = post(client, f"/admin/matches/{pair_id}/confirm", {"page": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/matches"
    assert "now one event" in text_of(client.get("/admin/matches?lang=en"))
    assert pair_state(factory, pair_id) == "merged"
    assert heads(factory, events["organiser"], events["cress"]) == [None, events["organiser"]]
    listing = client.get("/?lang=en").get_data(as_text=True)
    assert f"/evenements/{events['organiser']}" in listing
    assert f"/evenements/{events['cress']}" not in listing
    [(action, who, detail)] = audit_actions(factory)
    assert (action, who) == ("match_confirm", STAFF)
    assert set(detail.values()) == set(events.values())


def test_not_the_same_is_remembered_and_never_proposed_again(client, factory, accounts, events,
                                                             pair_id):
    sign_in(client)
    response = post(client, f"/admin/matches/{pair_id}/refuse")
    assert response.status_code == 302
    assert "They will not be proposed again" in text_of(client.get("/admin/matches?lang=en"))
    assert pair_state(factory, pair_id) == "refused"
    with transaction(factory) as session:  # the next collection matches them again
        merging.match_events(session, list(events.values()), now=NOW, tz=PARIS)
    with transaction(factory) as session:
        assert count_pending(session) == 0
        assert session.scalars(select(MatchPair.state)).all() == ["refused"]
    assert heads(factory, *events.values()) == [None, None]
    assert audit_actions(factory)[0][0] == "match_refuse"


def test_a_merge_is_split_from_the_event_page_and_audited(client, factory, accounts, events,
                                                          pair_id):
    sign_in(client)
    post(client, f"/admin/matches/{pair_id}/confirm")
    response = post(client, f"/admin/matches/split/{events['cress']}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/evenements/{events['organiser']}"
    assert heads(factory, *events.values()) == [None, None]
    assert pair_state(factory, pair_id) == "refused"  # split apart: never merged again
    assert [a for a, _who, _d in audit_actions(factory)] == ["match_confirm", "match_split"]
    log = re.sub(r"<[^>]+>", "", text_of(client.get("/admin/audit?lang=en")))
    assert "split the announcement Forum ESS Orléans from the event Forum de l'ESS" in log
    assert "confirmed that two announcements are the same event" in log
    listing = client.get("/?lang=en").get_data(as_text=True)
    assert f"/evenements/{events['cress']}" in listing


def test_the_latest_merges_offer_a_split_that_returns_to_the_queue(client, factory, accounts,
                                                                   events, pair_id):
    sign_in(client)
    post(client, f"/admin/matches/{pair_id}/confirm")
    page = client.get("/admin/matches?lang=en").get_data(as_text=True)
    assert f'action="/admin/matches/split/{events["cress"]}"' in page
    assert re.search(r'Forum de l&#39;ESS</a> <span class="badge">listed event</span>', page)
    response = post(client, f"/admin/matches/split/{events['cress']}", {"back": "queue"},
                    token_from="/admin/matches")
    assert response.headers["Location"] == "/admin/matches"
    assert heads(factory, *events.values()) == [None, None]
    assert "Nothing was merged yet." in text_of(client.get("/admin/matches?lang=en"))


def test_actions_need_the_csrf_token(client, factory, accounts, pair_id):
    sign_in(client)
    for action in ("confirm", "refuse"):
        assert client.post(f"/admin/matches/{pair_id}/{action}").status_code == 400
    assert client.post("/admin/matches/split/abc").status_code == 400
    assert pair_state(factory, pair_id) == "pending"


def test_anonymous_visitors_are_sent_to_sign_in(client, factory, pair_id, events):
    response = client.get("/admin/matches")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    token = csrf_token(client)
    for path in (f"/admin/matches/{pair_id}/confirm", f"/admin/matches/{pair_id}/refuse",
                 f"/admin/matches/split/{events['cress']}"):
        assert client.post(path, data={"csrf_token": token}).status_code == 401
    assert pair_state(factory, pair_id) == "pending"


@pytest.mark.parametrize("path, message", [
    ("/admin/matches/999999/confirm", "does not exist"),
    ("/admin/matches/999999/refuse", "does not exist"),
    ("/admin/matches/split/0123456789abcdef", "there is nothing to split"),
    ("/admin/matches/split/" + "x" * 300, "there is nothing to split"),
])
def test_an_unknown_pair_or_event_says_so(client, accounts, events, path, message):
    sign_in(client)
    response = post(client, path)
    assert response.status_code == 302
    assert message in text_of(client.get("/admin/matches?lang=en"))


def test_a_pair_decided_already_is_not_decided_again(client, factory, accounts, pair_id):
    sign_in(client)
    post(client, f"/admin/matches/{pair_id}/refuse")
    assert post(client, f"/admin/matches/{pair_id}/confirm").status_code == 302
    assert "already said not to be the same event" in text_of(
        client.get("/admin/matches?lang=en"))
    assert pair_state(factory, pair_id) == "refused"
    assert [a for a, _w, _d in audit_actions(factory)] == ["match_refuse"]


def test_the_queue_is_paged(client, factory, accounts, events, pair_id, monkeypatch):
    monkeypatch.setattr(matches_view, "PER_PAGE", 1)
    third, = add_events(factory, "Réseau", [forum("r-1", "Forum de l’ESS 2026")])
    with transaction(factory) as session:
        save_pair(session, events["organiser"], third, score=0.62, reasons={"title": 0.8},
                  state="pending", now=NOW)
    sign_in(client)
    first = client.get("/admin/matches?lang=en").get_data(as_text=True)
    second = client.get("/admin/matches?lang=en&page=2").get_data(as_text=True)
    assert "Forum ESS Orléans" in first and "Forum de l’ESS 2026" not in first
    assert "Forum de l’ESS 2026" in second and 'href="/admin/matches?page=2"' in first
    assert client.get("/admin/matches?page=zero").status_code == 400


def test_a_source_priority_set_on_its_form_gives_the_merged_values(client, factory, accounts,
                                                                   events, pair_id):
    sign_in(client)
    post(client, f"/admin/matches/{pair_id}/confirm")
    with transaction(factory) as session:
        cress = session.scalars(select(Source).where(Source.name == "CRESS Centre")).one()
        cress_id = cress.id
    path = f"/admin/sources/{cress_id}/edit"
    page = client.get(path + "?lang=en").get_data(as_text=True)
    assert "the source with the highest priority gives its title" in unescape(page)
    response = post(client, path, {"name": "CRESS Centre", "interval_minutes": "60",
                                   "priority": "5"}, token_from=path)
    assert response.status_code == 302
    with transaction(factory) as session:
        assert session.get(Source, cress_id).priority == 5
        head = session.get(Event, events["organiser"])
        assert head.title == "Forum ESS Orléans"  # the CRESS's title now
        edit = session.scalars(select(AuditEntry).where(AuditEntry.action == "source_edit")).one()
        assert edit.detail["changed"] == ["priority"]
    assert 'id="source-priority">5</dd>' in client.get(f"/admin/sources/{cress_id}").get_data(
        as_text=True)
    refused = post(client, path, {"name": "CRESS Centre", "interval_minutes": "60",
                                  "priority": "beaucoup"}, token_from=path)
    assert refused.status_code == 400
