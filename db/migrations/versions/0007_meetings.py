"""Meetings: bodies (per county, from policies/meetings), meetings, attendance, agenda items, votes

Counties made before this revision get their rule set's bodies here, as new counties do when created.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 20:08:19.702401
"""

from alembic import op
import sqlalchemy as sa

import db.models
from domain.roster import RuleSet
from policies.meetings import read_bodies, stored_rules


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting_bodies',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('plenary', 'standing', 'magistrate_office', 'topical', 'party_group', name='meeting_body_kind', native_enum=False, length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'name', name='uq_meeting_body_name')
    )
    with op.batch_alter_table('meeting_bodies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_bodies_county_id'), ['county_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('body_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('scheduled_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('chair_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entrusted_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('ad_hoc_approved_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('state', sa.Enum('planned', 'notice_sent', 'in_session', 'closed', 'cancelled', name='meeting_state', native_enum=False, length=40), nullable=False),
    sa.Column('notice_sent_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ad_hoc_approved_by_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['body_id'], ['meeting_bodies.id'], ),
    sa.ForeignKeyConstraint(['chair_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['entrusted_by_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('body_id', 'year', 'seq', name='uq_meeting_number')
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_county_id'), ['county_id'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('meeting_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('is_personnel', sa.Boolean(), nullable=False),
    sa.Column('member_in_charge_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('state', sa.Enum('open', 'voting', 'decided', 'deferred', name='agenda_item_state', native_enum=False, length=40), nullable=False),
    sa.Column('outcome', sa.Enum('passed', 'not_passed', 'chair_concluded', name='agenda_item_outcome', native_enum=False, length=40), nullable=True),
    sa.Column('conclusion', sa.Text(), nullable=True),
    sa.Column('decided_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ),
    sa.ForeignKeyConstraint(['member_in_charge_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_attendance',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('meeting_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('member', 'substitute', 'ab_partner', 'attending', name='attendee_kind', native_enum=False, length=40), nullable=False),
    sa.Column('status', sa.Enum('expected', 'present', 'on_leave', 'absent', name='attendance_status', native_enum=False, length=40), nullable=False),
    sa.Column('for_official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['for_official_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'official_id', name='uq_meeting_attendee')
    )
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_votes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('choice', sa.Enum('for', 'against', 'abstain', name='vote_choice', native_enum=False, length=40), nullable=False),
    sa.Column('cast_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'official_id', name='uq_meeting_vote')
    )
    with op.batch_alter_table('meeting_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_votes_item_id'), ['item_id'], unique=False)

    op.create_table('written_opinions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stance', sa.Enum('for', 'against', 'abstain', name='written_opinion_stance', native_enum=False, length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'official_id', name='uq_written_opinion')
    )
    with op.batch_alter_table('written_opinions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_written_opinions_item_id'), ['item_id'], unique=False)

    bodies = sa.table('meeting_bodies', sa.column('county_id', sa.BigInteger()), sa.column('kind', sa.String()),
                      sa.column('name', sa.String()), sa.column('rules', sa.JSON()))
    counties = op.get_bind().execute(sa.text("SELECT id, rule_set FROM counties")).all()
    rows = [{"county_id": county_id, "kind": spec.kind.value, "name": spec.name, "rules": stored_rules(spec)}
            for county_id, rule_set in counties for spec in read_bodies(RuleSet(rule_set))]
    if rows:
        op.bulk_insert(bodies, rows)


def downgrade() -> None:
    with op.batch_alter_table('written_opinions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_written_opinions_item_id'))

    op.drop_table('written_opinions')
    with op.batch_alter_table('meeting_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_votes_item_id'))

    op.drop_table('meeting_votes')
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendance_meeting_id'))

    op.drop_table('meeting_attendance')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_county_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_body_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('meeting_bodies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_bodies_county_id'))

    op.drop_table('meeting_bodies')
