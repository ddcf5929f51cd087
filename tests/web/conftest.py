"""Fixtures of the page tests: the app with a frozen clock, its client, a small calendar."""

from __future__ import annotations

import pytest

from agenda.web import create_app
from agenda.web.shared import dates
from tests.web.pages import CALENDAR, NOW, Stored, store


@pytest.fixture
def app(settings, engine, monkeypatch):
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def calendar(factory) -> Stored:
    """The calendar of tests/web/pages.py stored; 'Retiré par sa source' then removed."""
    return store(factory, CALENDAR, removed=("gone",))
