"""every place in its commune (events, initiatives, actors); one listing per real event: copies
point to the listed event, pairs to review, a priority per source

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 04:00:00
"""
import sqlalchemy as sa
from alembic import op

from agenda.models.base import UTCDateTime

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commune_code', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('commune_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('merged_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('own_values', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_duplicate_of'), ['duplicate_of'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_duplicate_of_events'), 'events',
                                    ['duplicate_of'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commune_code', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('commune_name', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_initiatives_commune_code'), ['commune_code'],
                              unique=False)
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postcode', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('commune_code', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('commune_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('department', sa.String(length=3), nullable=True))
        batch_op.create_index(batch_op.f('ix_actors_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_actors_department'), ['department'], unique=False)
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), server_default='0',
                                      nullable=False))
    op.create_table(
        'match_pairs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('first_id', sa.String(length=32), nullable=False),
        sa.Column('second_id', sa.String(length=32), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('decided_by', sa.String(length=254), nullable=True),
        sa.Column('decided_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint("state IN ('pending', 'merged', 'refused')",
                           name=op.f('ck_match_pairs_state')),
        sa.CheckConstraint('first_id < second_id', name=op.f('ck_match_pairs_ordered')),
        sa.ForeignKeyConstraint(['first_id'], ['events.id'],
                                name=op.f('fk_match_pairs_first_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['second_id'], ['events.id'],
                                name=op.f('fk_match_pairs_second_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_pairs')),
        sa.UniqueConstraint('first_id', 'second_id', name='uq_match_pairs_events'),
    )
    with op.batch_alter_table('match_pairs', schema=None) as batch_op:
        batch_op.create_index('ix_match_pairs_state', ['state', 'score'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_pairs_second_id'), ['second_id'], unique=False)


def downgrade() -> None:
    op.drop_table('match_pairs')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('priority')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_department'))
        batch_op.drop_index(batch_op.f('ix_actors_commune_code'))
        for column in ('department', 'commune_name', 'commune_code', 'postcode'):
            batch_op.drop_column(column)
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiatives_commune_code'))
        batch_op.drop_column('commune_name')
        batch_op.drop_column('commune_code')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_duplicate_of_events'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_duplicate_of'))
        batch_op.drop_index(batch_op.f('ix_events_commune_code'))
        for column in ('own_values', 'merged_at', 'duplicate_of', 'commune_name', 'commune_code'):
            batch_op.drop_column(column)
