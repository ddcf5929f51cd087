"""staff sessions that end: per-user session version

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 18:30:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder, filled in by its issue-8 part


def downgrade() -> None:
    pass
