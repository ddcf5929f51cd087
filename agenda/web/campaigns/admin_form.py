"""The staff campaign form: its fields (dates, portal, rules) and the values it gives the
service.  Types only (a date must be a date); what the values may be is the service's business
(``agenda.services.campaigns`` and ``campaign_rules``)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from agenda.models import Campaign
from agenda.region import Region
from agenda.services.campaign_rules import CampaignRules, read_words
from agenda.services.campaigns import BANNER_MAX, DESCRIPTION_MAX, NAME_MAX, CampaignValues
from agenda.web.shared.i18n import theme_label

RULE_FIELDS = ("rule_themes", "rule_departments", "rule_sources", "rule_actors")


class RuleChoices(SelectMultipleField):
    """Checkboxes; a value outside the choices is left to the service to refuse."""

    def pre_validate(self, form) -> None:
        pass


class CampaignForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": NAME_MAX})
    slug = StringField(_l("Address of its page"), render_kw={"maxlength": 80},
                       description=_l("Lower-case letters, digits and hyphens, e.g. "
                                      "mois-ess: the page will be /campagnes/mois-ess"))
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day (included)"), validators=[Optional()])
    description = TextAreaField(_l("Description"), render_kw={"maxlength": DESCRIPTION_MAX,
                                                              "rows": 5})
    banner_text = TextAreaField(_l("Banner text"), render_kw={"maxlength": BANNER_MAX,
                                                             "rows": 2},
                              description=_l("One sentence shown large at the top of its page "
                                             "and on the home page."))
    image_url = StringField(_l("Banner image address"), render_kw={"inputmode": "url"},
                            description=_l("An image on the web, starting with https:// "
                                           "(optional)."))
    rule_themes = RuleChoices(_l("Themes"), choices=[])
    rule_words = TextAreaField(
        _l("Words"), render_kw={"rows": 3},
        description=_l("One word or phrase per line, looked for in the title, the description "
                       "and the organiser's name (accents matter)."))
    rule_departments = RuleChoices(_l("Departments"), choices=[])
    rule_sources = RuleChoices(_l("Sources"), choices=[])
    rule_actors = RuleChoices(_l("Actors"), choices=[])

    def offer(self, region: Region, sources: list, actors: list) -> CampaignForm:
        """The choices of the rule lists: the region's themes and departments, the sources
        and actors (``(id, name)`` pairs)."""
        self.rule_themes.choices = [(t.slug, theme_label(t)) for t in region.themes]
        self.rule_departments.choices = [(d.code, f"{d.name} ({d.code})")
                                         for d in region.departments]
        self.rule_sources.choices = [(str(i), name) for i, name in sources]
        self.rule_actors.choices = [(str(i), name) for i, name in actors]
        return self

    def fill_from(self, campaign: Campaign) -> None:
        """The campaign's rules in the fields (the other fields come from ``obj=``)."""
        rules = campaign.rules()
        self.rule_words.data = "\n".join(rules["words"])
        for name in RULE_FIELDS:
            self[name].data = [str(value) for value in rules[name.removeprefix("rule_")]]

    def values(self) -> CampaignValues:
        rules = CampaignRules(
            themes=tuple(self.rule_themes.data or ()), words=read_words(self.rule_words.data),
            sources=_ids(self.rule_sources.data), actors=_ids(self.rule_actors.data),
            departments=tuple(self.rule_departments.data or ()))
        return CampaignValues(self.name.data or "", self.slug.data or "", self.starts_on.data,
                              self.ends_on.data, self.description.data or "",
                              self.banner_text.data or "", self.image_url.data or "", rules)

    def add_errors(self, errors: dict[str, str]) -> None:
        """The service's messages under their fields (a field with a type error keeps it)."""
        for name, message in errors.items():
            field = self[name]
            if not field.errors:
                field.errors = [*field.errors, gettext(message)]


def _ids(values) -> tuple[int, ...]:
    """Ids as numbers; anything else becomes 0, which no row has (the service refuses it)."""
    return tuple(int(v) if str(v).isascii() and str(v).isdigit() and len(str(v)) < 10 else 0
                 for v in values or ())
