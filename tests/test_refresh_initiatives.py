"""A source of kind "initiatives" (an actor's feed of projects) collected through the real
collection path, against feeds served on loopback: its items become initiatives, not events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from agenda.collectors.refresh import refresh_source
from agenda.collectors.worker import collect_due_sources
from agenda.db import transaction
from agenda.models import CollectionRun, DataChange, Event, Initiative, InitiativeActor, Source
from agenda.store.sources import add_source

PROJECTS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/">
<channel><title>Projets du Grenier</title><link>https://grenier.example/</link>
<item><title>{first}</title><guid isPermaLink="false">projet-1</guid>
  <link>https://grenier.example/projets/atelier-velo</link>
  <description>&lt;p&gt;Un atelier pour réparer son vélo.&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</description>
  <category>Vélo</category><category>Réemploi</category>
  <pubDate>Mon, 02 Mar 2026 09:00:00 +0100</pubDate>
  <ev:location>Tours</ev:location></item>
<item><title>Une épicerie solidaire à Vierzon</title><guid isPermaLink="false">projet-2</guid>
  <description>Ouverte à toutes et tous.</description>
  <category>épicerie solidaire</category>
  <ev:startdate>2026-09-01</ev:startdate><ev:enddate>2027-06-30</ev:enddate></item>
<item><title></title><guid isPermaLink="false">projet-3</guid><description>Sans titre</description></item>
</channel></rss>
"""


def projects(first="Un atelier vélo participatif") -> str:
    return PROJECTS.format(first=first)


@pytest.fixture
def register(factory, now):
    def register(url, kind="initiatives", name="Projets du Grenier", owner="Le Grenier (test)"):
        with transaction(factory) as session:
            return add_source(session, name=name, url=url, kind=kind, actor_name=owner,
                              now=now).id
    return register


def initiatives(factory, source_id) -> dict[str, Initiative]:
    with transaction(factory) as session:
        rows = session.scalars(select(Initiative).where(Initiative.source_id == source_id))
        return {i.origin_key.split(":", 1)[1]: i for i in rows}


def version(factory) -> int:
    with transaction(factory) as session:
        return session.scalar(select(DataChange.value)) or 0


def test_items_become_initiatives_with_themes_commune_and_owner(httpserver, factory, settings,
                                                                 now, register):
    httpserver.expect_request("/projets.rss").respond_with_data(
        projects(), content_type="application/rss+xml")
    sid = register(httpserver.url_for("/projets.rss"))
    before = version(factory)
    outcome = refresh_source(factory, sid, now=now, settings=settings)
    assert (outcome.outcome, outcome.new, outcome.skipped) == ("ok", 2, 1)
    found = initiatives(factory, sid)
    bike, grocery = found["projet-1"], found["projet-2"]
    assert bike.title == "Un atelier vélo participatif"
    assert "script" not in bike.description_html and "réparer son vélo" in bike.description_text
    assert set(bike.themes) == {"reemploi", "mobilite"}
    assert (bike.commune_name, bike.department) == ("Tours", "37")
    assert bike.starts_on == date(2026, 3, 2) and bike.status == "active"
    assert bike.url == "https://grenier.example/projets/atelier-velo"
    assert (grocery.starts_on, grocery.ends_on) == (date(2026, 9, 1), date(2027, 6, 30))
    assert "alimentation" in grocery.themes
    with transaction(factory) as session:
        owner = session.get(Source, sid).actor_id
        assert {i.actor_id for i in found.values()} == {owner}
        links = session.scalar(select(func.count()).select_from(InitiativeActor)
                               .where(InitiativeActor.actor_id == owner))
        assert links == 2
        assert session.scalar(select(func.count()).select_from(Event)) == 0  # not events
        run = session.scalars(select(CollectionRun).where(CollectionRun.source_id == sid)).one()
        assert (run.outcome, run.new) == ("ok", 2)
    assert version(factory) > before


def test_collecting_again_changes_nothing_and_a_changed_item_updates(httpserver, factory,
                                                                     settings, now, register):
    httpserver.expect_request("/projets.rss").respond_with_data(
        projects(), content_type="application/rss+xml")
    sid = register(httpserver.url_for("/projets.rss"))
    refresh_source(factory, sid, now=now, settings=settings)
    first = {k: (i.id, i.updated_at) for k, i in initiatives(factory, sid).items()}
    again = refresh_source(factory, sid, now=now + timedelta(hours=2), settings=settings)
    assert again.outcome == "unchanged"
    with transaction(factory) as session:  # parsed again: still nothing new
        session.get(Source, sid).body_hash = None
    third = refresh_source(factory, sid, now=now + timedelta(hours=4), settings=settings)
    assert (third.outcome, third.new, third.updated) == ("ok", 0, 0)
    assert {k: (i.id, i.updated_at) for k, i in initiatives(factory, sid).items()} == first
    httpserver.clear()
    httpserver.expect_request("/projets.rss").respond_with_data(
        projects(first="Un atelier vélo, deux soirs par semaine"),
        content_type="application/rss+xml")
    changed = refresh_source(factory, sid, now=now + timedelta(hours=6), settings=settings)
    assert (changed.new, changed.updated) == (0, 1)
    bike = initiatives(factory, sid)["projet-1"]
    assert bike.id == first["projet-1"][0] and bike.title.endswith("deux soirs par semaine")


def test_items_that_left_the_feed_are_kept(httpserver, factory, settings, now, register):
    httpserver.expect_request("/projets.rss").respond_with_data(
        projects(), content_type="application/rss+xml")
    sid = register(httpserver.url_for("/projets.rss"))
    refresh_source(factory, sid, now=now, settings=settings)
    httpserver.clear()
    httpserver.expect_request("/projets.rss").respond_with_data(
        PROJECTS.split("<item>")[0] + "</channel></rss>", content_type="application/rss+xml")
    outcome = refresh_source(factory, sid, now=now + timedelta(hours=2), settings=settings)
    assert outcome.outcome == "ok"
    kept = initiatives(factory, sid)
    assert len(kept) == 2 and all(i.removed_at is None for i in kept.values())


def test_a_304_costs_no_parse(httpserver, factory, settings, now, register):
    httpserver.expect_request("/projets.rss", headers={"If-None-Match": '"v1"'}) \
        .respond_with_data("", status=304)
    httpserver.expect_request("/projets.rss").respond_with_data(
        projects(), content_type="application/rss+xml", headers={"ETag": '"v1"'})
    sid = register(httpserver.url_for("/projets.rss"))
    assert refresh_source(factory, sid, now=now, settings=settings).new == 2
    later = refresh_source(factory, sid, now=now + timedelta(hours=1), settings=settings)
    assert later.outcome == "not_modified"


def test_a_broken_feed_is_an_error_on_its_source_while_others_carry_on(
        httpserver, factory, settings, now, register):
    httpserver.expect_request("/projets.rss").respond_with_data(
        projects(), content_type="application/rss+xml")
    httpserver.expect_request("/broken.rss").respond_with_data(
        "<html><body>Page introuvable</body></html>", content_type="text/html")
    good = register(httpserver.url_for("/projets.rss"))
    bad = register(httpserver.url_for("/broken.rss"), name="Projets cassés",
                   owner="Autre (test)")
    collect_due_sources(factory, settings)
    with transaction(factory) as session:
        broken = session.get(Source, bad)
        assert (broken.status, broken.last_error_code) == ("error", "parse.html_page")
        assert "web page" in broken.last_error
        assert session.get(Source, good).status == "ok"
    assert len(initiatives(factory, good)) == 2
    assert initiatives(factory, bad) == {}

