"""inbox index: only waiting assignments, in id order per assignee; counties' roster version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 17:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

WAITING = sa.text("state = 'waiting'")


def upgrade() -> None:
    with op.batch_alter_table('counties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roster_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('step_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_waiting')
        batch_op.create_index('ix_assignments_waiting', ['county_id', 'assignee_id', 'id'], unique=False,
                              postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade() -> None:
    with op.batch_alter_table('counties', schema=None) as batch_op:
        batch_op.drop_column('roster_version')
    with op.batch_alter_table('step_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_waiting')
        batch_op.create_index('ix_assignments_waiting', ['county_id', 'state', 'assignee_id'], unique=False)
