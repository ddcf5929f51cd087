"""feeds built once per data version, shared by every web worker

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 18:30:00
"""
import sqlalchemy as sa
from alembic import op

import agenda.models.base

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'feed_cache',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('filter_key', sa.String(length=64), nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('started_at', agenda.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('lease_until', agenda.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('built_at', agenda.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('body', sa.LargeBinary(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('etag', sa.String(length=64), nullable=False),
        sa.Column('last_modified', agenda.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('building', 'ready')", name=op.f('ck_feed_cache_state')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_cache')),
        sa.UniqueConstraint('kind', 'filter_key', 'version', 'day', name='uq_feed_cache_key'),
    )
    op.create_index('ix_feed_cache_filters', 'feed_cache', ['kind', 'filter_key', 'state'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_feed_cache_filters', table_name='feed_cache')
    op.drop_table('feed_cache')
