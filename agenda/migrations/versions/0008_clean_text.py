"""existing rows cleaned of control and invisible characters

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:30:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder, filled in by its issue-8 part


def downgrade() -> None:
    pass
