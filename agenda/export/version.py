"""The data version: cheap to read, different whenever what the exports show changes.

Read from the database (several gunicorn processes share it, not their memory), with indexes
only: the change counter that every writing transaction bumps in commit order (see
agenda.models.change), the last change of any event (``updated_at``),
the last occurrence (recurring events roll forward without changing), and the number and
highest id of the sources (deleting a source deletes its events).  The response cache also
gives every entry a maximum age, as a last resort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.models import Event, Occurrence, Source
from agenda.store.changes import data_version


@dataclass(frozen=True)
class DataVersion:
    events_changed_at: datetime | None
    last_occurrence_at: datetime | None
    source_count: int
    last_source_id: int | None
    change_counter: int = 0
    counter_changed_at: datetime | None = None

    @property
    def key(self) -> tuple:
        return (self.events_changed_at, self.last_occurrence_at, self.source_count,
                self.last_source_id, self.change_counter)

    @property
    def changed_at(self) -> datetime | None:
        """When published data last changed, by the wall clock of the committing writer."""
        return max(filter(None, [self.events_changed_at, self.counter_changed_at]), default=None)


def read_version(session: Session) -> DataVersion:
    row = session.execute(select(
        select(func.max(Event.updated_at)).scalar_subquery(),
        select(func.max(Occurrence.start_at)).scalar_subquery(),
        select(func.count(Source.id)).scalar_subquery(),
        select(func.max(Source.id)).scalar_subquery(),
    )).one()
    return DataVersion(*row, *data_version(session))
