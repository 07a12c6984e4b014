"""stateaid: people following a question (topic) of the ruling log

Revision ID: b8d2f4a6c1e3
Revises: e7a3c9d5b1f2
Create Date: 2026-12-06 17:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

import synergy_app.db_types

# revision identifiers, used by Alembic.
revision = 'b8d2f4a6c1e3'
down_revision = 'e7a3c9d5b1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ruling_question_follows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('created_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_ruling_question_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic', name=op.f('pk_ruling_question_follows'))
    )
    with op.batch_alter_table('ruling_question_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ruling_question_follows_topic'), ['topic'], unique=False)


def downgrade():
    with op.batch_alter_table('ruling_question_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ruling_question_follows_topic'))
    op.drop_table('ruling_question_follows')
