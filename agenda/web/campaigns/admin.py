"""The staff pages of campaigns (``/admin/campaigns/``): the list, a new campaign, changing one.

Every view needs a signed-in staff account (``staff_required``: anonymous GET goes to the login
page, anything else is a 401).  The values are checked by ``agenda.services.campaigns``; a
refused form comes back with every problem next to its field and the input as it was typed.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Optional

from agenda.errors import NotFound
from agenda.models import Campaign
from agenda.services.campaigns import (
    DESCRIPTION_MAX,
    NAME_MAX,
    CampaignInvalid,
    CampaignValues,
    check_values,
    create_campaign,
    update_campaign,
)
from agenda.store.campaigns import event_counts, get_campaign, list_campaigns
from agenda.web import db_session
from agenda.web.admin.views import staff_headers
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc

bp = Blueprint("campaign_admin", __name__, url_prefix="/admin/campaigns")
bp.after_request(staff_headers)


class CampaignForm(FlaskForm):
    """Types only (a date must be a date); what the values may be is the service's business."""

    name = StringField(_l("Name"), render_kw={"maxlength": NAME_MAX})
    slug = StringField(_l("Address of its page"), render_kw={"maxlength": 80},
                       description=_l("Lower-case letters, digits and hyphens, e.g. "
                                      "mois-ess-2026: the page will be /campagnes/mois-ess-2026"))
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day (included)"), validators=[Optional()])
    description = TextAreaField(_l("Description"), render_kw={"maxlength": DESCRIPTION_MAX,
                                                              "rows": 6})

    def values(self) -> CampaignValues:
        return CampaignValues(self.name.data or "", self.slug.data or "", self.starts_on.data,
                              self.ends_on.data, self.description.data or "")

    def add_errors(self, errors: dict[str, str]) -> None:
        """The service's messages under their fields (a field with a type error keeps it)."""
        for name, message in errors.items():
            field = self[name]
            if not field.errors:
                field.errors = [*field.errors, gettext(message)]


@bp.get("/")
@staff_required
def index():
    session = db_session()
    return render_template("campaign_admin/index.html", campaigns=list_campaigns(session),
                           counts=event_counts(session))


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = CampaignForm()
    if request.method == "POST":
        campaign = save(form, None)
        if campaign is not None:
            flash(gettext("The campaign %(name)s was created.", name=campaign.name), "success")
            return redirect(url_for("campaign_admin.index"))
    return _form_page(form, None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = CampaignForm(obj=campaign if request.method == "GET" else None)
    if request.method == "POST":
        if save(form, campaign) is not None:
            flash(gettext("The campaign %(name)s was saved.", name=campaign.name), "success")
            return redirect(url_for("campaign_admin.index"))
    return _form_page(form, campaign)


def save(form: CampaignForm, campaign: Campaign | None) -> Campaign | None:
    """Create or change the campaign and commit; None (errors on the form) when refused."""
    session = db_session()
    values = form.values()
    if not form.validate():
        form.add_errors(check_values(session, values.cleaned(),
                                     campaign_id=campaign.id if campaign else None))
        return None
    user = current_user.user
    try:
        if campaign is None:
            campaign = create_campaign(session, values, user=user, now=now_utc())
        else:
            campaign = update_campaign(session, campaign, values, user=user, now=now_utc())
    except CampaignInvalid as refused:
        session.rollback()
        form.add_errors(refused.errors)
        return None
    session.commit()
    return campaign


def _form_page(form: CampaignForm, campaign: Campaign | None):
    status = 400 if request.method == "POST" else 200
    return render_template("campaign_admin/form.html", form=form, campaign=campaign), status


def campaign_or_404(campaign_id: int) -> Campaign:
    try:
        return get_campaign(db_session(), campaign_id)
    except NotFound:
        abort(404)
