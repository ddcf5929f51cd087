"""The data-change counter (see agenda.models.change): bumped by writers, read by exports."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agenda.models import DataChange

COUNTER_ID = 1


def bump_data_version(session: Session) -> None:
    """Call inside a transaction that changed published data; serialised by the row lock."""
    changed_at = datetime.now(timezone.utc)
    result = session.execute(
        update(DataChange).where(DataChange.id == COUNTER_ID)
        .values(value=DataChange.value + 1, changed_at=changed_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # the migration creates the row; recreate it if it was deleted
        session.add(DataChange(id=COUNTER_ID, value=1, changed_at=changed_at))
        session.flush()


def data_version(session: Session) -> tuple[int, datetime | None]:
    """The counter and the wall-clock time of the last commit that bumped it."""
    row = session.execute(select(DataChange.value, DataChange.changed_at)
                          .where(DataChange.id == COUNTER_ID)).one_or_none()
    return (row[0], row[1]) if row else (0, None)
