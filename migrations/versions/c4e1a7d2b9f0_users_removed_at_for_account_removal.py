"""users: removed_at, set when an account is removed (its personal data replaced, its history kept)

Revision ID: c4e1a7d2b9f0
Revises: c41f7e2a9b10
Create Date: 2026-12-06 11:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

import synergy_app.db_types

# revision identifiers, used by Alembic.
revision = 'c4e1a7d2b9f0'
down_revision = 'c41f7e2a9b10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
