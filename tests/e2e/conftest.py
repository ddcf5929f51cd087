"""Browser tests: the offline demo collected for real, the app served on a loopback port, and
Debian's Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from agenda.collectors.worker import collect_due_sources, utcnow
from agenda.db import transaction
from agenda.demo import load_demo_sources
from agenda.demo_server import DemoFeedServer
from agenda.store.sources import register_sources
from agenda.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
# Every host name but loopback fails to resolve: a page can never reach the internet from a
# test (map tiles, a source's image), and fails at once instead of waiting for a timeout.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


def pytest_collection_modifyitems(items):
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: `make services` installs Debian's "
                                   "chromium package")
    for item in items:
        if item.get_closest_marker("browser") and not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_app(settings, engine, factory):
    """The app with the whole offline demo collected into its database."""
    with DemoFeedServer(settings.config_dir) as feeds:
        with transaction(factory) as session:
            register_sources(session, load_demo_sources(settings.config_dir),
                             base_url=feeds.base_url, now=utcnow())
        collect_due_sources(factory, settings)
    app = create_app(settings)
    yield app
    app.extensions["agenda"].engine.dispose()


@pytest.fixture
def site(demo_app):
    """The base URL of the app served in a thread on a free loopback port."""
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-app", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
