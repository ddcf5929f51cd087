"""A proposal that looks like an event already published, or another proposal waiting, is
flagged to the staff with a link to it: same day and similar title (accents, case, small words
and plurals set aside), or same place and start time.  Rejected or cancelled proposals and
events removed by their source never count."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from agenda.db import transaction
from agenda.services.proposal_duplicates import (
    Candidate,
    find_lookalikes,
    fold,
    lookalikes_among,
    similar_titles,
)
from agenda.store.submissions import get_submission
from tests.services.proposals import event_data
from tests.web.pages import PARIS
from tests.web.staff import accounts, propose, sign_in

__all__ = ["accounts"]


@pytest.mark.parametrize("first, second, alike", [
    ("Repair café", "REPAIR CAFE", True),
    ("Repair café", "Repair Café !", True),
    ("Répar’café", "repar cafe", True),
    ("Atelier réparation de vélos", "Atelier de réparation vélo", True),  # small words, plural
    ("Repair café", "Repaire café", True),                                # a typo
    ("Repair café", "Repair café de Tours", True),                        # one inside the other
    ("Marché de Noël solidaire", "Marché solidaire de Noël", True),       # another order
    ("Atelier couture", "Atelier cuisine", False),
    ("Repair café", "Conférence finance solidaire", False),
    ("Permanence numérique", "Atelier numérique", False),
    ("Repair", "Repair café", False),                                     # one word is too little
])
def test_similar_titles(first, second, alike):
    assert similar_titles(first, second) is alike
    assert similar_titles(second, first) is alike


def test_titles_are_folded_without_accents_case_or_punctuation():
    assert fold("  L’Été  du RÉEMPLOI !") == "l ete du reemploi"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS).astimezone(timezone.utc)


PROPOSAL = Candidate("proposal", "1", "Repair café", at(25, 18), False, "ressourcerie du cher")


@pytest.mark.parametrize("other, reason", [
    (Candidate("event", "a", "REPAIR CAFÉ", at(25, 10), False, ""), "title"),
    (Candidate("event", "b", "Repair café", at(26, 18), False, ""), None),      # another day
    (Candidate("event", "c", "Soirée jeux", at(25, 18), False, "ressourcerie du cher"), "place"),
    (Candidate("event", "d", "Soirée jeux", at(25, 19), False, "ressourcerie du cher"), None),
    (Candidate("event", "e", "Soirée jeux", at(25, 18), False, "la fabrique"), None),
    (Candidate("proposal", "2", "Repair cafe", at(25, 20), False, ""), "title"),
    (Candidate("proposal", "1", "Repair café", at(25, 18), False, ""), None),   # itself
    (Candidate("event", "f", "Repair café", at(24, 23, 30), False, ""), None),  # the day before
])
def test_lookalikes_among_candidates(other, reason):
    found = lookalikes_among(PROPOSAL, [other], tz=PARIS)
    assert [f.reason for f in found] == ([reason] if reason else [])
    if reason:
        assert (found[0].kind, found[0].key, found[0].day.isoformat()) == (
            other.kind, other.key, "2026-11-25")


def lookalikes(factory, submission_id: int) -> list[tuple[str, str, str]]:
    with transaction(factory) as session:
        found = find_lookalikes(session, get_submission(session, submission_id), tz=PARIS)
        return [(f.kind, f.title, f.reason) for f in found]


@pytest.mark.parametrize("overrides, expected", [
    ({"title": "Repair Café", "start": "2026-11-25T10:00", "end": "2026-11-25T12:00"},
     [("event", "Repair café", "title")]),
    ({"title": "REPAIR CAFE", "start": "2026-11-25T18:00", "end": "2026-11-25T20:00"},
     [("event", "Repair café", "title")]),
    ({"title": "Repair café", "start": "2026-11-26T18:00", "end": "2026-11-26T20:00"}, []),
    ({"title": "Soirée jeux", "start": "2026-11-25T18:00", "end": "2026-11-25T22:00",
      "location_name": "Ressourcerie du Cher"}, [("event", "Repair café", "place")]),
    ({"title": "Soirée jeux", "start": "2026-11-25T19:00", "end": "2026-11-25T22:00",
      "location_name": "Ressourcerie du Cher"}, []),
    ({"title": "Retiré par sa source", "start": "2026-11-25T18:00",
      "end": "2026-11-25T20:00"}, []),  # removed by its source: no longer published
    ({"title": "Festival des solidarités", "all_day": True, "start": "2026-11-27",
      "end": "2026-11-29"}, [("event", "Festival des solidarités", "title")]),
])
def test_a_proposal_is_compared_with_the_published_events(factory, settings, calendar,
                                                          overrides, expected):
    proposal = propose(factory, settings, **overrides)
    assert lookalikes(factory, proposal.id) == expected


@pytest.mark.parametrize("status, flagged", [
    ("pending", True), ("rejected", False), ("cancelled", False)])
def test_only_a_waiting_proposal_can_be_a_lookalike(factory, settings, status, flagged):
    other = propose(factory, settings, title="Atelier vélo partagé")
    with transaction(factory) as session:
        get_submission(session, other.id).status = status
    proposal = propose(factory, settings, title="Atelier vélos partagés")
    expected = [("proposal", "Atelier vélo partagé", "title")] if flagged else []
    assert lookalikes(factory, proposal.id) == expected


def test_an_approved_proposal_edited_again_is_not_its_own_lookalike(factory, settings):
    from agenda.services.moderation import approve
    from tests.services.proposals import add_staff

    proposal = propose(factory, settings)
    with transaction(factory) as session:
        submission = get_submission(session, proposal.id)
        approve(session, submission, user=add_staff(session), now=submission.submitted_at,
                settings=settings)
        submission.status = "pending"  # sent again by its submitter
    assert lookalikes(factory, proposal.id) == []


def test_an_initiative_has_no_lookalikes(factory, settings):
    from tests.services.proposals import initiative_data

    initiative = propose(factory, settings, kind="initiative", data=initiative_data())
    assert lookalikes(factory, initiative.id) == []


def test_the_queue_and_the_proposal_page_flag_the_lookalike_with_a_link(
        client, accounts, factory, settings, calendar):
    twin = propose(factory, settings, data=event_data(
        title="Repair Café", start="2026-11-25T14:00", end="2026-11-25T17:00"))
    other = propose(factory, settings, title="Conférence gesticulée")
    sign_in(client)
    queue = client.get("/admin/moderation/?lang=en").get_data(as_text=True)
    event_link = f'href="/evenements/{calendar.ids["Repair café"]}/2026-11-25"'
    row = queue.split(f'id="proposal-{twin.id}"')[1].split("</tr>")[0]
    assert 'class="has-lookalike"' in queue.split(f'id="proposal-{twin.id}"')[1][:40]
    assert "Looks like" in row and event_link in row
    assert "(published event, same day, similar title)" in row
    assert "Looks like" not in queue.split(f'id="proposal-{other.id}"')[1].split("</tr>")[0]
    page = client.get(f"/admin/moderation/{twin.id}?lang=fr").get_data(as_text=True)
    assert "Cette proposition ressemble à une autre, déjà publiée ou en attente" in page
    assert event_link in page and "évènement publié, même jour, titre proche" in page
    plain = client.get(f"/admin/moderation/{other.id}?lang=en").get_data(as_text=True)
    assert "looks like one already published" not in plain
