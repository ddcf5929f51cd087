"""The offline demo of `make run`, collected for real: eight sources land (calendars, feeds, a
web page with JSON-LD, an OpenAgenda agenda, a The Events Calendar site), two fail clearly."""

from __future__ import annotations

from sqlalchemy import select

from agenda.collectors.refresh import refresh_source
from agenda.collectors.worker import collect_due_sources, utcnow
from agenda.db import transaction
from agenda.demo import load_demo_sources
from agenda.demo_server import DemoFeedServer
from agenda.models import Source
from agenda.store.sources import list_sources, register_sources


def test_the_demo_collects_with_per_source_errors(factory, settings):
    with DemoFeedServer(settings.config_dir) as server:
        with transaction(factory) as session:
            register_sources(session, load_demo_sources(settings.config_dir),
                             base_url=server.base_url, now=utcnow())
        outcomes = collect_due_sources(factory, settings)
    assert len(outcomes) == 11
    with transaction(factory) as session:
        rows = {source.url.split("/", 3)[3]: (source.status, count, source.last_error_code)
                for source, count in list_sources(session)}
        formats = {s.url.split("/", 3)[3]: s.detected_format for s in session.scalars(
            select(Source))}
        actors = {s.actor.name for s in session.scalars(select(Source))}
    assert rows["cress-mois-ess.ics"][0] == "ok" and rows["cress-mois-ess.ics"][1] >= 10
    assert rows["tiers-lieu-google.ics"][:2] == ("ok", 6)
    assert rows["cooperative-evenements.rss"][:2] == ("ok", 6)  # the forum is its 6th
    assert rows["reseau-actualites.atom"][:2] == ("ok", 0)  # news are not events
    assert rows["collectivite-tronque.ics"] == ("error", 0, "parse.truncated")
    assert rows["mutuelle-ateliers-sante.ics"] == ("error", 0, "fetch.http_status")
    assert all(name.endswith("(démo)") for name in actors)
    # every kind told apart by auto-detection alone
    assert rows["theatre-programme.html"] == ("ok", 4, None)  # 2 on the page, 2 linked pages
    assert formats["theatre-programme.html"] == "jsonld"
    assert rows["openagenda/v2/agendas/8803/events"] == ("ok", 3, None)  # two pages
    assert formats["openagenda/v2/agendas/8803/events"] == "openagenda"
    assert rows["wp-json/tribe/events/v1/events"] == ("ok", 4, None)  # two pages
    assert formats["wp-json/tribe/events/v1/events"] == "tribe"
    assert rows["ressourcerie-projets.rss"] == ("ok", 0, None)  # projects: initiatives


def test_the_demo_apis_collect_again_incrementally(factory, settings):
    with DemoFeedServer(settings.config_dir) as server:
        with transaction(factory) as session:
            register_sources(session, load_demo_sources(settings.config_dir),
                             base_url=server.base_url, now=utcnow())
        collect_due_sources(factory, settings)
        with transaction(factory) as session:
            api = [s.id for s in session.scalars(select(Source)) if s.kind == "auto"
                   and s.detected_format in ("openagenda", "tribe", "jsonld")]
        again = [refresh_source(factory, sid, now=utcnow(), settings=settings) for sid in api]
    assert [(o.outcome, o.new, o.removed) for o in again] == [("ok", 0, 0)] * 3
    with transaction(factory) as session:
        state = next(s.sync_state for s in session.scalars(select(Source))
                     if s.detected_format == "openagenda")
    assert state["updated_since"] and state["full_read_at"]


def collect_demo(factory, settings) -> None:
    """Register the demo's sources and collect them all, as `make run` does."""
    with DemoFeedServer(settings.config_dir) as server:
        with transaction(factory) as session:
            register_sources(session, load_demo_sources(settings.config_dir),
                             base_url=server.base_url, now=utcnow())
        collect_due_sources(factory, settings)


def test_the_demo_forum_announced_twice_is_listed_once_with_both_origins(factory, settings):
    from agenda.models import Event
    from agenda.store.conditions import listed
    from agenda.store.event_copies import copies_of

    collect_demo(factory, settings)
    with transaction(factory) as session:
        forums = session.scalars(select(Event).where(listed(),
                                                     Event.title.like("%ESS recrute%"))).all()
        assert len(forums) == 1
        [copy] = copies_of(session, forums[0].id)
        names = {forums[0].source.name, copy.source_name}
    assert names == {"Agenda de la CRESS Centre-Val de Loire (démo)",
                     "Réunions et ateliers de Coop'Actions (démo)"}


def test_the_demo_leaves_one_uncertain_pair_for_staff_to_review(factory, settings):
    from agenda.store.match_pairs import pending_pairs

    collect_demo(factory, settings)
    with transaction(factory) as session:
        titles = [sorted((view.first.title, view.second.title))
                  for view in pending_pairs(session)]
    # the café-vélo's bourse aux vélos, the same day at the same hall as the CRESS's repair café
    assert ["Bourse aux vélos et atelier de réparation",
            "Repair café géant et bourse aux vélos"] in titles
