"""campaign rules and hand-picked events; the campaign's banner text and image

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 21:40:00
"""
import sqlalchemy as sa
from alembic import op

import agenda.models.base

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

RULES = ('rule_themes', 'rule_words', 'rule_sources', 'rule_actors', 'rule_departments')


def upgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('banner_text', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('image_url', sa.String(length=2000), nullable=True))
        for name in RULES:
            batch_op.add_column(sa.Column(name, sa.JSON(), server_default='[]', nullable=False))
    op.create_table('campaign_picks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=32), nullable=False),
    sa.Column('included', sa.Boolean(), nullable=False),
    sa.Column('picked_at', agenda.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('picked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_picks_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_campaign_picks_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['picked_by_id'], ['users.id'], name=op.f('fk_campaign_picks_picked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_picks')),
    sa.UniqueConstraint('campaign_id', 'event_id', name='uq_campaign_picks')
    )
    with op.batch_alter_table('campaign_picks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_picks_campaign_id'), ['campaign_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_picks_event_id'), ['event_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('campaign_picks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_picks_event_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_picks_campaign_id'))
    op.drop_table('campaign_picks')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        for name in reversed(RULES):
            batch_op.drop_column(name)
        batch_op.drop_column('image_url')
        batch_op.drop_column('banner_text')
