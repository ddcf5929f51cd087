"""`agenda generate N` and `agenda reindex`, and the generated events themselves."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from agenda.cli import main
from agenda.cli.generate import GENERATED_URL
from agenda.cli.sample_events import sample_records
from agenda.collectors.normalize import department_from_postcode
from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.models import Event, Source
from agenda.region import cached_region
from agenda.search import SearchIndex

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 21)


def test_generated_events_are_varied_and_reproducible():
    records = sample_records(600, seed=7, today=TODAY, tz=PARIS)
    departments = Counter(r.location.department for r in records if r.location.department)
    assert set(departments) == {"18", "28", "36", "37", "41", "45"}
    assert all(department_from_postcode(r.location.postcode) == r.location.department
               for r in records if r.location.postcode)
    online = [r for r in records if r.online_url]
    weekly = [r for r in records if r.rrule]
    assert 20 < len(online) < 100 and all(r.location.city is None for r in online)
    assert 10 < len(weekly) < 60 and all(len(r.occurrences) > 1 for r in weekly)
    days = [(r.start if isinstance(r.start, date) and not isinstance(r.start, datetime)
             else r.start.date()) for r in records]
    assert min(days) >= TODAY - timedelta(days=60) and max(days) <= TODAY + timedelta(days=365)
    assert sum(day < TODAY for day in days) > 5
    assert any("é" in r.title for r in records) and len({r.title for r in records}) > 50
    assert len({r.source_uid for r in records}) == 600
    assert sample_records(50, seed=7, today=TODAY, tz=PARIS) == records[:50]


@pytest.fixture
def agenda(settings, engine):
    env = {"AGENDA_INSTANCE_PATH": str(settings.instance_path),
           "AGENDA_DATABASE_URL": settings.database_url}

    def run(*args):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return run


def test_generate_stores_then_indexes_n_events_under_one_disabled_source(agenda, factory,
                                                                          settings):
    result = agenda("generate", "240", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "240 generated events stored" in result.output and "240 indexed" in result.output
    with transaction(factory) as session:
        source = session.scalar(select(Source).where(Source.url == GENERATED_URL))
        assert not source.enabled
        departments = set(session.scalars(select(Event.department).where(
            Event.source_id == source.id, Event.department.is_not(None))))
        assert departments == {"18", "28", "36", "37", "41", "45"}
        themes = session.scalars(select(Event.themes)).all()
        assert sum(1 for t in themes if t) > 200  # from the categories, as when collecting
    index = SearchIndex(settings.instance_path / "search",
                        region=cached_region(settings.region_file))
    assert index.status()["documents"] == 240
    year = (datetime.now(timezone.utc) - timedelta(days=70),
            datetime.now(timezone.utc) + timedelta(days=400))
    assert index.search(Filters(q="repair cafe"), window=year).total > 0

    again = agenda("generate", "200", "--seed", "3")
    assert "0 new, 0 updated, 40 removed" in again.output
    assert index.status()["documents"] == 200


def test_reindex_rebuilds_the_index_and_says_so(agenda, settings):
    agenda("generate", "30")
    result = agenda("reindex")
    assert result.exit_code == 0
    assert result.output.startswith("Search index rebuilt: 30 events in ")
    index = SearchIndex(settings.instance_path / "search",
                        region=cached_region(settings.region_file))
    assert index.status()["documents"] == 30
