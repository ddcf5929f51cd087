"""The staff forms of a source: adding one from an address, changing one.

The API key is a password field: never filled back in a page (a page only says whether a key is
set), never written in the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from agenda.text_clean import clean_line, clean_url
from agenda.web.submit.fields import email_address

NAME_MAX = 200
URL_MAX = 2000
KEY_MAX = 500
INTERVAL_MIN, INTERVAL_MAX = 5, 7 * 24 * 60  # minutes: as ``agenda source add --every``
PRIORITY_MIN, PRIORITY_MAX = -100, 100


def _line(value):
    return clean_line(value) if isinstance(value, str) else value


class SourceFields(FlaskForm):
    """What both forms ask: its name, owner, contact and interval."""

    name = StringField(_l("Name"), filters=[_line], render_kw={"maxlength": NAME_MAX},
                       validators=[DataRequired(message=_l("Give the source a name.")),
                                   Length(max=NAME_MAX)],
                       description=_l("As the public will see it, e.g. “Agenda de la "
                                      "Ressourcerie”."))
    owner = StringField(_l("Owner"), filters=[_line], render_kw={"maxlength": NAME_MAX},
                        validators=[Optional(), Length(max=NAME_MAX)],
                        description=_l("The organisation that publishes it (created if new)."))
    contact_email = StringField(
        _l("Contact e-mail address"), filters=[_line],
        render_kw={"maxlength": 254, "inputmode": "email", "autocomplete": "off"},
        validators=[Optional(), email_address],
        description=_l("Told by e-mail when the source breaks down and when it works again."))
    interval_minutes = IntegerField(
        _l("Minutes between two collections"), render_kw={"inputmode": "numeric"},
        validators=[InputRequired(message=_l("Give a number of minutes.")),
                    NumberRange(INTERVAL_MIN, INTERVAL_MAX,
                                message=_l("Between %(min)s and %(max)s minutes."))])


class AddSourceForm(SourceFields):
    url = StringField(_l("Address"), filters=[lambda v: clean_url(v) if v else v],
                      render_kw={"maxlength": URL_MAX, "inputmode": "url"},
                      validators=[DataRequired(message=_l("Give the address of the agenda.")),
                                  Length(max=URL_MAX)],
                      description=_l("The agenda's web page, its iCal or RSS export, or its "
                                     "OpenAgenda page: the kind is found from what it returns."))
    api_key = PasswordField(_l("API key"), validators=[Optional(), Length(max=KEY_MAX)],
                            render_kw={"autocomplete": "off", "maxlength": KEY_MAX},
                            description=_l("Only for OpenAgenda. It is never shown again."))
    as_initiatives = BooleanField(
        _l("A feed of projects or news: its items are initiatives of the owner, not events"),
        description=_l("For an RSS or Atom feed of the owner's projects."))
    # What discovery found, carried by the "Save this source" confirmation (checked again)
    found_kind = HiddenField()
    found_url = HiddenField()
    found_diagnosis = HiddenField()  # JSON, read back through Diagnosis.from_json
    key_needed = HiddenField()  # "1" when discovery was given a key: saving needs it again


class EditSourceForm(SourceFields):
    api_key = PasswordField(_l("New API key"), validators=[Optional(), Length(max=KEY_MAX)],
                            render_kw={"autocomplete": "off", "maxlength": KEY_MAX},
                            description=_l("Leave empty to keep the key as it is."))
    remove_key = BooleanField(_l("Remove the API key"))
    priority = IntegerField(
        _l("Priority when events are merged"), render_kw={"inputmode": "numeric"},
        validators=[InputRequired(message=_l("Give a whole number (0 by default).")),
                    NumberRange(PRIORITY_MIN, PRIORITY_MAX,
                                message=_l("Between %(min)s and %(max)s."))],
        description=_l("When one event is announced by several sources, the source with the "
                       "highest priority gives its title, description and place (the form "
                       "counts first among equals)."))
