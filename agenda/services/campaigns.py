"""Create and change campaigns (staff only): the values (rules and portal included) are
checked, the change is written to the audit log, and a change the exports show (name, dates,
rules) bumps the data version so that the cached campaign feeds are rebuilt.  Flushes, never
commits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from agenda.errors import AgendaError
from agenda.messages import N_
from agenda.models import Campaign, User
from agenda.region import Region
from agenda.services.campaign_rules import CampaignRules, rule_errors
from agenda.store import campaigns as store
from agenda.store.audit import add_audit
from agenda.store.changes import bump_data_version

SLUG = re.compile(r"[a-z0-9-]{2,80}")
NAME_MAX = 200
DESCRIPTION_MAX = 5000
BANNER_MAX = 300
IMAGE_URL_MAX = 2000
MAX_DAYS = 366
YEARS = (2000, 2100)



SLUG_FORMAT = N_("Use 2 to 80 lower-case letters, digits and hyphens (no accents or spaces).")
SLUG_TAKEN = N_("Another campaign already has this address.")
NAME_MISSING = N_("Give the campaign a name.")
NAME_TOO_LONG = N_("The name may not exceed 200 characters.")
DATE_MISSING = N_("Give a date.")
DATE_RANGE = N_("The date must be between the years 2000 and 2100.")
END_BEFORE_START = N_("The end date must not be before the start date.")
TOO_LONG = N_("A campaign may not last more than a year.")
DESCRIPTION_TOO_LONG = N_("The description may not exceed 5000 characters.")
BANNER_TOO_LONG = N_("The banner text may not exceed 300 characters.")
IMAGE_NOT_HTTPS = N_("Give the image's address starting with https://, or leave it empty.")


@dataclass(frozen=True)
class CampaignValues:
    name: str
    slug: str
    starts_on: date | None
    ends_on: date | None
    description: str = ""
    banner_text: str = ""
    image_url: str = ""
    rules: CampaignRules = field(default_factory=CampaignRules)

    def cleaned(self) -> CampaignValues:
        return replace(self, name=" ".join((self.name or "").split()),
                       slug=(self.slug or "").strip(),
                       description=(self.description or "").strip(),
                       banner_text=" ".join((self.banner_text or "").split()),
                       image_url=(self.image_url or "").strip(), rules=self.rules.cleaned())

    def columns(self) -> dict:
        """The campaign's columns holding these values."""
        return {"slug": self.slug, "name": self.name, "starts_on": self.starts_on,
                "ends_on": self.ends_on, "description": self.description,
                "banner_text": self.banner_text, "image_url": self.image_url or None,
                **self.rules.columns()}


class CampaignInvalid(AgendaError):
    """Some values are refused; ``errors`` maps each field to its message (an English msgid)."""

    code = "campaign.invalid"

    def __init__(self, errors: dict[str, str]):
        super().__init__("The campaign was not saved: " + " ".join(errors.values()),
                         errors=errors)
        self.errors = errors


def check_values(session: Session, values: CampaignValues, *, campaign_id: int | None = None,
                 region: Region | None = None) -> dict[str, str]:
    """The problems of (cleaned) ``values``, by field; empty when they may be saved.  Themes
    and departments are checked against ``region``'s (when given)."""
    errors: dict[str, str] = {}
    if not values.name:
        errors["name"] = NAME_MISSING
    elif len(values.name) > NAME_MAX:
        errors["name"] = NAME_TOO_LONG
    if not SLUG.fullmatch(values.slug):
        errors["slug"] = SLUG_FORMAT
    elif store.slug_taken(session, values.slug, except_id=campaign_id):
        errors["slug"] = SLUG_TAKEN
    errors.update(_date_errors(values.starts_on, values.ends_on))
    if len(values.description) > DESCRIPTION_MAX:
        errors["description"] = DESCRIPTION_TOO_LONG
    errors.update(_portal_errors(values))
    themes = {t.slug for t in region.themes} if region else set(values.rules.themes)
    departments = ({d.code for d in region.departments} if region
                   else set(values.rules.departments))
    errors.update(rule_errors(session, values.rules, themes=themes, departments=departments))
    return errors


def _portal_errors(values: CampaignValues) -> dict[str, str]:
    errors = {}
    if len(values.banner_text) > BANNER_MAX:
        errors["banner_text"] = BANNER_TOO_LONG
    url = values.image_url
    if url and (not url.lower().startswith("https://") or len(url) > IMAGE_URL_MAX
                or len(url) < 12 or any(c.isspace() or c in "\"'<>" for c in url)):
        errors["image_url"] = IMAGE_NOT_HTTPS
    return errors


def _date_errors(start: date | None, end: date | None) -> dict[str, str]:
    errors = {name: DATE_MISSING for name, day in (("starts_on", start), ("ends_on", end))
              if day is None}
    errors.update({name: DATE_RANGE for name, day in (("starts_on", start), ("ends_on", end))
                   if day is not None and not YEARS[0] <= day.year <= YEARS[1]})
    if errors:
        return errors
    if end < start:
        return {"ends_on": END_BEFORE_START}
    if (end - start).days + 1 > MAX_DAYS:
        return {"ends_on": TOO_LONG}
    return {}


def create_campaign(session: Session, values: CampaignValues, *, user: User, now: datetime,
                    region: Region | None = None) -> Campaign:
    """A new campaign; CampaignInvalid (nothing written) when a value is refused."""
    values = values.cleaned()
    _refuse_errors(check_values(session, values, region=region))
    campaign = store.create_campaign(session, **values.columns(), now=now)
    add_audit(session, action="campaign_create", who=user.email, user_id=user.id, now=now,
              detail={"campaign_id": campaign.id, **_summary(campaign)})
    return campaign


def update_campaign(session: Session, campaign: Campaign, values: CampaignValues, *,
                    user: User, now: datetime, region: Region | None = None) -> Campaign:
    """Change ``campaign``; CampaignInvalid (nothing changed) when a value is refused."""
    values = values.cleaned()
    _refuse_errors(check_values(session, values, campaign_id=campaign.id, region=region))
    before = _summary(campaign)
    new = values.columns()
    changed = {k: v for k, v in new.items() if getattr(campaign, k) != v}
    if not changed:
        return campaign
    store.update_campaign(session, campaign, **changed)
    after = _summary(campaign)
    add_audit(session, action="campaign_update", who=user.email, user_id=user.id, now=now,
              detail={"campaign_id": campaign.id, "changed": list(changed),
                      **{k: [before[k], after[k]] for k in changed}})
    bump_data_version(session)  # the campaign's feeds carry its name, dates and events
    return campaign


def _refuse_errors(errors: dict[str, str]) -> None:
    if errors:
        raise CampaignInvalid(errors)


def _summary(campaign: Campaign) -> dict:
    """What the audit log keeps of a campaign (JSON values)."""
    return {"slug": campaign.slug, "name": campaign.name,
            "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
            "description": campaign.description or "", "banner_text": campaign.banner_text or "",
            "image_url": campaign.image_url or "",
            **{f"rule_{kind}": list(values) for kind, values in campaign.rules().items()}}
