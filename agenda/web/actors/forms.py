"""The actor forms: the staff's (create and edit every field) and the public proposal's, on
one base of fields that check themselves.  A SIREN, SIRET or RNA number that is not valid is
refused next to its field with what a valid one looks like, the input kept.

Values go to ``agenda.services.actors.save_actor`` (through ``form_values``) or, for a
proposal, into the proposal's data (``proposal_data``)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from agenda.models.actor import STRUCTURES
from agenda.records.identifiers import check_numbers, rna, siren, siret
from agenda.region import Region
from agenda.services.actors import PROBLEM_SENTENCES, problem_sentence
from agenda.web.actors.labels import STRUCTURE_LABELS
from agenda.web.shared.i18n import theme_label
from agenda.web.submit.fields import (
    DESCRIPTION_MAX,
    EMAIL_MAX,
    NAME_MAX,
    SHORT_MAX,
    PlainText,
    email_address,
    max_length,
    options,
    postcode,
    strip_lines,
    strip_text,
)
from agenda.web.submit.forms import text_field, url_field

OTHER_SIREN = "siret.other_siren"


def _number(checker, code: str):
    def check(form, field) -> None:
        if field.data and checker(field.data) is None:
            raise ValidationError(gettext(PROBLEM_SENTENCES[code]))
    return check


class ActorFields(FlaskForm):
    """What an actor is described by (every form of actors)."""

    PAGE_ORDER = ("name", "structure", "kind", "approvals", "siren", "siret", "rna", "themes",
                  "description", "website", "public_email", "public_phone", "address",
                  "postcode", "city")
    name = StringField(_l("Name"), filters=[strip_text], validators=[
        DataRequired(message=_l("Give the name of the organisation.")), max_length(NAME_MAX),
        PlainText()])
    structure = SelectField(_l("Kind of structure"), default="")
    kind = text_field(_l("Kind, in its own words"), 50)
    approvals = text_field(_l("Approvals"), SHORT_MAX)
    siren = text_field(_l("SIREN number"), 20, _number(siren, "siren.invalid"))
    siret = text_field(_l("SIRET number"), 25, _number(siret, "siret.invalid"))
    rna = text_field(_l("RNA number (associations)"), 20, _number(rna, "rna.invalid"))
    themes = SelectMultipleField(_l("Themes"), choices=[], default=list)
    description = TextAreaField(_l("Description"), filters=[strip_lines], validators=[
        Optional(), max_length(DESCRIPTION_MAX), PlainText(multiline=True)])
    website = url_field(_l("Website"))
    public_email = text_field(_l("Public contact e-mail"), EMAIL_MAX, email_address,
                              field_class=EmailField)
    public_phone = text_field(_l("Public phone"), 40)
    address = text_field(_l("Address"))
    postcode = text_field(_l("Postcode"), 5, postcode)
    city = text_field(_l("Town"), NAME_MAX)

    def __init__(self, region: Region, **kwargs):
        super().__init__(**kwargs)
        self.structure.choices = options([("", gettext("Choose…")), *(
            (s, gettext(STRUCTURE_LABELS[s])) for s in STRUCTURES)])
        self.themes.choices = options((t.slug, theme_label(t)) for t in region.themes)

    def failed_fields(self) -> list:
        order = {name: i for i, name in enumerate(self.PAGE_ORDER)}
        return sorted((f for f in self if f.errors), key=lambda f: order.get(f.name, len(order)))

    def validate_siret(self, field) -> None:
        if field.data and not self.siret.errors and siren(self.siren.data or "") is not None:
            _clean, problems = check_numbers(siren_value=self.siren.data,
                                             siret_value=field.data)
            if any(p["code"] == "siret.other_siren" for p in problems):
                raise ValidationError(gettext(PROBLEM_SENTENCES[OTHER_SIREN]))

    def show_problems(self, problems: list[dict]) -> None:
        """Problems the service found (a name or number another actor has) next to their
        fields; those of no field of the form next to the name."""
        names = {"contact_email": "public_email", "contact_phone": "public_phone"}
        for problem in problems:
            field = getattr(self, names.get(problem["field"], problem["field"]), None)
            field = field if field is not None and hasattr(field, "errors") else self.name
            field.errors = [*field.errors, gettext(problem_sentence(problem))]


def _coordinate(bound: int):
    code = "lat.invalid" if bound == 90 else "lon.invalid"

    def check(form, field) -> None:
        try:
            number = float((field.data or "").replace(",", "."))
        except ValueError:
            number = None
        if field.data and (number is None or not -bound <= number <= bound):
            raise ValidationError(gettext(PROBLEM_SENTENCES[code]))
    return check


class ActorEditForm(ActorFields):
    """The staff's form: the public fields, and the coordinates of its place (a point on the
    map; the commune is then found from them)."""

    PAGE_ORDER = (*ActorFields.PAGE_ORDER, "lat", "lon")
    lat = text_field(_l("Latitude"), 20, _coordinate(90))
    lon = text_field(_l("Longitude"), 20, _coordinate(180))


def form_values(data: dict) -> dict:
    """The form's values (``form.data``) as ``save_actor``'s values."""
    return {
        "name": data.get("name") or "", "structure": data.get("structure") or None,
        "kind": data.get("kind") or None,
        "approvals": [a.strip() for a in (data.get("approvals") or "").split(",") if a.strip()],
        "siren": data.get("siren") or None, "siret": data.get("siret") or None,
        "rna": data.get("rna") or None, "themes": list(data.get("themes") or []),
        "description": data.get("description") or "", "website": data.get("website") or None,
        "contact_email": data.get("public_email") or None,
        "contact_phone": data.get("public_phone") or None,
        "address": data.get("address") or None, "postcode": data.get("postcode") or None,
        "city": data.get("city") or None,
        **({key: data.get(key) or None for key in ("lat", "lon")} if "lat" in data else {}),
    }


def actor_defaults(actor) -> dict:
    """The staff form's values for a stored actor."""
    from agenda.web.submit.proposal_data import description_source

    return {
        "name": actor.name, "structure": actor.structure or "", "kind": actor.kind or "",
        "approvals": ", ".join(actor.approvals or []), "siren": actor.siren or "",
        "siret": actor.siret or "", "rna": actor.rna or "", "themes": list(actor.themes or []),
        "description": description_source(actor.description_html or ""),
        "website": actor.website or "", "public_email": actor.contact_email or "",
        "public_phone": actor.contact_phone or "", "address": actor.address or "",
        "postcode": actor.postcode or "", "city": actor.commune_name or "",
        "lat": "" if actor.lat is None else str(actor.lat),
        "lon": "" if actor.lon is None else str(actor.lon),
    }
