"""The initiative proposal form (an ongoing project or action, not dated): the event form's
sibling, on the same ProposalForm base."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from agenda.web.submit.fields import INITIATIVE_STATUSES, NAME_MAX, options
from agenda.web.submit.forms import (
    ProposalContext,
    ProposalForm,
    description_field,
    text_field,
    title_field,
    url_field,
)


class InitiativeForm(ProposalForm):
    PAGE_ORDER = (
        "title", "description", "themes", "status", "url", "department", "territory",
        "actor_id", "new_actor_name", "new_actor_kind", "new_actor_website", "contact_email")
    title = title_field()
    description = description_field(required=True)
    department = SelectField(_l("Department"), choices=[], default="")
    territory = text_field(_l("Territory"), NAME_MAX)
    url = url_field(_l("Link"))
    status = SelectField(_l("Status"), choices=options(INITIATIVE_STATUSES),
                         default="active")

    def __init__(self, context: ProposalContext, **kwargs):
        super().__init__(context, **kwargs)
        self.department.choices = options([("", gettext("The whole region")), *(
            (d.code, f"{d.name} ({d.code})") for d in context.region.departments)])
