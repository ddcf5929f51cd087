"""Confirmation links of contact addresses: add one, find it by its token's hash, ask whether a
(trusted actor, address, browser) is proved, forget an actor's proofs."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agenda.models import AddressConfirmation


def add_confirmation(session: Session, confirmation: AddressConfirmation) -> AddressConfirmation:
    session.add(confirmation)
    session.flush()
    return confirmation


def find_by_token_hash(session: Session, token_hash: str) -> AddressConfirmation | None:
    return session.scalar(select(AddressConfirmation)
                          .where(AddressConfirmation.token_hash == token_hash))


def is_proved(session: Session, *, actor_id: int, email_hash: str, sender_hash: str) -> bool:
    """True when a link sent to this address for this actor was followed, for a proposal sent
    from this browser."""
    query = select(AddressConfirmation.id).where(
        AddressConfirmation.actor_id == actor_id, AddressConfirmation.email_hash == email_hash,
        AddressConfirmation.sender_hash == sender_hash,
        AddressConfirmation.confirmed_at.is_not(None))
    return session.scalar(query.limit(1)) is not None


def delete_actor_confirmations(session: Session, actor_id: int) -> int:
    """Forget every link and proof of this actor; how many rows went."""
    result = session.execute(delete(AddressConfirmation)
                             .where(AddressConfirmation.actor_id == actor_id))
    return result.rowcount or 0
