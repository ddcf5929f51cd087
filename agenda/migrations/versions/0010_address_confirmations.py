"""proved contact addresses of trusted actors

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 18:30:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder, filled in by its issue-8 part


def downgrade() -> None:
    pass
