"""Meetings: recusal, relation register, minutes, emergency decisions

The relation register and recusals (002 人事 §18, §23), persons concerned on items; a meeting's minutes
number and its minutes document, the minutes reminders (003 §46); emergency decisions (000 §7; 002 细则
§17). Bodies of counties made before this revision get the new rule columns (recusal denominator, minutes
clocks) from their rule set's table, or the documented defaults for bodies the county added itself.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 22:10:00
"""

from alembic import op
import sqlalchemy as sa

import db.models
from domain.roster import RuleSet
from policies.meetings import read_bodies, stored_rules


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_RELATION_KINDS = ('spouse', 'parent', 'child', 'sibling', 'spouse_parent', 'other_blood', 'other_marriage')
_NEW_RULES = ('recused_leave_denominator', 'minutes_draft_days', 'minutes_sign_days', 'minutes_clock_article')
_DEFAULT_RULES = {'recused_leave_denominator': True, 'minutes_draft_days': None, 'minutes_sign_days': None,
                  'minutes_clock_article': ''}


def upgrade() -> None:
    op.create_table('official_relations',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('official_id', _ID, nullable=False),
    sa.Column('relative_id', _ID, nullable=True),
    sa.Column('relative_name', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.Enum(*_RELATION_KINDS, name='relation_kind', native_enum=False, length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_account_id', _ID, nullable=True),
    sa.Column('recorded_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('relative_id IS NOT NULL OR relative_name IS NOT NULL', name='ck_relation_relative'),
    sa.CheckConstraint('relative_id IS NULL OR relative_id <> official_id', name='ck_relation_not_self'),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['relative_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('official_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_relations_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_official_relations_official_id'), ['official_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_official_relations_relative_id'), ['relative_id'], unique=False)

    op.create_table('meeting_recusals',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('item_id', _ID, nullable=False),
    sa.Column('official_id', _ID, nullable=False),
    sa.Column('reason', sa.Enum('declared', 'raised_by_office', 'raised_by_inspector', 'automatic',
                                name='recusal_reason', native_enum=False, length=40), nullable=False),
    sa.Column('relation_kind', sa.Enum(*_RELATION_KINDS, name='recusal_relation_kind', native_enum=False, length=40),
              nullable=True),
    sa.Column('concerning', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('raised_by_account_id', _ID, nullable=True),
    sa.Column('raised_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['raised_by_account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'official_id', name='uq_meeting_recusal')
    )
    with op.batch_alter_table('meeting_recusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_recusals_item_id'), ['item_id'], unique=False)

    op.create_table('minutes_reminders',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('meeting_id', _ID, nullable=False),
    sa.Column('clock', sa.String(length=20), nullable=False),
    sa.Column('due_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'clock', name='uq_minutes_reminder')
    )
    with op.batch_alter_table('minutes_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_reminders_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_minutes_reminders_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_emergency_decisions',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('body_id', _ID, nullable=False),
    sa.Column('decided_by_id', _ID, nullable=False),
    sa.Column('decided_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('matter', sa.String(length=300), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('report_due', 'reported', 'overdue', name='emergency_decision_state',
                               native_enum=False, length=40), nullable=False),
    sa.Column('report_item_id', _ID, nullable=True),
    sa.Column('recorded_by_account_id', _ID, nullable=True),
    sa.Column('recorded_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['body_id'], ['meeting_bodies.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['report_item_id'], ['agenda_items.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting_emergency_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_emergency_decisions_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_emergency_decisions_report_item_id'), ['report_item_id'],
                              unique=False)
        batch_op.create_index('ix_emergency_decisions_county_state', ['county_id', 'state'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('minutes_seq', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_meeting_minutes_number', ['body_id', 'minutes_year', 'minutes_seq'])

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_of_meeting_id', _ID, nullable=True))
        batch_op.create_unique_constraint('uq_documents_minutes_of_meeting_id', ['minutes_of_meeting_id'])
        batch_op.create_foreign_key('fk_documents_minutes_of_meeting_id', 'meetings', ['minutes_of_meeting_id'],
                                    ['id'])

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('persons_concerned', sa.JSON(), server_default=sa.text("'[]'"),
                                      nullable=False))

    _add_body_rules()


def _add_body_rules() -> None:
    """Each existing body gets the new columns: its rule set's row for a shipped body, the defaults otherwise."""
    bind = op.get_bind()
    bodies = sa.table('meeting_bodies', sa.column('id', sa.BigInteger()), sa.column('rules', sa.JSON()))
    rows = bind.execute(sa.text("SELECT b.id, b.kind, b.name, c.rule_set FROM meeting_bodies b "
                                "JOIN counties c ON c.id = b.county_id")).all()
    for body_id, kind, name, rule_set in rows:
        rules = bind.execute(sa.select(bodies.c.rules).where(bodies.c.id == body_id)).scalar_one()
        if all(key in rules for key in _NEW_RULES):
            continue
        shipped = next((stored_rules(spec) for spec in read_bodies(RuleSet(rule_set))
                        if spec.kind.value == kind and spec.name == name), _DEFAULT_RULES)
        rules = {**{key: shipped[key] for key in _NEW_RULES}, **rules}
        bind.execute(bodies.update().where(bodies.c.id == body_id).values(rules=rules))


def downgrade() -> None:
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('persons_concerned')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint('fk_documents_minutes_of_meeting_id', type_='foreignkey')
        batch_op.drop_constraint('uq_documents_minutes_of_meeting_id', type_='unique')
        batch_op.drop_column('minutes_of_meeting_id')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint('uq_meeting_minutes_number', type_='unique')
        batch_op.drop_column('minutes_seq')
        batch_op.drop_column('minutes_year')

    op.drop_table('meeting_emergency_decisions')
    op.drop_table('minutes_reminders')
    op.drop_table('meeting_recusals')
    op.drop_table('official_relations')
