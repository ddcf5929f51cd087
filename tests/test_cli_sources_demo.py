"""Done when a staff member of the offline demo can add any kind of source from the command line
without knowing which kind it is: `agenda source add URL` on each of the demo's addresses finds
the right collector, and refuses the broken ones with their sentence."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from agenda.cli import main
from agenda.db import transaction
from agenda.demo_server import DemoFeedServer
from agenda.models import Source
from tests.cli_env import cli_env


@pytest.fixture
def demo(settings):
    with DemoFeedServer(settings.config_dir) as server:
        yield server.base_url.rstrip("/")


# One address of the demo for each kind of source, and the kind discovery must find
DEMO_KINDS = [
    ("cress-mois-ess.ics", "ics"),
    ("cooperative-evenements.rss", "feed"),
    ("theatre-programme.html", "jsonld"),
    ("openagenda/v2/agendas/8803/events", "openagenda"),
    ("wp-json/tribe/events/v1/events", "tribe"),
]


@pytest.mark.parametrize("path, kind", DEMO_KINDS)
def test_each_demo_source_is_added_without_saying_its_kind(settings, engine, factory, demo,
                                                           path, kind):
    result = CliRunner().invoke(main, ["source", "add", f"{demo}/{path}", "--name", "Démo",
                                       "--lang", "en"], env=cli_env(settings),
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with transaction(factory) as session:
        source = session.get(Source, int(result.stdout))
        assert (source.kind, source.diagnosis["format"]) == (kind, kind)
        assert source.diagnosis["events"] > 0


@pytest.mark.parametrize("path, sentence", [
    ("collectivite-tronque.ics", "The calendar is cut short: END:VCALENDAR is missing."),
    ("mutuelle-ateliers-sante.ics", "The server answered HTTP 404 (Not Found)."),
])
def test_the_broken_demo_sources_are_refused_with_their_sentence(settings, engine, demo, path,
                                                                  sentence):
    result = CliRunner().invoke(main, ["source", "check", f"{demo}/{path}", "--lang", "en"],
                                env=cli_env(settings), catch_exceptions=False)
    assert result.exit_code == 1 and sentence in result.output
