"""Creating and changing campaigns: what is refused (by field), the audit log, the data version."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from agenda.db import transaction
from agenda.models import AuditEntry, Campaign, User
from agenda.services import campaigns as service
from agenda.services.campaigns import CampaignInvalid, CampaignValues
from agenda.store.audit import list_audit
from agenda.store.changes import data_version
from tests.services.proposals import add_staff

MOIS = CampaignValues(name="  Mois de l'ESS   2026 ", slug="mois-ess-2026",
                      starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30),
                      description=" Chaque novembre. ")


def values(**changes) -> CampaignValues:
    return CampaignValues(**{**MOIS.__dict__, **changes})


@pytest.fixture
def user(factory):
    with transaction(factory) as session:
        staff = add_staff(session)
        return staff.id, staff.email


def create(factory, user_id, now, campaign_values=MOIS) -> Campaign:
    with transaction(factory) as session:
        staff = session.get(User, user_id)
        return service.create_campaign(session, campaign_values, user=staff, now=now)


def test_create_cleans_the_values_and_writes_the_audit_log(factory, user, now):
    campaign = create(factory, user[0], now)
    assert (campaign.name, campaign.slug, campaign.description) == (
        "Mois de l'ESS 2026", "mois-ess-2026", "Chaque novembre.")
    with transaction(factory) as session:
        [entry] = list_audit(session)
    assert (entry.action, entry.who, entry.user_id) == ("campaign_create", user[1], user[0])
    assert entry.detail["campaign_id"] == campaign.id
    assert entry.detail["slug"] == "mois-ess-2026"


@pytest.mark.parametrize("slug", ["", "a", "Mois-ESS", "mois ess", "mois_ess", "moisé",
                                  "mois/ess", "mois.ics", "x" * 81])
def test_a_malformed_slug_is_refused(factory, user, now, slug):
    with pytest.raises(CampaignInvalid) as refused:
        create(factory, user[0], now, values(slug=slug))
    assert refused.value.errors == {"slug": service.SLUG_FORMAT}
    with transaction(factory) as session:
        assert session.scalar(select(func.count(Campaign.id))) == 0
        assert session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_slug_already_taken_is_refused(factory, user, now):
    create(factory, user[0], now)
    with pytest.raises(CampaignInvalid) as refused:
        create(factory, user[0], now, values(name="Autre"))
    assert refused.value.errors == {"slug": service.SLUG_TAKEN}


@pytest.mark.parametrize("changes, errors", [
    ({"ends_on": date(2026, 10, 31)}, {"ends_on": service.END_BEFORE_START}),
    ({"ends_on": date(2027, 11, 2)}, {"ends_on": service.TOO_LONG}),
    ({"starts_on": None, "ends_on": None},
     {"starts_on": service.DATE_MISSING, "ends_on": service.DATE_MISSING}),
    ({"starts_on": date(1999, 12, 31)}, {"starts_on": service.DATE_RANGE}),
    ({"name": "   "}, {"name": service.NAME_MISSING}),
    ({"name": "x" * 201}, {"name": service.NAME_TOO_LONG}),
    ({"description": "x" * 5001}, {"description": service.DESCRIPTION_TOO_LONG}),
    ({"name": "", "slug": "A B", "ends_on": date(2026, 1, 1)},
     {"name": service.NAME_MISSING, "slug": service.SLUG_FORMAT,
      "ends_on": service.END_BEFORE_START}),
])
def test_refused_values_are_named_by_field(factory, user, now, changes, errors):
    with pytest.raises(CampaignInvalid) as refused:
        create(factory, user[0], now, values(**changes))
    assert refused.value.errors == errors


@pytest.mark.parametrize("ends_on", [date(2026, 11, 1), date(2027, 11, 1)])
def test_a_campaign_of_one_day_to_a_year_is_fine(factory, user, now, ends_on):
    assert create(factory, user[0], now, values(ends_on=ends_on)).ends_on == ends_on


def test_update_writes_what_changed_and_bumps_the_data_version(factory, user, now):
    campaign_id = create(factory, user[0], now).id
    with transaction(factory) as session:
        before = data_version(session)[0]
        campaign = session.get(Campaign, campaign_id)
        staff = session.get(User, user[0])
        service.update_campaign(session, campaign, values(name="Mois de l'ESS",
                                                          ends_on=date(2026, 12, 1)),
                                user=staff, now=now)
    with transaction(factory) as session:
        entry = list_audit(session)[0]
        assert data_version(session)[0] > before
        assert session.get(Campaign, campaign_id).name == "Mois de l'ESS"
    assert entry.action == "campaign_update"
    assert entry.detail["changed"] == ["name", "ends_on"]
    assert entry.detail["name"] == ["Mois de l'ESS 2026", "Mois de l'ESS"]
    assert entry.detail["ends_on"] == ["2026-11-30", "2026-12-01"]


def test_update_may_keep_its_slug_but_not_take_another(factory, user, now):
    mois = create(factory, user[0], now).id
    create(factory, user[0], now, values(slug="semaine-velo", name="Semaine du vélo"))
    with transaction(factory) as session:
        staff = session.get(User, user[0])
        campaign = session.get(Campaign, mois)
        service.update_campaign(session, campaign, values(description="Autre texte"),
                                user=staff, now=now)
        with pytest.raises(CampaignInvalid) as refused:
            service.update_campaign(session, campaign, values(slug="semaine-velo"),
                                    user=staff, now=now)
        assert refused.value.errors == {"slug": service.SLUG_TAKEN}
        assert campaign.slug == "mois-ess-2026"


def test_an_update_that_changes_nothing_is_not_logged(factory, user, now):
    campaign_id = create(factory, user[0], now).id
    with transaction(factory) as session:
        staff = session.get(User, user[0])
        service.update_campaign(session, session.get(Campaign, campaign_id), MOIS,
                                user=staff, now=now)
        assert [e.action for e in list_audit(session)] == ["campaign_create"]
