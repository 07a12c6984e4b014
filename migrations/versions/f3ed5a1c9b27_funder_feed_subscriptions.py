"""funders' calendar feed subscriptions

Revision ID: f3ed5a1c9b27
Revises: c4e1f0a7d2b9
Create Date: 2026-12-06 14:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

import synergy_app.db_types

# revision identifiers, used by Alembic.
revision = 'f3ed5a1c9b27'
down_revision = 'c4e1f0a7d2b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'funder_feed_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('funder_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('etag', sa.String(length=500), nullable=True),
        sa.Column('last_modified', sa.String(length=100), nullable=True),
        sa.Column('content_sha256', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('last_fetched_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_changed_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('last_error_sv', sa.Text(), nullable=True),
        sa.Column('last_counts', sa.JSON(), nullable=True),
        sa.Column('claimed_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_funder_feed_subscriptions_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['funder_id'], ['organisations.id'],
                                name=op.f('fk_funder_feed_subscriptions_funder_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_funder_feed_subscriptions')),
        sa.UniqueConstraint('funder_id', name=op.f('uq_funder_feed_subscriptions_funder_id')),
    )
    with op.batch_alter_table('funder_feed_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funder_feed_subscriptions_last_fetched_at'), ['last_fetched_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('funder_feed_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funder_feed_subscriptions_last_fetched_at'))
    op.drop_table('funder_feed_subscriptions')
