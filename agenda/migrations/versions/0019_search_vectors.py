"""search in PostgreSQL: a text vector per event, actor and initiative (GIN indexed, made stale
by a trigger when a searched column changes, refilled in the same transaction by
``agenda.search.pg.vectors``); the text of each event's VEVENT kept with the event

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 09:40:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

VECTOR = sa.Text().with_variant(TSVECTOR(), 'postgresql')

# The columns each table's words come from (agenda.search.documents, agenda.finder.documents):
# a change of one of them makes the row's vector stale (NULL), unless the update writes the
# vector itself.  JSON columns are compared as text (json has no equality).
SEARCHED = {
    'events': ('title', 'description_text', 'location_name', 'city', 'department',
               'commune_name', 'organizer', 'categories::text', 'themes::text'),
    'actors': ('name', 'kind', 'structure', 'approvals::text', 'themes::text',
               'description_text', 'address', 'commune_name', 'department'),
    'initiatives': ('title', 'description_text', 'themes::text', 'department', 'territory',
                    'commune_name', 'actor_id'),
}


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table in SEARCHED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_vector', VECTOR, nullable=True))
            if table == 'events':
                batch_op.add_column(sa.Column('ics_text', sa.Text(), nullable=True))
                batch_op.add_column(sa.Column('ics_key', sa.String(length=200), nullable=True))
        op.create_index(f'ix_{table}_search_vector', table, ['search_vector'],
                        postgresql_using='gin')
        op.create_index(f'ix_{table}_vector_missing', table, ['id'],
                        postgresql_where=sa.text('search_vector IS NULL'),
                        sqlite_where=sa.text('search_vector IS NULL'))
    if postgresql:
        for table, columns in SEARCHED.items():
            _stale_trigger(table, columns)
        _initiative_actor_triggers()


def _stale_trigger(table: str, columns: tuple[str, ...]) -> None:
    changed = ' OR '.join(f'NEW.{c} IS DISTINCT FROM OLD.{c}' for c in columns)
    op.execute(f"""
        CREATE FUNCTION agenda_{table}_vector_stale() RETURNS trigger AS $$
        BEGIN
            IF NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector AND ({changed}) THEN
                NEW.search_vector := NULL;
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    op.execute(f"""
        CREATE TRIGGER {table}_vector_stale BEFORE UPDATE ON {table}
        FOR EACH ROW EXECUTE FUNCTION agenda_{table}_vector_stale()""")


def _initiative_actor_triggers() -> None:
    """An initiative's words hold its shown actors' names: linking, unlinking, renaming,
    hiding or removing one makes its vector stale."""
    op.execute("""
        CREATE FUNCTION agenda_initiative_actors_stale() RETURNS trigger AS $$
        BEGIN
            UPDATE initiatives SET search_vector = NULL
            WHERE id = COALESCE(NEW.initiative_id, OLD.initiative_id)
              AND search_vector IS NOT NULL;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""")
    op.execute("""
        CREATE TRIGGER initiative_actors_stale AFTER INSERT OR DELETE ON initiative_actors
        FOR EACH ROW EXECUTE FUNCTION agenda_initiative_actors_stale()""")
    op.execute("""
        CREATE FUNCTION agenda_actor_names_stale() RETURNS trigger AS $$
        BEGIN
            IF NEW.name IS DISTINCT FROM OLD.name OR NEW.status IS DISTINCT FROM OLD.status
               OR NEW.removed_at IS DISTINCT FROM OLD.removed_at THEN
                UPDATE initiatives SET search_vector = NULL
                WHERE search_vector IS NOT NULL AND (actor_id = NEW.id OR id IN (
                    SELECT initiative_id FROM initiative_actors WHERE actor_id = NEW.id));
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""")
    op.execute("""
        CREATE TRIGGER actor_names_stale AFTER UPDATE ON actors
        FOR EACH ROW EXECUTE FUNCTION agenda_actor_names_stale()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS actor_names_stale ON actors')
        op.execute('DROP TRIGGER IF EXISTS initiative_actors_stale ON initiative_actors')
        op.execute('DROP FUNCTION IF EXISTS agenda_actor_names_stale()')
        op.execute('DROP FUNCTION IF EXISTS agenda_initiative_actors_stale()')
        for table in SEARCHED:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_vector_stale ON {table}')
            op.execute(f'DROP FUNCTION IF EXISTS agenda_{table}_vector_stale()')
    for table in SEARCHED:
        op.drop_index(f'ix_{table}_vector_missing', table_name=table)
        op.drop_index(f'ix_{table}_search_vector', table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'events':
                batch_op.drop_column('ics_key')
                batch_op.drop_column('ics_text')
            batch_op.drop_column('search_vector')
