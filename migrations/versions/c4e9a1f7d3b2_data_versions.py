"""core: a version per table, renewed with every write, so kept pages know when they are out of date

Revision ID: c4e9a1f7d3b2
Revises: b8d2f4a6c1e3
Create Date: 2026-12-06 20:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4e9a1f7d3b2'
down_revision = 'b8d2f4a6c1e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_versions',
    sa.Column('table_name', sa.String(length=100), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('table_name', name=op.f('pk_data_versions'))
    )


def downgrade():
    op.drop_table('data_versions')
