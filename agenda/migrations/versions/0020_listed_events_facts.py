"""the listed events' facts in one covering index (department, commune, source, themes), so
PostgreSQL's search counts and facets a listing from the index instead of the events' rows

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 10:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

LISTED = sa.text('removed_at IS NULL AND duplicate_of IS NULL')


def upgrade() -> None:
    op.create_index('ix_events_listed_facts', 'events', ['id'],
                    postgresql_include=['department', 'commune_code', 'source_id', 'themes'],
                    postgresql_where=LISTED, sqlite_where=LISTED)


def downgrade() -> None:
    op.drop_index('ix_events_listed_facts', table_name='events')
