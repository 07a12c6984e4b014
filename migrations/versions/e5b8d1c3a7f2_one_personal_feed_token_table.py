"""one personal feed: the dialogue feed's secrets move to calendar_feed_tokens, whose table is dropped

The personal feed now holds both the followed calls and the snabbdialoger, with one kind of secret.
Every stored dialogue feed hash is copied over, so links already in subscribers' calendars keep
working (at either address); a user may therefore have two rows until a new link is made.

Downgrading gives each user's first row back to the calendar feed and the second (or, when there is
only one, the same hash) to a recreated dialogue feed table, so every link still opens a feed.

Revision ID: e5b8d1c3a7f2
Revises: f3ed5a1c9b27
Create Date: 2026-12-06 14:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

import synergy_app.db_types

# revision identifiers, used by Alembic.
revision = 'e5b8d1c3a7f2'
down_revision = 'f3ed5a1c9b27'
branch_labels = None
depends_on = None

calendar_tokens = sa.table('calendar_feed_tokens', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                           sa.column('token_hash', sa.String), sa.column('created_at', synergy_app.db_types.UTCDateTime(timezone=True)))
dialogue_tokens = sa.table('dialogue_feed_tokens', sa.column('user_id', sa.Integer),
                           sa.column('token_hash', sa.String), sa.column('created_at', synergy_app.db_types.UTCDateTime(timezone=True)))


def upgrade():
    with op.batch_alter_table('calendar_feed_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_calendar_feed_tokens_user_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_calendar_feed_tokens_user_id'), ['user_id'], unique=False)
    known = sa.select(calendar_tokens.c.token_hash)
    op.execute(calendar_tokens.insert().from_select(
        ['user_id', 'token_hash', 'created_at'],
        sa.select(dialogue_tokens.c.user_id, dialogue_tokens.c.token_hash, dialogue_tokens.c.created_at)
        .where(dialogue_tokens.c.token_hash.not_in(known))))
    op.drop_table('dialogue_feed_tokens')


def downgrade():
    op.create_table(
        'dialogue_feed_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dialogue_feed_tokens_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_feed_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_dialogue_feed_tokens_token_hash')),
        sa.UniqueConstraint('user_id', name=op.f('uq_dialogue_feed_tokens_user_id')),
    )
    connection = op.get_bind()
    by_user: dict[int, list] = {}
    for row in connection.execute(sa.select(calendar_tokens).order_by(calendar_tokens.c.id)).all():
        by_user.setdefault(row.user_id, []).append(row)
    for user_id, rows in by_user.items():
        dialogue = rows[1] if len(rows) > 1 else rows[0]
        connection.execute(dialogue_tokens.insert().values(user_id=user_id, token_hash=dialogue.token_hash,
                                                           created_at=dialogue.created_at))
        extra = [row.id for row in rows[1:]]
        if extra:
            connection.execute(calendar_tokens.delete().where(calendar_tokens.c.id.in_(extra)))
    with op.batch_alter_table('calendar_feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_tokens_user_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_calendar_feed_tokens_user_id'), ['user_id'])
