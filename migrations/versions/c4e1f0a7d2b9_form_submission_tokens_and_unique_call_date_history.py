"""form submission tokens; one call date change per field and revision

Revision ID: c4e1f0a7d2b9
Revises: c4e1a7d2b9f0
Create Date: 2026-12-06 10:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

import synergy_app.db_types

# revision identifiers, used by Alembic.
revision = 'c4e1f0a7d2b9'
down_revision = 'c4e1a7d2b9f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('endpoint', sa.String(length=120), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('target', sa.String(length=1000), nullable=True),
        sa.Column('created_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions')),
        sa.UniqueConstraint('token', name=op.f('uq_form_submissions_token')),
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submissions_created_at'), ['created_at'], unique=False)

    # Two simultaneous imports of the same changed file recorded each moved date twice; keep the first.
    op.execute(
        "DELETE FROM call_date_changes WHERE id NOT IN "
        "(SELECT min_id FROM (SELECT min(id) AS min_id FROM call_date_changes "
        "GROUP BY call_id, field, revision) AS firsts)"
    )
    with op.batch_alter_table('call_date_changes', schema=None) as batch_op:
        batch_op.create_index('uq_call_date_changes_call_field_revision', ['call_id', 'field', 'revision'],
                              unique=True)


def downgrade():
    with op.batch_alter_table('call_date_changes', schema=None) as batch_op:
        batch_op.drop_index('uq_call_date_changes_call_field_revision')
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submissions_created_at'))
    op.drop_table('form_submissions')
