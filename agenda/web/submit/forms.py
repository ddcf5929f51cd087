"""The public proposal forms: an event, an initiative, and the confirmation of a cancellation.

Each field checks itself (required, length, plain text, URL, e-mail...); what depends on several
fields (the dates, the place, the organiser, the campaign) is checked in ``validate`` and shown
next to the field it concerns.  The choices that come from the database or the region are given
by a :class:`ProposalContext`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from agenda.collectors.normalize import department_from_postcode
from agenda.models import Campaign
from agenda.region import Region
from agenda.web.shared.dates import date_label
from agenda.web.shared.i18n import theme_label
from agenda.web.submit.fields import (
    DESCRIPTION_MAX,
    EMAIL_MAX,
    NAME_MAX,
    RECURRENCES,
    SHORT_MAX,
    STRUCTURE_KINDS,
    TITLE_MAX,
    URL_MAX,
    PlainText,
    add_scheme,
    email_address,
    max_length,
    options,
    postcode,
    strip_lines,
    strip_text,
    web_address,
)
from agenda.web.submit.schedule import Schedule, schedule_problems

AUTO_CAMPAIGN = "auto"
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


@dataclass
class ProposalContext:
    """What the forms need besides the request: choices, the clock, the region."""

    region: Region
    now: datetime
    tz: ZoneInfo
    actors: list[tuple[int, str]] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    covering: Callable[[date], Campaign | None] = lambda day: None
    editing: bool = False  # the contact e-mail may then stay empty (the known one is kept)
    # An image file sent with the form -> its public address (None: no file), and whether an
    # address is that of an image stored here (agenda.web.submit.uploads).
    store_image: Callable[[object], str | None] = lambda upload: None
    own_image: Callable[[str], bool] = lambda address: False


def text_field(label, limit: int = SHORT_MAX, *extra, field_class=StringField, **kwargs):
    return field_class(label, filters=[strip_text],
                       validators=[Optional(), max_length(limit), PlainText(), *extra], **kwargs)


def url_field(label, **kwargs):
    """A web address; "example.org/page" becomes "https://example.org/page"."""
    return URLField(label, filters=[strip_text, add_scheme], validators=[
        Optional(), max_length(URL_MAX), PlainText(), web_address], **kwargs)


def title_field():
    return StringField(_l("Title"), filters=[strip_text], validators=[
        DataRequired(message=_l("Give a title.")), max_length(TITLE_MAX), PlainText()])


def description_field(*, required: bool):
    first = DataRequired(message=_l("Give a description.")) if required else Optional()
    return TextAreaField(_l("Description"), filters=[strip_lines], validators=[
        first, max_length(DESCRIPTION_MAX), PlainText(multiline=True)])


class ProposalForm(FlaskForm):
    """What an event and an initiative both ask for."""

    themes = SelectMultipleField(_l("Themes"), choices=[], default=list)
    actor_id = SelectField(_l("Your organisation, if it is in the list"), choices=[],
                           default="")
    new_actor_name = text_field(_l("Name of the organisation"), NAME_MAX)
    new_actor_kind = SelectField(_l("Kind of structure"),
                                 choices=options([("", _l("Choose…")), *STRUCTURE_KINDS]),
                                 default="")
    new_actor_website = url_field(_l("Its website"))
    contact_email = text_field(_l("Your e-mail address"), EMAIL_MAX, email_address,
                               field_class=EmailField)
    homepage = StringField(_l("Leave this field empty"))  # the honeypot: people never see it

    def __init__(self, context: ProposalContext, **kwargs):
        super().__init__(**kwargs)
        self.context = context
        self.themes.choices = options((t.slug, theme_label(t)) for t in context.region.themes)
        self.actor_id.choices = options([
            ("", gettext("It is not in the list: I describe it below")),
            *((str(i), name) for i, name in context.actors)])

    PAGE_ORDER: tuple[str, ...] = ()  # the fields as the page shows them

    def failed_fields(self) -> list:
        """The fields with an error, in the order of the page (for the summary at the top)."""
        order = {name: i for i, name in enumerate(self.PAGE_ORDER)}
        return sorted((f for f in self if f.errors), key=lambda f: order.get(f.name, len(order)))

    @property
    def is_spam(self) -> bool:
        """True when the hidden field was filled in: only robots do that."""
        return bool((self.homepage.data or "").strip())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in self.cross_problems():
            self.add_error(name, message)
        return valid and not any(f.errors for f in self)

    def add_error(self, name: str, message: str) -> None:
        """Show ``message`` next to the field ``name`` (unless it already has one)."""
        errors = self[name].errors
        if not errors:
            self[name].errors = [*errors, message]

    def cross_problems(self) -> list[tuple[str, str]]:
        return self._organiser_problems() + self._contact_problems()

    def _organiser_problems(self) -> list[tuple[str, str]]:
        chosen, name = self.actor_id.data, self.new_actor_name.data
        if not chosen and not name:
            return [("actor_id", gettext("Choose your organisation in the list, or give its "
                                         "name below."))]
        if chosen and name:
            return [("new_actor_name", gettext("You chose an organisation in the list: leave "
                                               "this empty, or choose “It is not in the list”."))]
        if name and not self.new_actor_kind.data:
            return [("new_actor_kind", gettext("Choose the kind of structure."))]
        return []

    def _contact_problems(self) -> list[tuple[str, str]]:
        if self.context.editing or self.contact_email.data:
            return []
        return [("contact_email", gettext("Give your e-mail address: we send you the link to "
                                          "follow your proposal."))]


class EventForm(ProposalForm):
    PAGE_ORDER = (
        "title", "description", "themes", "all_day", "start_date", "start_time", "end_date",
        "end_time", "recurrence", "until", "location_name", "address", "postcode", "city",
        "online_url", "actor_id", "new_actor_name", "new_actor_kind", "new_actor_website",
        "public_contact", "contact_email", "url", "image_file", "image_url", "campaign")
    title = title_field()
    all_day = BooleanField(_l("All day"))
    start_date = DateField(_l("Start date"), validators=[
        InputRequired(message=_l("Give the start date."))])
    start_time = TimeField(_l("Start time"), format=TIME_FORMATS, validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    end_time = TimeField(_l("End time"), format=TIME_FORMATS, validators=[Optional()])
    recurrence = SelectField(_l("Repeats"), choices=options(RECURRENCES), default="")
    until = DateField(_l("Last date"), validators=[Optional()])
    location_name = text_field(_l("Name of the place"), NAME_MAX)
    address = text_field(_l("Address"))
    postcode = text_field(_l("Postcode"), 5, postcode)
    city = text_field(_l("City"), NAME_MAX)
    online_url = url_field(_l("Online link"))
    description = description_field(required=False)
    public_contact = text_field(_l("Public contact"))
    image_url = url_field(_l("Image address"))
    image_file = FileField(_l("Image file"))
    url = url_field(_l("Link for more information"))
    campaign = SelectField(_l("Campaign"), choices=[], default=AUTO_CAMPAIGN)

    def __init__(self, context: ProposalContext, **kwargs):
        super().__init__(context, **kwargs)
        self.campaign.choices = self._campaign_choices()

    @property
    def schedule(self) -> Schedule:
        return Schedule(all_day=self.all_day.data, start_date=self.start_date.data,
                        start_time=self.start_time.data, end_date=self.end_date.data,
                        end_time=self.end_time.data, recurrence=self.recurrence.data or "",
                        until=self.until.data)

    def validate_image_file(self, field) -> None:
        """An image sent with the form is stored at once and becomes the image address (a
        refused one raises StopValidation with its sentence)."""
        address = self.context.store_image(field.data)
        if address:
            self.image_url.data, self.image_url.errors = address, []

    @property
    def own_image(self) -> str | None:
        """The address of the image received with this form or an earlier send, if any."""
        address = self.image_url.data or ""
        return address if not self.image_url.errors and self.context.own_image(address) else None

    def campaign_id(self) -> int | None:
        """The campaign chosen, or the one covering the start date when left to the date."""
        choice = self.campaign.data
        if choice == AUTO_CAMPAIGN:
            covering = self.start_date.data and self.context.covering(self.start_date.data)
            return covering.id if covering else None
        return int(choice) if choice else None

    def cross_problems(self) -> list[tuple[str, str]]:
        return (super().cross_problems() + self._schedule_problems() + self._place_problems()
                + self._campaign_problems())

    def _schedule_problems(self) -> list[tuple[str, str]]:
        problems = schedule_problems(self.schedule, now=self.context.now, tz=self.context.tz)
        return [(p.field, gettext(p.message, **p.params)) for p in problems]

    def _place_problems(self) -> list[tuple[str, str]]:
        problems = []
        if not (self.location_name.data or self.city.data or self.online_url.data):
            problems.append(("city", gettext("Give the place (its name or its city), or an "
                                             "online link.")))
        code = department_from_postcode(self.postcode.data)
        if code and self.context.region.department(code) is None:
            problems.append(("postcode", gettext("This postcode is not in %(region)s.",
                                                 region=self.context.region.name)))
        return problems

    def _campaign_problems(self) -> list[tuple[str, str]]:
        chosen = self._chosen_campaign()
        day = self.start_date.data
        if chosen is None or day is None or chosen.covers(day):
            return []
        return [("campaign", gettext(
            "%(name)s runs from %(first)s to %(last)s: the event starts outside it.",
            name=chosen.name, first=date_label(chosen.starts_on, "long"),
            last=date_label(chosen.ends_on, "long")))]

    def _chosen_campaign(self) -> Campaign | None:
        choice = self.campaign.data
        if not choice or choice == AUTO_CAMPAIGN:
            return None
        return next((c for c in self.context.campaigns if str(c.id) == choice), None)

    def _campaign_choices(self) -> list:
        day = self.start_date.data if isinstance(self.start_date.data, date) else None
        covering = self.context.covering(day) if day else None
        auto = (gettext("Chosen from the date: %(name)s", name=covering.name) if covering
                else gettext("Chosen from the date (the campaign running then, if any)"))
        return options([(AUTO_CAMPAIGN, auto), ("", gettext("None")),
                        *((str(c.id), campaign_label(c)) for c in self.context.campaigns)])


class CancelForm(FlaskForm):
    confirm = BooleanField(_l("Yes, cancel this proposal"), validators=[
        DataRequired(message=_l("Tick the box to confirm."))])


def campaign_label(campaign: Campaign) -> str:
    return gettext("%(name)s (%(first)s – %(last)s)", name=campaign.name,
                   first=date_label(campaign.starts_on, "medium"),
                   last=date_label(campaign.ends_on, "medium"))
