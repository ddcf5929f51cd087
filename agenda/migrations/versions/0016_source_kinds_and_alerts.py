"""more source kinds (JSON-LD pages, OpenAgenda, The Events Calendar, spreadsheet imports); a
source's API key, owner contact, sync state, alert state and diagnosis; staff uploads

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 00:40:00
"""
import sqlalchemy as sa
from alembic import op

from agenda.models.base import UTCDateTime

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

KINDS = "('auto', 'ics', 'feed', 'jsonld', 'openagenda', 'tribe', 'form', 'import')"
OLD_KINDS = "('auto', 'ics', 'feed', 'form')"


def upgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('sync_state', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('alert_state', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('diagnosis', sa.JSON(), nullable=True))
        batch_op.drop_constraint(op.f('ck_sources_kind'), type_='check')
        batch_op.create_check_constraint('kind', f"kind IN {KINDS}")
    op.create_table(
        'uploads',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_uploads_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    )


def downgrade() -> None:
    op.drop_table('uploads')
    op.execute("DELETE FROM sources WHERE kind NOT IN " + OLD_KINDS)
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sources_kind'), type_='check')
        batch_op.create_check_constraint('kind', f"kind IN {OLD_KINDS}")
        batch_op.drop_column('diagnosis')
        batch_op.drop_column('alert_state')
        batch_op.drop_column('sync_state')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('api_key')
