"""campaign rules and hand-picked events (reserved slot, filled by the campaigns work)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 21:40:00
"""

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
