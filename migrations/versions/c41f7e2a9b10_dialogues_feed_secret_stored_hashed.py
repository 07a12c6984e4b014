"""dialogues: the personal feed secret is stored as its SHA-256 hash

Existing links keep working: each stored secret is replaced by its hash, which is what a request's
secret is compared with from now on. Downgrading cannot recover the secrets, so it removes the
links (their users create new ones).

Revision ID: c41f7e2a9b10
Revises: 8d24028d3f66
Create Date: 2026-12-06 11:20:00.000000

"""
import hashlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c41f7e2a9b10'
down_revision = '8d24028d3f66'
branch_labels = None
depends_on = None

tokens = sa.table('dialogue_feed_tokens', sa.column('id', sa.Integer), sa.column('token', sa.String),
                  sa.column('token_hash', sa.String))


def upgrade():
    with op.batch_alter_table('dialogue_feed_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for row_id, token in connection.execute(sa.select(tokens.c.id, tokens.c.token)).all():
        digest = hashlib.sha256(token.encode()).hexdigest()
        connection.execute(tokens.update().where(tokens.c.id == row_id).values(token_hash=digest))
    with op.batch_alter_table('dialogue_feed_tokens', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_dialogue_feed_tokens_token'), type_='unique')
        batch_op.drop_column('token')
        batch_op.create_unique_constraint(batch_op.f('uq_dialogue_feed_tokens_token_hash'), ['token_hash'])


def downgrade():
    op.execute(tokens.delete())
    with op.batch_alter_table('dialogue_feed_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_dialogue_feed_tokens_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')
        batch_op.create_unique_constraint(batch_op.f('uq_dialogue_feed_tokens_token'), ['token'])
