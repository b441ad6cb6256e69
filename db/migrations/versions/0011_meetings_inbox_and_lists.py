"""Meetings: meeting inbox events and lists

How a vote came onto the record (in person, or a show of hands the office recorded, and by whom), who
granted a member's leave from a meeting, and the indexes the meeting lists and "my meetings" read by.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 22:10:00
"""

from alembic import op
import sqlalchemy as sa



revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_ROUTE = sa.Enum('in_person', 'show_of_hands', name='vote_route', native_enum=False, length=40)


def upgrade() -> None:
    with op.batch_alter_table('meeting_votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('route', _ROUTE, nullable=False, server_default='in_person'))
        batch_op.add_column(sa.Column('recorded_by_id', _ID, nullable=True))
        batch_op.create_foreign_key('fk_meeting_votes_recorded_by_id', 'officials', ['recorded_by_id'], ['id'])
    with op.batch_alter_table('meeting_votes', schema=None) as batch_op:
        batch_op.alter_column('route', existing_type=_ROUTE, server_default=None)
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_scheduled_at'), ['scheduled_at'], unique=False)
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendance_official_id'), ['official_id'], unique=False)
        batch_op.add_column(sa.Column('leave_granted_by_id', _ID, nullable=True))
        batch_op.create_foreign_key('fk_meeting_attendance_leave_granted_by_id', 'officials',
                                    ['leave_granted_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.drop_constraint('fk_meeting_attendance_leave_granted_by_id', type_='foreignkey')
        batch_op.drop_column('leave_granted_by_id')
        batch_op.drop_index(batch_op.f('ix_meeting_attendance_official_id'))
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_scheduled_at'))
    with op.batch_alter_table('meeting_votes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_meeting_votes_recorded_by_id', type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('route')
