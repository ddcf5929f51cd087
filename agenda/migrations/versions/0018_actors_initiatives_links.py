"""actors with their kind of structure, approvals, SIREN/SIRET/RNA numbers, themes, public
contact, description, status and origin; initiatives collected (a source of kind "initiatives")
or imported, with their dates and place; links between events, actors and initiatives, and
between actors; actor proposals

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 07:00:00
"""
import sqlalchemy as sa
from alembic import op

from agenda.models.base import UTCDateTime

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

KINDS = ("('auto', 'ics', 'feed', 'jsonld', 'openagenda', 'tribe', 'initiatives', 'form', "
         "'import')")
OLD_KINDS = "('auto', 'ics', 'feed', 'jsonld', 'openagenda', 'tribe', 'form', 'import')"
STRUCTURE_OF_KIND = {  # the free words of the demo and of earlier records
    'association': 'association', 'coopérative': 'cooperative', 'cooperative': 'cooperative',
    'scop': 'cooperative', 'scic': 'cooperative', 'mutuelle': 'mutual', 'fondation':
    'foundation', 'collectivité': 'public', 'collectivite': 'public',
}


def upgrade() -> None:
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('structure', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('approvals', sa.JSON(), server_default='[]',
                                      nullable=False))
        batch_op.add_column(sa.Column('siren', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('siret', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('rna', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('themes', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('description_html', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('description_text', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lon', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='confirmed',
                                      nullable=False))
        batch_op.add_column(sa.Column('origin', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('origin_key', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('flags', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('updated_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_at', UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_actors_structure'), ['structure'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_actors_siren'), ['siren'])
        batch_op.create_unique_constraint(batch_op.f('uq_actors_rna'), ['rna'])
        batch_op.create_unique_constraint(batch_op.f('uq_actors_origin_key'), ['origin_key'])
        batch_op.create_check_constraint(
            'status', "status IN ('confirmed', 'to_check', 'proposed')")
    actors = sa.table('actors', sa.column('kind', sa.String), sa.column('structure', sa.String))
    for kind, structure in STRUCTURE_OF_KIND.items():
        op.execute(actors.update().where(sa.func.lower(actors.c.kind) == kind)
                   .values(structure=structure))

    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lon', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('origin_key', sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_initiatives_source_id'), ['source_id'],
                              unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_initiatives_origin_key'),
                                          ['origin_key'])
        batch_op.create_foreign_key(batch_op.f('fk_initiatives_source_id_sources'), 'sources',
                                    ['source_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=10),
                              type_=sa.String(length=12), existing_nullable=False)
        batch_op.drop_constraint(op.f('ck_sources_kind'), type_='check')
        batch_op.create_check_constraint('kind', f"kind IN {KINDS}")
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_submissions_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('event', 'initiative', 'actor')")

    op.create_table(
        'actor_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('other_id', sa.Integer(), nullable=False),
        sa.Column('relation', sa.String(length=10), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint("relation IN ('member', 'partner')",
                           name=op.f('ck_actor_links_relation')),
        sa.CheckConstraint('actor_id <> other_id', name=op.f('ck_actor_links_distinct')),
        sa.ForeignKeyConstraint(['actor_id'], ['actors.id'],
                                name=op.f('fk_actor_links_actor_id_actors'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['other_id'], ['actors.id'],
                                name=op.f('fk_actor_links_other_id_actors'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_links')),
        sa.UniqueConstraint('actor_id', 'other_id', 'relation',
                            name=op.f('uq_actor_links_actor_id')),
    )
    with op.batch_alter_table('actor_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_links_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actor_links_other_id'), ['other_id'], unique=False)
    op.create_table(
        'event_actors',
        sa.Column('event_id', sa.String(length=32), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('how', sa.String(length=10), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint("how IN ('source', 'organizer', 'form', 'staff')",
                           name=op.f('ck_event_actors_how')),
        sa.ForeignKeyConstraint(['actor_id'], ['actors.id'],
                                name=op.f('fk_event_actors_actor_id_actors'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_event_actors_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'actor_id', name=op.f('pk_event_actors')),
    )
    with op.batch_alter_table('event_actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_actors_actor_id'), ['actor_id'], unique=False)
    op.create_table(
        'initiative_actors',
        sa.Column('initiative_id', sa.String(length=32), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['actors.id'],
                                name=op.f('fk_initiative_actors_actor_id_actors'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'],
                                name=op.f('fk_initiative_actors_initiative_id_initiatives'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('initiative_id', 'actor_id', name=op.f('pk_initiative_actors')),
    )
    with op.batch_alter_table('initiative_actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_actors_actor_id'), ['actor_id'],
                              unique=False)
    op.create_table(
        'event_initiatives',
        sa.Column('event_id', sa.String(length=32), nullable=False),
        sa.Column('initiative_id', sa.String(length=32), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_event_initiatives_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'],
                                name=op.f('fk_event_initiatives_initiative_id_initiatives'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'initiative_id', name=op.f('pk_event_initiatives')),
    )
    with op.batch_alter_table('event_initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_initiatives_initiative_id'), ['initiative_id'],
                              unique=False)
    # What was known before: an initiative's actor, a proposal's actor, a source's owner
    op.execute("INSERT INTO initiative_actors (initiative_id, actor_id, created_at) "
               "SELECT id, actor_id, created_at FROM initiatives WHERE actor_id IS NOT NULL")
    op.execute("INSERT INTO event_actors (event_id, actor_id, how, created_at) "
               "SELECT DISTINCT event_id, actor_id, 'form', submitted_at FROM submissions "
               "WHERE event_id IS NOT NULL AND actor_id IS NOT NULL")
    op.execute("INSERT INTO event_actors (event_id, actor_id, how, created_at) "
               "SELECT e.id, s.actor_id, 'source', e.created_at FROM events e "
               "JOIN sources s ON s.id = e.source_id WHERE s.actor_id IS NOT NULL "
               "AND NOT EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.id "
               "AND ea.actor_id = s.actor_id)")


def downgrade() -> None:
    op.drop_table('event_initiatives')
    op.drop_table('initiative_actors')
    op.drop_table('event_actors')
    op.drop_table('actor_links')
    op.execute("DELETE FROM submissions WHERE kind = 'actor'")
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_submissions_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('event', 'initiative')")
    op.execute("DELETE FROM sources WHERE kind = 'initiatives'")
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sources_kind'), type_='check')
        batch_op.create_check_constraint('kind', f"kind IN {OLD_KINDS}")
        batch_op.alter_column('kind', existing_type=sa.String(length=12),
                              type_=sa.String(length=10), existing_nullable=False)
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_initiatives_source_id_sources'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_initiatives_origin_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_initiatives_source_id'))
        for column in ('origin_key', 'source_id', 'lon', 'lat', 'ends_on', 'starts_on'):
            batch_op.drop_column(column)
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_actors_status'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_actors_origin_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_actors_rna'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_actors_siren'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_actors_structure'))
        for column in ('removed_at', 'updated_at', 'flags', 'origin_key', 'origin', 'status',
                       'lon', 'lat', 'address', 'contact_phone', 'contact_email',
                       'description_text', 'description_html', 'themes', 'rna', 'siret',
                       'siren', 'approvals', 'structure'):
            batch_op.drop_column(column)
