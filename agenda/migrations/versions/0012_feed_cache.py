"""feeds built once per data version, shared by every web worker

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 18:30:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder, filled in by its issue-8 part


def downgrade() -> None:
    pass
