"""Every page of the site, public and staff, with real content behind it: the demo collected for
real, a campaign, a proposal waiting in the queue (with its secret link), a published
initiative, and a staff account.  The browser tests walk this list (axe-core, narrow phones),
and `test_every_page_route_is_walked` keeps it complete when a page is added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from agenda.db import transaction
from agenda.demo import demo_campaign
from agenda.models import Event, Initiative, Source, Submission, User
from agenda.services.accounts import create_user
from agenda.services.moderation import approve
from agenda.store.campaigns import create_campaign
from agenda.store.uploads import save_upload
from tests.web.submitting import EVENT_FORM, INITIATIVE_FORM, propose

STAFF_EMAIL = "accessibilite@cress-centre.example"
STAFF_PASSWORD = "un mot de passe assez long"
IMPORT_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "imports" / "line-errors.csv"
DIRECTORY_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "directory" / "acteurs-cress.csv"

# Routes that answer no HTML page (feeds, data, actions, redirects): never walked.
NOT_PAGES = {
    "static", "public.healthz", "feeds.calendar_ics", "feeds.atom", "feeds.event_ics",
    "api.events", "api.sources", "api.openapi", "campaigns.campaign_ics",
    "campaigns.campaign_atom", "campaigns.campaign_json", "campaigns.campaign_csv_export",
    "public.this_month", "admin.logout", "images.image",
    # the search across kinds: its spreadsheet download and its JSON twins
    "finder.search_xlsx", "directory_api.search", "directory_api.actor",
    "directory_api.initiative",
    "widget.embed_script",  # /widget.js: the embed script
}


@dataclass
class SitePages:
    public: list[str]
    staff: list[str]
    # endpoint -> the walked path that stands for it (for the completeness check)
    endpoints: set[str] = field(default_factory=set)


def prepare_site(app, factory) -> SitePages:
    """Fill the demo's database with what every page needs; the paths to walk."""
    now = datetime.now(ZoneInfo("UTC"))
    with transaction(factory) as session:
        create_user(session, email=STAFF_EMAIL, password=STAFF_PASSWORD, role="admin", now=now)
        campaign = create_campaign(session, **demo_campaign(date.today()), now=now)
        slug, campaign_id = campaign.slug, campaign.id
    client = app.test_client()
    day = (date.today() + timedelta(days=6)).isoformat()
    secret = propose(client, EVENT_FORM, start_date=day, end_date=day)
    propose(client, INITIATIVE_FORM, "/submit/initiative")
    with transaction(factory) as session:
        initiative_id, proposal_id = _publish_initiative(session, app, now)
        event_path, occurrence_path = _event_paths(session, app)
        confirm_path = _confirmation_path(session, proposal_id, now)
        source_id = session.scalars(select(Source.id).order_by(Source.id)).first()
        actor_id = session.scalars(select(Source.actor_id).where(Source.actor_id.is_not(None))
                                   .order_by(Source.id)).first()  # an actor with its sources
        _queue_a_pair(session, now)  # the duplicates review shows a pair to decide
        upload = save_upload(session, filename="line-errors.csv", content=IMPORT_SAMPLE.read_bytes(),
                             user_id=None, now=now).id  # the import page with its line errors
        directory = save_upload(session, filename="acteurs-cress.csv",
                                content=DIRECTORY_SAMPLE.read_bytes(), user_id=None,
                                now=now).id  # the directory import's preview, a row refused
    public = ["/", "/?q=repair&sort=relevance", "/mois", f"/mois/{date.today():%Y-%m}",
              "/sources", "/submit", "/submit/initiative", "/initiatives/",
              f"/initiatives/{initiative_id}", "/campagnes/", f"/campagnes/{slug}",
              event_path, occurrence_path, secret, f"{secret}/edit", f"{secret}/cancel",
              "/submit/received", confirm_path, "/submit/confirmed", "/page-qui-n-existe-pas",
              "/submit/lost-link", "/submit/lost-link/sent",
              "/actors/", "/actors/?structure=association", f"/actors/{actor_id}",
              "/submit/actor",
              "/search", "/search?q=atelier&kind=event", "/search?structure=association",
              "/map", "/map?kind=actor&kind=initiative", "/widget/",
              "/widget/?dept=41&theme=reemploi&limit=5", "/widget/events",
              "/admin/login"]
    staff = ["/admin/", "/admin/moderation/", f"/admin/moderation/{proposal_id}",
             f"/admin/moderation/{proposal_id}/edit", f"/admin/sources/{source_id}",
             "/admin/sources", "/admin/sources/new", f"/admin/sources/{source_id}/edit",
             "/admin/actors", "/admin/actors/new", f"/admin/actors/{actor_id}",
             "/admin/audit", "/admin/accounts", "/admin/campaigns/",
             "/admin/campaigns/new", f"/admin/campaigns/{campaign_id}/edit",
             "/admin/import", f"/admin/import/{upload}", "/admin/matches",
             "/admin/directory-import", f"/admin/directory-import/{directory}",
             "/admin/territory",
             # signed in, the event's and the initiative's pages show their linking panels
             event_path, f"/initiatives/{initiative_id}"]
    return SitePages(public, staff)


def _publish_initiative(session, app, now) -> tuple[str, int]:
    """Approve the initiative proposal; the initiative's id and the pending event proposal's."""
    user = session.scalars(select(User)).one()
    pending = {s.kind: s for s in session.scalars(select(Submission))}
    approve(session, pending["initiative"], user=user, now=now,
            settings=app.extensions["agenda"].settings)
    session.flush()
    initiative = session.scalars(select(Initiative)).first()
    return initiative.id, pending["event"].id


def _event_paths(session, app) -> tuple[str, str]:
    """A collected series' page and the page of one of its later dates."""
    tz = app.extensions["agenda"].settings.tz
    for event in session.scalars(select(Event).where(Event.removed_at.is_(None))):
        if event.rrule and len(event.occurrences) > 1:
            day = event.occurrences[1].start_at.astimezone(tz).date()
            return f"/evenements/{event.id}", f"/evenements/{event.id}/{day.isoformat()}"
    raise AssertionError("the demo has no recurring event")


def _queue_a_pair(session, now) -> None:
    """Two listed events of two sources waiting in the duplicates review (unless the demo's
    collection already queued some)."""
    from agenda.store.match_pairs import count_pending, pair_between, save_pair

    if count_pending(session):
        return
    firsts: dict[int, str] = {}
    for event in session.scalars(select(Event).where(Event.removed_at.is_(None),
                                                     Event.duplicate_of.is_(None))):
        firsts.setdefault(event.source_id, event.id)
    a, b = list(firsts.values())[:2]
    if pair_between(session, a, b) is None:
        save_pair(session, a, b, score=0.7, reasons={"title": 0.7, "time": 0.9, "place": 0.5},
                  state="pending", now=now)


def _confirmation_path(session, proposal_id: int, now) -> str:
    """The one-time link a trusted actor's contact address would receive for the proposal
    (issued directly: the tests have no mailbox)."""
    from agenda.models import Actor
    from agenda.services.address_proofs import issue_confirmation

    submission = session.get(Submission, proposal_id)
    actor = session.scalars(select(Actor).order_by(Actor.id)).first()
    submission.actor_id = actor.id
    token = issue_confirmation(session, submission, actor, sender_key=None, now=now)
    return f"/submit/confirm/{token}"


def sign_in(page, site: str, lang: str = "fr") -> None:
    page.goto(f"{site}/admin/login?lang={lang}")
    page.fill("#email", STAFF_EMAIL)
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.staff-form button[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login" not in page.url


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"
