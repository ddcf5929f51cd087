"""The offline demo's directory and projects: `agenda demo` imports made-up actors of the six
departments (the demo sources' owners among them, completed, not doubled), and collecting the
demo brings the ressourcerie's projects in as initiatives."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from agenda.cli import main
from agenda.collectors.worker import utcnow
from agenda.db import transaction
from agenda.demo import load_demo_sources
from agenda.demo_directory import import_demo_directory
from agenda.models import Actor, Initiative, Source
from agenda.region import cached_region
from tests.cli_env import cli_env
from tests.test_demo_collection import collect_demo

DEPARTMENTS = {"18", "28", "36", "37", "41", "45"}


def demo(settings) -> str:
    result = CliRunner().invoke(main, ["demo"], env=cli_env(settings), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_has_actors_with_themes_in_every_department(settings, factory):
    first = demo(settings)
    assert "Demo directory: 8 actor(s) added, 10 completed, 0 unchanged." in first
    with transaction(factory) as session:
        actors = {a.name: a for a in session.scalars(select(Actor))}
        owners = {s.actor.name for s in session.scalars(select(Source))}
    assert len(actors) == 18 and all(name.endswith(" (démo)") for name in actors)
    assert owners <= set(actors)  # the sources' owners are the map's actors, not doubled
    assert {a.department for a in actors.values()} == DEPARTMENTS
    assert all(a.themes for a in actors.values())
    grenier = actors["Le Grenier solidaire (démo)"]
    assert (grenier.structure, grenier.commune_name) == ("association", "Vierzon")
    assert grenier.siren and grenier.website.endswith(".example/")
    assert grenier.themes == ["reemploi", "emploi-insertion"]
    assert "Demo directory: 0 actor(s) added, 0 completed, 18 unchanged." in demo(settings)


def test_the_demo_collects_the_ressourcerie_projects_as_initiatives(settings, factory):
    with transaction(factory) as session:  # as `make run`: `agenda demo`, then collected
        import_demo_directory(session, settings.config_dir, now=utcnow(),
                              region=cached_region(settings.region_file))
    collect_demo(factory, settings)
    with transaction(factory) as session:
        grenier = session.scalar(select(Actor).where(Actor.name == "Le Grenier solidaire (démo)"))
        initiatives = session.scalars(select(Initiative)).all()
        assert len(initiatives) == 6
        assert {i.actor_id for i in initiatives} == {grenier.id}
        assert all(i.title.endswith("(démo)") and i.themes for i in initiatives)
        assert {i.department for i in initiatives} == {"18"}
        assert all("<script" not in i.description_html for i in initiatives)
        source = session.scalar(select(Source).where(Source.kind == "initiatives"))
        assert (source.status, source.last_error) == ("ok", None)


def test_the_demo_declares_one_initiatives_source():
    kinds = [s.kind for s in load_demo_sources("config")]
    assert kinds.count("initiatives") == 1
