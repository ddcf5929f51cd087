"""Proved addresses (agenda.services.address_proofs): who gets a confirmation link, what the
link proves and for how long, and what revoking the trust forgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from agenda.db import transaction
from agenda.errors import ProposalError
from agenda.models import Actor, AddressConfirmation, AuditEntry
from agenda.services import address_proofs, moderation, submissions
from tests.services.proposals import add_staff, event_data

ADDRESS = "benevole@example.org"
BROWSER = "browser-key-0123456789abcdefghijklmnop"
OTHER_BROWSER = "browser-key-of-someone-else-0123456789"


@pytest.fixture
def mailing(settings):
    return settings.with_overrides(smtp_host="127.0.0.1")


@pytest.fixture
def actor_id(factory, mailing, now) -> int:
    """A trusted actor with a proposal the staff approved from ADDRESS."""
    with transaction(factory) as session:
        actor = Actor(name="CRESS Centre-Val de Loire", trusted=True)
        session.add(actor)
        session.flush()
        first = propose(session, mailing, now, actor.id, title="Première")
        moderation.approve(session, first.submission, user=add_staff(session), now=now,
                           settings=mailing)
        return actor.id


def propose(session, settings, now, actor_id, *, address=ADDRESS, sender_key=BROWSER, **data):
    return submissions.submit(
        session, kind="event", data=event_data(actor_id=actor_id, new_actor=None, **data),
        contact_email=address, now=now, settings=settings, sender_key=sender_key)


def test_only_the_hash_of_the_token_the_address_and_the_browser_is_kept(factory, mailing,
                                                                        now, actor_id):
    with transaction(factory) as session:
        token = propose(session, mailing, now, actor_id).confirmation
        row = session.scalars(select(AddressConfirmation)).one()
        assert row.token_hash == address_proofs.hash_value(token) != token
        assert row.email_hash == address_proofs.hash_value(ADDRESS)
        assert row.sender_hash == address_proofs.hash_value(BROWSER)
        assert row.expires_at == now + timedelta(hours=24) and row.confirmed_at is None


def test_the_address_is_compared_without_case_or_spaces(factory, mailing, now, actor_id):
    with transaction(factory) as session:
        token = propose(session, mailing, now, actor_id).confirmation
        address_proofs.confirm(session, token, now=now, settings=mailing)
        again = propose(session, mailing, now, actor_id, address="  Benevole@Example.ORG ")
        assert again.submission.status == "approved"


def test_a_remembered_proof_is_worth_nothing_from_another_browser(factory, mailing, now,
                                                                 actor_id):
    with transaction(factory) as session:
        token = propose(session, mailing, now, actor_id).confirmation
        address_proofs.confirm(session, token, now=now, settings=mailing)
        for key in (OTHER_BROWSER, None):
            stranger = propose(session, mailing, now, actor_id, sender_key=key)
            assert stranger.submission.status == "pending" and stranger.confirmation


def test_a_token_is_single_use_and_lasts_24_hours(factory, mailing, now, actor_id):
    with transaction(factory) as session:
        used = propose(session, mailing, now, actor_id).confirmation
        late = propose(session, mailing, now, actor_id, sender_key=OTHER_BROWSER)
        address_proofs.confirm(session, used, now=now + timedelta(hours=23), settings=mailing)
        with pytest.raises(ProposalError) as error:
            address_proofs.confirm(session, used, now=now + timedelta(hours=23),
                                   settings=mailing)
        assert error.value.code == "confirmation.used"
        with pytest.raises(ProposalError) as error:
            address_proofs.confirm(session, late.confirmation, now=now + timedelta(hours=24),
                                   settings=mailing)
        assert error.value.code == "confirmation.expired"
        assert late.submission.status == "pending"
        for token in ("", "x" * 500, "not-a-token"):
            with pytest.raises(ProposalError, match="unknown"):
                address_proofs.confirm(session, token, now=now, settings=mailing)


def test_a_link_for_a_changed_proposal_publishes_nothing(factory, mailing, now, actor_id):
    """The submitter changed the contact address after the link was sent to the old one."""
    with transaction(factory) as session:
        received = propose(session, mailing, now, actor_id)
        submissions.edit_by_submitter(
            session, received.submission, event_data(actor_id=actor_id, new_actor=None),
            contact_email="autre@ailleurs.example", now=now, settings=mailing,
            sender_key=BROWSER)
        with pytest.raises(ProposalError) as error:
            address_proofs.confirm(session, received.confirmation, now=now, settings=mailing)
        assert error.value.code == "confirmation.void"
        assert received.submission.status == "pending"


def test_without_smtp_no_link_is_sent_and_a_proof_no_longer_publishes(factory, mailing,
                                                                      settings, now, actor_id):
    with transaction(factory) as session:
        token = propose(session, mailing, now, actor_id).confirmation
        address_proofs.confirm(session, token, now=now, settings=mailing)
        quiet = propose(session, settings, now, actor_id)  # smtp_host is empty
        assert quiet.submission.status == "pending" and quiet.confirmation is None


def test_revoking_the_trust_forgets_proofs_and_links_and_is_audited(factory, mailing, now,
                                                                    actor_id):
    with transaction(factory) as session:
        token = propose(session, mailing, now, actor_id).confirmation
        address_proofs.confirm(session, token, now=now, settings=mailing)
        pending = propose(session, mailing, now, actor_id, sender_key=OTHER_BROWSER)
        actor = session.get(Actor, actor_id)
        admin = add_staff(session, "admin@region.example", role="admin")
        moderation.set_actor_trusted(session, actor, False, user=admin, now=now)
        assert session.scalar(select(func.count()).select_from(AddressConfirmation)) == 0
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "actor_trust")).one()
        assert entry.detail == {"actor": actor.name, "trusted": False,
                                "forgotten_confirmations": 2}
        moderation.set_actor_trusted(session, actor, True, user=admin, now=now)
        with pytest.raises(ProposalError, match="unknown"):
            address_proofs.confirm(session, pending.confirmation, now=now, settings=mailing)
        assert propose(session, mailing, now, actor_id).submission.status == "pending"


def test_a_remembered_publication_is_audited_under_the_hashed_address(factory, mailing, now,
                                                                     actor_id):
    with transaction(factory) as session:
        token = propose(session, mailing, now, actor_id).confirmation
        address_proofs.confirm(session, token, now=now, settings=mailing)
        propose(session, mailing, now, actor_id)
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "publish_trusted").order_by(AuditEntry.id)).all()
        who = "address " + address_proofs.hash_value(ADDRESS)[:12]
        assert [(e.who, e.detail["proof"]) for e in entries] == [(who, "link"),
                                                                 (who, "remembered")]
        assert all(ADDRESS not in str(e.detail) for e in entries)
