"""project description sections, cost line types and actual costs

Revision ID: f7a1c3e5b9d2
Revises: e7a2c9d4b1f3
Create Date: 2026-12-06 14:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

import synergy_app.db_types

# revision identifiers, used by Alembic.
revision = 'f7a1c3e5b9d2'
down_revision = 'e7a2c9d4b1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'project_description_sections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('section', sa.String(length=40), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('updated_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_project_description_sections_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_project_description_sections')),
        sa.UniqueConstraint('project_id', 'section', 'language',
                            name=op.f('uq_project_description_sections_project_id_section_language')),
    )
    with op.batch_alter_table('project_description_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_description_sections_project_id'), ['project_id'], unique=False)
    op.create_table(
        'project_cost_line_types',
        sa.Column('cost_line_id', sa.Integer(), nullable=False),
        sa.Column('cost_type', sa.String(length=20), nullable=False),
        sa.Column('hours', sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column('hourly_rate_ore', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('annual_cost_ore', sa.BigInteger(), nullable=True),
        sa.Column('subcontracting', sa.Boolean(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['cost_line_id'], ['project_cost_lines.id'],
                                name=op.f('fk_project_cost_line_types_cost_line_id_project_cost_lines'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('cost_line_id', name=op.f('pk_project_cost_line_types')),
    )

    op.create_table(
        'project_actual_costs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=True),
        sa.Column('period_end', sa.Date(), nullable=True),
        sa.Column('cost_type', sa.String(length=20), nullable=False),
        sa.Column('amount_ore', sa.BigInteger(), nullable=False),
        sa.Column('origin', sa.String(length=10), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('created_at', synergy_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['partner_id'], ['project_partners.id'],
                                name=op.f('fk_project_actual_costs_partner_id_project_partners'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_project_actual_costs_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_project_actual_costs')),
    )
    with op.batch_alter_table('project_actual_costs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_actual_costs_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_actual_costs_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('project_actual_costs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_actual_costs_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_actual_costs_partner_id'))
    op.drop_table('project_actual_costs')
    op.drop_table('project_cost_line_types')
    with op.batch_alter_table('project_description_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_description_sections_project_id'))
    op.drop_table('project_description_sections')
