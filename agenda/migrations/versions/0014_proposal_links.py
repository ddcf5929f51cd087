"""further secret links of a proposal (sent when the first one is lost)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:40:00
"""
import sqlalchemy as sa
from alembic import op

import agenda.models.base

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proposal_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', agenda.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_proposal_links_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_links')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_proposal_links_secret_hash'))
    )
    with op.batch_alter_table('proposal_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_links_submission_id'), ['submission_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('proposal_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_links_submission_id'))
    op.drop_table('proposal_links')
