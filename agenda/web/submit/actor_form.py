"""The public proposal of an actor (``/submit/actor``): the staff's actor fields, the private
contact e-mail and the honeypot; and the proposal's data from it and back (pure).

The actor's name is the proposal's ``title`` (every proposal has one: the queue, the audit log
and the e-mails read it); its public e-mail and phone are ``public_email`` and
``public_phone`` (the private address stays the submission's own column).  Once approved, the
data keeps the ``actor_id`` of the actor it made, so that a later change updates that actor.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField

from agenda.records.identifiers import rna, siren, siret
from agenda.services.proposals import sanitize_description
from agenda.web.actors.forms import ActorFields, form_values
from agenda.web.submit.fields import EMAIL_MAX, email_address
from agenda.web.submit.forms import ProposalContext, text_field
from agenda.web.submit.proposal_data import clean_proposal, description_source


class ActorProposalForm(ActorFields):
    PAGE_ORDER = (*ActorFields.PAGE_ORDER, "contact_email")
    contact_email = text_field(_l("Your e-mail address"), EMAIL_MAX, email_address,
                               field_class=EmailField)
    homepage = StringField(_l("Leave this field empty"))  # the honeypot

    def __init__(self, context: ProposalContext, **kwargs):
        super().__init__(context.region, **kwargs)
        self.context = context

    @property
    def is_spam(self) -> bool:
        return bool((self.homepage.data or "").strip())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.context.editing and not self.contact_email.data:
            self.contact_email.errors = [*self.contact_email.errors, gettext(
                "Give your e-mail address: we send you the link to follow your proposal.")]
            return False
        return valid


def actor_data(values: dict, *, actor_id: int | None = None) -> dict:
    """The data of an actor proposal from the form's values, cleaned."""
    given = form_values(values)
    for key, checker in (("siren", siren), ("siret", siret), ("rna", rna)):
        given[key] = checker(given[key]) or given[key]  # as the register writes it
    return clean_proposal({
        "title": given["name"],
        **{key: given[key] or "" for key in ("structure", "kind", "siren", "siret", "rna",
                                             "website", "address", "postcode", "city")},
        "approvals": given["approvals"], "themes": list(dict.fromkeys(given["themes"])),
        "description_html": sanitize_description(given["description"]),
        "public_email": given["contact_email"] or "", "public_phone": given["contact_phone"] or "",
        "actor_id": actor_id,
    })


def actor_defaults(data: dict) -> dict:
    """The form's values for a stored actor proposal (to edit it)."""
    return {
        "name": data.get("title") or "",
        **{key: data.get(key) or "" for key in ("structure", "kind", "siren", "siret", "rna",
                                                "website", "address", "postcode", "city")},
        "approvals": ", ".join(data.get("approvals") or []),
        "themes": list(data.get("themes") or []),
        "description": description_source(data.get("description_html") or ""),
        "public_email": data.get("public_email") or "",
        "public_phone": data.get("public_phone") or "",
    }

