"""Every staff page of moderation and administration fits a 320 px phone, in French and English,
with the content that makes them wide: a proposal flagged as a look-alike with its image, one
edited after approval (its changes side by side), a title of long words, a source in error with
its problem, the audit log's sentences.  axe-core finds no violation on them either."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event, Occurrence, Source, User
from agenda.services.moderation import approve
from agenda.services.submissions import edit_by_submitter, submit
from agenda.store.images import save_image
from agenda.store.runs import add_run
from agenda.store.sources import record_failure
from tests.e2e.site_pages import STAFF_EMAIL, STAFF_PASSWORD, sign_in, with_lang
from tests.e2e.test_accessibility import violations
from tests.e2e.test_narrow_pages import overflow
from tests.services.proposals import event_data

pytestmark = pytest.mark.browser

WIDTH = 320
CONTACT = "benevole@example.org"
LONG_TITLE = ("Assemblée générale extraordinaire de l'association intercommunautaire "
              "Anticonstitutionnellement-Solidaires")


def _submit(session, settings, now, **overrides):
    return submit(session, kind="event", data=event_data(**overrides), contact_email=CONTACT,
                  now=now, settings=settings).submission


def _published_occurrence(session, now) -> Occurrence:
    return session.scalars(select(Occurrence).join(Event).where(
        Occurrence.start_at > now, Occurrence.all_day.is_(False), Event.removed_at.is_(None))
        .order_by(Occurrence.start_at)).first()


def _image(settings) -> str:
    picture = io.BytesIO()
    Image.new("RGB", (1600, 900), (23, 96, 58)).save(picture, "WEBP")
    return "/images/" + save_image(settings.instance_path, picture.getvalue())


def _failing_source(session, now) -> int:
    source = session.scalars(select(Source).where(Source.kind != "form").order_by(Source.id)).first()
    message = "The server answered HTTP 404 (Not Found) for " + "https://" + "x" * 120 + ".ics"
    add_run(session, source_id=source.id, started_at=now, finished_at=now, outcome="error",
            error_code=None, error_message=message)
    record_failure(session, source, now=now, code="fetch.http_status", message=message,
                   failures=3, status="error", next_run_at=now + timedelta(hours=2))
    return source.id


@pytest.fixture
def staff_paths(demo_app, factory) -> list[str]:
    """The staff account, the proposals and the failing source; the staff paths to walk."""
    settings = demo_app.extensions["agenda"].settings
    now = datetime.now(timezone.utc)
    from agenda.services.accounts import create_user

    with transaction(factory) as session:
        create_user(session, email=STAFF_EMAIL, password=STAFF_PASSWORD, role="admin", now=now)
        twin_of = _published_occurrence(session, now)
        start = twin_of.start_at.astimezone(settings.tz)
        twin = _submit(session, settings, now, title=twin_of.event.title.upper(),
                       start=f"{start:%Y-%m-%dT%H:%M}",
                       end=f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
                       image_url=_image(settings))
        long = _submit(session, settings, now, title=LONG_TITLE,
                       url="https://example.org/" + "tres-long-chemin-" * 8)
        edited = _submit(session, settings, now)
        approve(session, edited, user=session.scalars(select(User)).one(), now=now,
                settings=settings)
        edit_by_submitter(session, edited, event_data(title=LONG_TITLE + " (nouvelle date)",
                                                      start="2026-11-28T10:00"),
                          contact_email=CONTACT, now=now, settings=settings)
        source_id = _failing_source(session, now)
        ids = twin.id, long.id, edited.id
    return ["/admin/", "/admin/moderation/", *(f"/admin/moderation/{i}" for i in ids),
            f"/admin/moderation/{ids[1]}/edit", f"/admin/sources/{source_id}",
            "/admin/audit", "/admin/accounts", "/admin/actors"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_staff_page_fits_a_320_px_phone_without_axe_violations(browser, site, staff_paths, lang):
    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": 800},
                                  bypass_csp=True)  # axe-core is injected
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, lang)
    wide, failing = {}, {}
    for path in staff_paths:
        page.goto(f"{site}{with_lang(path, lang)}")
        assert "/admin/login" not in page.url, path
        if page.evaluate("document.documentElement.scrollWidth") > page.evaluate("innerWidth"):
            wide[path] = overflow(page)
        if found := violations(page):
            failing[path] = found
    page.goto(f"{site}{with_lang('/admin/moderation/', lang)}")
    assert page.locator("tr.has-lookalike .lookalike a").count() >= 1
    page.goto(f"{site}{with_lang('/admin/', lang)}")
    assert page.locator(".trouble-list .trouble").count() >= 1
    context.close()
    assert wide == {} and failing == {}
