"""Declarative base and the column types shared by every model."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Index, MetaData, Text, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Instants stored in UTC and always read back timezone-aware, on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a timezone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# The words of a row for PostgreSQL's search (``agenda.search.pg``): a tsvector there, an unused
# text column on SQLite (whose search is the Whoosh index).  Made stale (NULL) by a trigger when
# a searched column changes, refilled before the transaction commits (migration 0019).
SearchVector = Text().with_variant(TSVECTOR(), "postgresql")


def search_vector_indexes(table: str) -> tuple[Index, Index]:
    """The GIN index of a table's vectors, and the partial index of the rows waiting for one."""
    missing = text("search_vector IS NULL")
    return (Index(f"ix_{table}_search_vector", "search_vector", postgresql_using="gin"),
            Index(f"ix_{table}_vector_missing", "id", postgresql_where=missing,
                  sqlite_where=missing))
