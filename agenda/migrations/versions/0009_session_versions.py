"""staff sessions that end: per-user session version

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 18:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every existing account starts at 1 (sessions signed in before this version carry no
    # version: they end, and their staff sign in again once).
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                   server_default=sa.text('1')))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_version')
