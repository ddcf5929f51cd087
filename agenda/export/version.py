"""The data version: cheap to read, different whenever what the exports show changes.

Read from the database (several gunicorn processes share it, not their memory), with indexes
only: the last change of any event (every insert, update and removal stamps ``updated_at``),
the last occurrence (recurring events roll forward without changing), and the number and
highest id of the sources (deleting a source deletes its events).  The response cache also
gives every entry a maximum age, for the rare change this misses (two collections committing
in the opposite order of their timestamps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.models import Event, Occurrence, Source


@dataclass(frozen=True)
class DataVersion:
    events_changed_at: datetime | None
    last_occurrence_at: datetime | None
    source_count: int
    last_source_id: int | None

    @property
    def key(self) -> tuple:
        return (self.events_changed_at, self.last_occurrence_at, self.source_count,
                self.last_source_id)


def read_version(session: Session) -> DataVersion:
    row = session.execute(select(
        select(func.max(Event.updated_at)).scalar_subquery(),
        select(func.max(Occurrence.start_at)).scalar_subquery(),
        select(func.count(Source.id)).scalar_subquery(),
        select(func.max(Source.id)).scalar_subquery(),
    )).one()
    return DataVersion(*row)
