"""The staff pages of campaigns (``/admin/campaigns/``): the list, a new campaign, changing one
(its dates, portal and rules), and the events added or excluded by hand.

Every view needs a signed-in staff account (``staff_required``: anonymous GET goes to the login
page, anything else is a 401).  The form shows, before anything is saved, how many events the
rules match now in the campaign's dates ("Show what the rules match" sends the form without
saving it), and says so plainly when they match nothing or every event of those dates.  A
refused form comes back with every problem next to its field and the input as it was typed.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from agenda.errors import NotFound
from agenda.models import Campaign
from agenda.services.campaign_picks import PickRefused, pick_event, unpick_event
from agenda.services.campaigns import (
    CampaignInvalid,
    check_values,
    create_campaign,
    update_campaign,
)
from agenda.store.actors import list_actors
from agenda.store.campaign_members import (
    campaign_scope,
    list_picks,
    member_totals,
    preview_rules,
)
from agenda.store.campaigns import get_campaign, list_campaigns
from agenda.store.sources import list_sources
from agenda.web import db_session, state
from agenda.web.admin.views import staff_headers
from agenda.web.campaigns.admin_form import CampaignForm
from agenda.web.public.listing import current_region
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc

bp = Blueprint("campaign_admin", __name__, url_prefix="/admin/campaigns")
bp.after_request(staff_headers)


@bp.get("/")
@staff_required
def index():
    session = db_session()
    campaigns = list_campaigns(session)
    tz = state().settings.tz
    counts = member_totals(session, [campaign_scope(c, tz) for c in campaigns], tz)
    return render_template("campaign_admin/index.html", campaigns=campaigns, counts=counts)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = offered(CampaignForm())
    if request.method == "POST" and not previewing():
        campaign = save(form, None)
        if campaign is not None:
            flash(gettext("The campaign %(name)s was created.", name=campaign.name), "success")
            return redirect(url_for("campaign_admin.edit", campaign_id=campaign.id))
    return _form_page(form, None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = offered(CampaignForm(obj=campaign if request.method == "GET" else None))
    if request.method == "GET":
        form.fill_from(campaign)
    elif not previewing():
        if save(form, campaign) is not None:
            flash(gettext("The campaign %(name)s was saved.", name=campaign.name), "success")
            return redirect(url_for("campaign_admin.index"))
    return _form_page(form, campaign)


def previewing() -> bool:
    return request.form.get("action") == "preview"


def offered(form: CampaignForm) -> CampaignForm:
    session = db_session()
    return form.offer(current_region(),
                      sources=[(source.id, source.name) for source, _ in list_sources(session)],
                      actors=[(actor.id, actor.name) for actor in list_actors(session)])


def save(form: CampaignForm, campaign: Campaign | None) -> Campaign | None:
    """Create or change the campaign and commit; None (errors on the form) when refused."""
    session = db_session()
    values, region = form.values(), current_region()
    if not form.validate():
        form.add_errors(check_values(session, values.cleaned(), region=region,
                                     campaign_id=campaign.id if campaign else None))
        return None
    user = current_user.user
    try:
        if campaign is None:
            campaign = create_campaign(session, values, user=user, now=now_utc(), region=region)
        else:
            campaign = update_campaign(session, campaign, values, user=user, now=now_utc(),
                                       region=region)
    except CampaignInvalid as refused:
        session.rollback()
        form.add_errors(refused.errors)
        return None
    session.commit()
    return campaign


def _form_page(form: CampaignForm, campaign: Campaign | None):
    status = 400 if form.errors else 200
    session = db_session()
    return render_template(
        "campaign_admin/form.html", form=form, campaign=campaign, preview=rules_preview(form),
        picks=list_picks(session, campaign.id) if campaign else []), status


def rules_preview(form: CampaignForm):
    """What the form's rules match in its dates now (None until the dates are valid)."""
    values = form.values().cleaned()
    if (values.starts_on is None or values.ends_on is None or values.ends_on < values.starts_on
            or form.starts_on.errors or form.ends_on.errors):
        return None
    draft = Campaign(**{**values.columns(), "slug": values.slug or "-"})
    return preview_rules(db_session(), campaign_scope(draft, state().settings.tz))


# --- Events added or excluded by hand -----------------------------------------------------

@bp.post("/<int:campaign_id>/events")
@staff_required
def pick(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    session = db_session()
    included = request.form.get("included") == "1"
    try:
        event = pick_event(session, campaign, request.form.get("event", ""), included=included,
                           user=current_user.user, now=now_utc())
    except PickRefused as refused:
        session.rollback()
        flash(gettext(refused.message), "error")
        return redirect(url_for("campaign_admin.edit", campaign_id=campaign.id, _anchor="a-la-main"))
    session.commit()
    message = (gettext("%(title)s was added to the campaign.", title=event.title) if included
               else gettext("%(title)s was excluded from the campaign.", title=event.title))
    flash(message, "success")
    return redirect(url_for("campaign_admin.edit", campaign_id=campaign.id, _anchor="a-la-main"))


@bp.post("/<int:campaign_id>/events/<event_id>/withdraw")
@staff_required
def unpick(campaign_id: int, event_id: str):
    campaign = campaign_or_404(campaign_id)
    session = db_session()
    event = unpick_event(session, campaign, event_id, user=current_user.user, now=now_utc())
    session.commit()
    if event is not None:
        flash(gettext("The choice made by hand about %(title)s was withdrawn: the rules decide "
                      "again.", title=event.title), "success")
    return redirect(url_for("campaign_admin.edit", campaign_id=campaign.id, _anchor="a-la-main"))


def campaign_or_404(campaign_id: int) -> Campaign:
    try:
        return get_campaign(db_session(), campaign_id)
    except NotFound:
        abort(404)
