"""dialogues: a presentation is a draft until the strategist saves it as ready

Revision ID: e7a2c9d4b1f3
Revises: e5b8d1c3a7f2
Create Date: 2026-12-06 14:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7a2c9d4b1f3'
down_revision = 'e5b8d1c3a7f2'
branch_labels = None
depends_on = None


def upgrade():
    # Presentations saved before drafts existed passed every check, so they are ready.
    with op.batch_alter_table('dialogue_presentations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ready', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('dialogue_presentations', schema=None) as batch_op:
        batch_op.drop_column('ready')
