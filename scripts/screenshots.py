"""Screenshots of pages, as their users see them, to open and judge before a change lands.

    .venv/bin/python scripts/screenshots.py [--out DIR] [PATH ...]

Builds a throw-away instance with the offline demo collected for real, an admin account, this
year's campaign and one pending proposal, serves the app on a loopback port and saves every
PATH (default: every page) in French and English at 390 and 1280 px with Debian's chromium.
Paths under /admin/ are taken signed in.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from werkzeug.serving import make_server

from agenda.collectors.worker import collect_due_sources
from agenda.db import make_engine, make_session_factory, transaction
from agenda.demo import demo_campaign, load_demo_sources
from agenda.demo_directory import import_demo_directory
from agenda.demo_server import DemoFeedServer
from agenda.imports.category_themes import category_table
from agenda.migrate import upgrade_database
from agenda.region import cached_region
from agenda.services.accounts import create_user
from agenda.settings import load_settings
from agenda.store.campaigns import create_campaign
from agenda.store.sources import register_sources
from agenda.web import create_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
EMAIL, PASSWORD = "captures@example.org", "un mot de passe assez long"
DEFAULT_PATHS = ["/", "/mois", "/sources", "/submit", "/submit/initiative", "/initiatives/",
                 "/campagnes/", "/page-inconnue", "/admin/login", "/admin/",
                 "/admin/moderation/", "/admin/actors", "/admin/accounts", "/admin/audit",
                 "{confirm}", "/submit/confirm/lien-inconnu"]
CONFIRM = "{confirm}"  # the one-time link a trusted actor's contact address receives
# Other placeholders: {event} a collected series' page, {occurrence} the page of its second
# date, {proposal} the pending proposal's staff page, {merged} the page of an event announced by
# several sources (the demo's forum).


def prepare(folder: Path):
    settings = load_settings(instance_path=folder, allow_private_urls=True, jitter_seconds=0)
    engine = make_engine(settings)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    now = datetime.now(timezone.utc)
    with DemoFeedServer(settings.config_dir) as feeds:
        with transaction(factory) as session:
            register_sources(session, load_demo_sources(settings.config_dir),
                             base_url=feeds.base_url, now=now)
            import_demo_directory(session, settings.config_dir, now=now,
                                  region=cached_region(settings.region_file),
                                  categories=category_table(settings.region_file))
        collect_due_sources(factory, settings)
    with transaction(factory) as session:
        create_user(session, email=EMAIL, password=PASSWORD, role="admin", now=now)
        create_campaign(session, **demo_campaign(date.today()), now=now)
    return create_app(settings)


def confirmation_path(app) -> str:
    """A confirmation link issued for the latest proposal, as if e-mailed to its contact."""
    from sqlalchemy import select

    from agenda.models import Actor, Submission
    from agenda.services.address_proofs import issue_confirmation

    factory = app.extensions["agenda"].session_factory
    with transaction(factory) as session:
        submission = session.scalars(select(Submission).order_by(Submission.id.desc())).first()
        actor = session.scalars(select(Actor).order_by(Actor.id)).first()
        submission.actor_id = actor.id  # proposed for a trusted actor picked in the form
        token = issue_confirmation(session, submission, actor, sender_key=None,
                                   now=datetime.now(timezone.utc))
    return f"/submit/confirm/{token}"


def placeholder_paths(app) -> dict[str, str]:
    """What {event}, {occurrence}, {proposal} and {merged} stand for in this instance."""
    from sqlalchemy import select

    from agenda.models import Event, Submission

    tz = app.extensions["agenda"].settings.tz
    found = {}
    with transaction(app.extensions["agenda"].session_factory) as session:
        for event in session.scalars(select(Event).where(Event.removed_at.is_(None))):
            if event.rrule and len(event.occurrences) > 1:
                day = event.occurrences[1].start_at.astimezone(tz).date()
                found["{event}"] = f"/evenements/{event.id}"
                found["{occurrence}"] = f"/evenements/{event.id}/{day.isoformat()}"
                break
        copy = session.scalars(select(Event).where(Event.duplicate_of.is_not(None))).first()
        if copy is not None:
            found["{merged}"] = f"/evenements/{copy.duplicate_of}"
        latest = session.scalars(select(Submission).order_by(Submission.id.desc())).first()
        if latest is not None:
            found["{proposal}"] = f"/admin/moderation/{latest.id}"
    return found


def propose(page, site: str) -> None:
    day = (date.today() + timedelta(days=6)).isoformat()
    page.goto(f"{site}/submit")
    for field, value in {"#title": "Atelier vélo partagé", "#start_date": day,
                         "#start_time": "14:30", "#end_date": day, "#end_time": "17:00",
                         "#location_name": "La Rustine", "#postcode": "37000", "#city": "Tours",
                         "#new_actor_name": "La Rustine", "#contact_email": "a@example.org",
                         "#description": "Réparer ensemble."}.items():
        page.fill(field, value)
    page.select_option("#new_actor_kind", "association")
    page.click("form.proposal-form button[type=submit]")
    page.wait_for_load_state()


def sign_in(page, site: str) -> None:
    page.goto(f"{site}/admin/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form.staff-form button[type=submit]")
    page.wait_for_load_state()


def shoot(site: str, paths: list[str], out: Path, app, *, full_page: bool = True) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             headless=True, args=CHROMIUM_ARGS)
        for width in (390, 1280):
            context = browser.new_context(locale="fr-FR",
                                          viewport={"width": width, "height": 900})
            page = context.new_page()
            propose(page, site)
            sign_in(page, site)
            stand_for = placeholder_paths(app)
            for lang in ("fr", "en"):
                for path in paths:
                    name = path.strip("/{}").replace("/", "_").replace("?", "_") or "home"
                    if path == CONFIRM:
                        path, name = confirmation_path(app), "submit_confirm"
                    path = stand_for.get(path, path)
                    page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
                    target = out / f"{name}-{lang}-{width}.png"
                    page.screenshot(path=str(target), full_page=full_page)
                    saved.append(target)
            context.close()
        browser.close()
    return saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/screenshots"))
    parser.add_argument("--first-screen", action="store_true",
                        help="only what shows before any scrolling (900 px high)")
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = prepare(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            saved = shoot(f"http://127.0.0.1:{server.server_port}", args.paths, args.out, app,
                          full_page=not args.first_screen)
        finally:
            server.shutdown()
    print(f"{len(saved)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
