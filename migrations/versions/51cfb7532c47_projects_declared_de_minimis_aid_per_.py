"""projects: declared de minimis aid per partner

Revision ID: 51cfb7532c47
Revises: 822435759271
Create Date: 2026-11-23 03:52:17.917912

"""
from alembic import op
import sqlalchemy as sa

import synergy_app.db_types


# revision identifiers, used by Alembic.
revision = '51cfb7532c47'
down_revision = '822435759271'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project_partners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('de_minimis_declared', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('project_partners', schema=None) as batch_op:
        batch_op.drop_column('de_minimis_declared')
