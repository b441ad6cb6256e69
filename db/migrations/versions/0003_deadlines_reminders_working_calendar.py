"""deadlines, reminders, working calendar

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:09:50.006763
"""

from alembic import op
import sqlalchemy as sa

import db.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('calendar_days',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('workday', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'day', name='uq_calendar_day')
    )
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_days_county_id'), ['county_id'], unique=False)

    op.create_table('calendar_years',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'year', name='uq_calendar_year')
    )
    with op.batch_alter_table('calendar_years', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_years_county_id'), ['county_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('assignment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lapse', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('due_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['step_assignments.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'lapse', name='uq_reminder_lapse')
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_assignment_id'), ['assignment_id'], unique=False)

    with op.batch_alter_table('chain_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deadline', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_chain_steps_due_at'), ['due_at'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standing_meeting_on', sa.Date(), nullable=True))

    


def downgrade() -> None:
    
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('standing_meeting_on')

    with op.batch_alter_table('chain_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chain_steps_due_at'))
        batch_op.drop_column('deadline')
        batch_op.drop_column('due_at')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_assignment_id'))

    op.drop_table('reminders')
    with op.batch_alter_table('calendar_years', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_years_county_id'))

    op.drop_table('calendar_years')
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_days_county_id'))

    op.drop_table('calendar_days')
    
