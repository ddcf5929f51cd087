"""translatable source errors: the values of a source's last error and of a run's error and
warnings, beside their English sentences (pages rebuild the sentence in their own language)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_error_params', sa.JSON(), nullable=True))
    with op.batch_alter_table('collection_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('warning_details', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('collection_runs', schema=None) as batch_op:
        batch_op.drop_column('warning_details')
        batch_op.drop_column('error_params')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('last_error_params')
