"""The offline demo of `make run`, collected for real: five sources land, two fail clearly."""

from __future__ import annotations

from sqlalchemy import select

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
    assert len(outcomes) == 7
    with transaction(factory) as session:
        rows = {source.url.rsplit("/", 1)[1]: (source.status, count, source.last_error_code)
                for source, count in list_sources(session)}
        actors = {s.actor.name for s in session.scalars(select(Source))}
    assert rows["cress-mois-ess.ics"][0] == "ok" and rows["cress-mois-ess.ics"][1] >= 10
    assert rows["tiers-lieu-google.ics"][:2] == ("ok", 6)
    assert rows["cooperative-evenements.rss"][:2] == ("ok", 5)
    assert rows["reseau-actualites.atom"][:2] == ("ok", 0)  # news are not events
    assert rows["collectivite-tronque.ics"] == ("error", 0, "parse.truncated")
    assert rows["mutuelle-ateliers-sante.ics"] == ("error", 0, "fetch.http_status")
    assert all(name.endswith("(démo)") for name in actors)
