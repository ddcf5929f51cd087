"""A collection merges what another source already announced: one listing, both origins;
the uncertain pairs wait for staff; two events of one source are never merged by matching."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event, MatchPair
from agenda.store.conditions import listed
from tests.test_refresh import collect, register

__all__ = ["register"]  # a fixture

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//FR\r\n"


def vevent(uid, title, start, end="", place="Salle des fêtes\\, place Jean-Jaurès\\, 37000 Tours",
           url=""):
    lines = [f"UID:{uid}", "DTSTAMP:20261101T090000Z", f"DTSTART;TZID=Europe/Paris:{start}",
             f"SUMMARY:{title}", f"LOCATION:{place}"]
    lines += [f"DTEND;TZID=Europe/Paris:{end}"] if end else []
    lines += [f"URL:{url}"] if url else []
    return "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\n"


def calendar(*events) -> str:
    return HEAD + "".join(events) + "END:VCALENDAR\r\n"


CRESS = calendar(
    vevent("forum@cress", "Forum « L'ESS recrute » : emploi et insertion", "20261118T140000",
           "20261118T180000", url="https://cress.example/forum"),
    vevent("ag@cress", "Assemblée générale de la CRESS", "20261119T180000", "20261119T200000",
           place="Hôtel de Région\\, 45000 Orléans"),
)
NETWORK = calendar(
    vevent("n-1", "Forum L'ESS recrute – emploi et insertion (Tours)", "20261118T140000",
           "20261118T180000"),
    vevent("n-2", "Atelier vélo", "20261118T140000", "20261118T160000"),  # same place and time
)


def serve_both(httpserver, register) -> tuple[int, int]:
    """The CRESS's calendar and the network's, on loopback, registered as two sources."""
    for path, body in (("/cress.ics", CRESS), ("/network.ics", NETWORK)):
        httpserver.expect_request(path).respond_with_data(body, content_type="text/calendar")
    return (register(httpserver.url_for("/cress.ics"), name="CRESS"),
            register(httpserver.url_for("/network.ics"), name="Réseau"))


def listed_titles(factory) -> list[str]:
    with transaction(factory) as session:
        return sorted(session.scalars(select(Event.title).where(listed())))


def test_the_same_forum_from_two_sources_is_listed_once(httpserver, factory, settings, now,
                                                       register):
    cress, network = serve_both(httpserver, register)
    collect(factory, settings, cress, now)
    outcome = collect(factory, settings, network, now + timedelta(minutes=5))
    assert outcome.ok and outcome.new == 2
    titles = listed_titles(factory)
    assert titles == ["Assemblée générale de la CRESS", "Atelier vélo",
                      "Forum « L'ESS recrute » : emploi et insertion"]
    with transaction(factory) as session:
        forum = session.scalars(select(Event).where(Event.source_uid == "forum@cress")).one()
        copy = session.scalars(select(Event).where(Event.source_uid == "n-1")).one()
        assert copy.duplicate_of == forum.id and forum.duplicate_of is None
        pair = session.scalars(select(MatchPair)).one()
        assert pair.state == "merged" and pair.decided_by == "auto"


def test_collecting_again_keeps_one_listing_and_asks_nothing_new(httpserver, factory, settings,
                                                                 now, register):
    cress, network = serve_both(httpserver, register)
    collect(factory, settings, cress, now)
    collect(factory, settings, network, now + timedelta(minutes=5))
    later = now + timedelta(days=2)
    collect(factory, settings, cress, later)
    collect(factory, settings, network, later)
    assert len(listed_titles(factory)) == 3
    with transaction(factory) as session:
        assert len(session.scalars(select(MatchPair)).all()) == 1


def test_two_events_of_one_source_are_never_merged_by_matching(httpserver, factory, settings,
                                                               now, register):
    twice = calendar(
        vevent("a", "Repair café", "20261118T140000", "20261118T170000"),
        vevent("b", "Repair café", "20261118T140000", "20261118T170000"),
    )
    httpserver.expect_request("/twice.ics").respond_with_data(twice, content_type="text/calendar")
    collect(factory, settings, register(httpserver.url_for("/twice.ics")), now)
    assert listed_titles(factory) == ["Repair café", "Repair café"]
    with transaction(factory) as session:
        states = [p.state for p in session.scalars(select(MatchPair))]
    assert states in ([], ["pending"])  # staff may merge them; matching never does


def test_a_source_filter_keeps_the_events_it_announced_as_copies(httpserver, factory, settings,
                                                                 now, register):
    from agenda.listing.filters import Filters
    from agenda.listing.query import find_event_ids

    cress, network = serve_both(httpserver, register)
    collect(factory, settings, cress, now)
    collect(factory, settings, network, now + timedelta(minutes=5))
    window = (now - timedelta(days=30), now + timedelta(days=60))
    with transaction(factory) as session:
        ids = find_event_ids(session, Filters(sources=(network,)), window=window)
        titles = sorted(session.get(Event, event_id).title for event_id in ids)
    # the forum is listed under the CRESS's copy, and still in the network's subscription
    assert titles == ["Atelier vélo", "Forum « L'ESS recrute » : emploi et insertion"]


def test_a_copy_its_source_moves_to_another_day_leaves_the_merge(httpserver, factory, settings,
                                                                  now, register):
    cress, network = serve_both(httpserver, register)
    collect(factory, settings, cress, now)
    collect(factory, settings, network, now + timedelta(minutes=5))
    assert len(listed_titles(factory)) == 3
    moved = NETWORK.replace("DTSTART;TZID=Europe/Paris:20261118T140000\r\nSUMMARY:Forum",
                            "DTSTART;TZID=Europe/Paris:20261125T140000\r\nSUMMARY:Forum")
    moved = moved.replace("DTEND;TZID=Europe/Paris:20261118T180000\r\nEND:VEVENT\r\n"
                          "BEGIN:VEVENT\r\nUID:n-2",
                          "DTEND;TZID=Europe/Paris:20261125T180000\r\nEND:VEVENT\r\n"
                          "BEGIN:VEVENT\r\nUID:n-2")
    assert moved.count("20261125") == 2
    httpserver.clear()
    httpserver.expect_request("/network.ics").respond_with_data(moved,
                                                                content_type="text/calendar")
    collect(factory, settings, network, now + timedelta(days=1))
    titles = listed_titles(factory)
    assert "Forum L'ESS recrute – emploi et insertion (Tours)" in titles and len(titles) == 4
    with transaction(factory) as session:
        assert session.scalars(select(MatchPair)).all() == []  # no longer alike: forgotten


def test_a_large_collection_reads_its_candidates_in_one_pass(httpserver, factory, settings, now,
                                                             register, monkeypatch):
    # beyond MANY changed events (a fresh collection), every listed occurrence is read at once,
    # PostgreSQL's statistics refreshed first inside the collection's transaction
    monkeypatch.setattr("agenda.store.match_candidates.MANY", 0)
    cress, network = serve_both(httpserver, register)
    collect(factory, settings, cress, now)
    collect(factory, settings, network, now + timedelta(minutes=5))
    assert listed_titles(factory) == ["Assemblée générale de la CRESS", "Atelier vélo",
                                      "Forum « L'ESS recrute » : emploi et insertion"]
