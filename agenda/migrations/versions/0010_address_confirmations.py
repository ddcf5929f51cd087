"""proved contact addresses of trusted actors

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 18:30:00
"""
import sqlalchemy as sa
from alembic import op

import agenda.models.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('address_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('sender_hash', sa.String(length=64), nullable=True),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('created_at', agenda.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', agenda.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', agenda.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_address_confirmations_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_address_confirmations_submission_id_submissions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_address_confirmations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_address_confirmations_token_hash'))
    )
    with op.batch_alter_table('address_confirmations', schema=None) as batch_op:
        batch_op.create_index('ix_address_confirmations_proof', ['actor_id', 'email_hash'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('address_confirmations', schema=None) as batch_op:
        batch_op.drop_index('ix_address_confirmations_proof')
    op.drop_table('address_confirmations')
