"""projects: assisted area, municipalities, licensing commitment and multi-country project (GBER Art. 25(6))

Revision ID: b25a2023d131
Revises: 9a3821655165
Create Date: 2026-12-06 11:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b25a2023d131'
down_revision = '9a3821655165'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collab_licensing', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('collab_multi_country', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('assisted_area', sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column('municipalities', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('municipalities')
        batch_op.drop_column('assisted_area')
        batch_op.drop_column('collab_multi_country')
        batch_op.drop_column('collab_licensing')
