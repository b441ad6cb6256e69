"""Supervision (督查): numbered items, their reports, reminders and escalations, and each county's numbering
prefix and deadline classes

Counties made before this revision get their rule set's supervision data here, as this revision ships it in
policies/supervision/<rule set>.csv (new counties get the file's copy when created): the prefix 督 and the
default deadline classes — documented defaults, the county's choice, which its administrator edits.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 01:45:00
"""

from alembic import op
import sqlalchemy as sa

import db.models


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_ROUTES = ('direct', 'ab_partner', 'presiding', 'entrusted', 'named', 'deputy', 'escalated')
_SOURCES = ('manual', 'circulation_instruction', 'incoming_request', 'meeting_decision', 'proposal')
_STATES = ('registered', 'assigned', 'accepted', 'in_progress', 'result_reported', 'closed', 'reopened')

# The data as this revision ships it (policies/supervision/<rule set>.csv), by rule set: the prefix and its
# article; each class's code, name, working days, remind-before and escalate-after days, default, article.
_SERIES = {'generic-2022': ('督', '000 §48'), 'yanjin-2023': ('督', '001 §37'), 'lulong-2018': ('督', '003 §53')}
_CLASSES = {
    'generic-2022': (('general', '一般督办事项', 15, 3, 5, True, '000 §36 §48'),),
    'yanjin-2023': (('general', '一般督办事项', 15, 3, 5, True, '001 §37'),
                    ('urgent', '紧急督办事项（马上办理）', 5, 1, 2, False, '001 §37')),
    'lulong-2018': (('general', '一般督办事项', 15, 3, 5, True, '003 §38 §46 §53'),),
}
_CLASS_COLUMNS = ('code', 'name', 'working_days', 'remind_before_days', 'escalate_after_days', 'is_default',
                  'article')


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    series = op.create_table(
        'supervision_series',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('prefix', sa.String(length=20), nullable=False),
        sa.Column('article', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('county_id'),
    )
    classes = op.create_table(
        'supervision_deadline_classes',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=True),
        sa.Column('remind_before_days', sa.Integer(), nullable=True),
        sa.Column('escalate_after_days', sa.Integer(), nullable=True),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.Column('article', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('county_id', 'code', name='uq_supervision_deadline_class'),
    )
    op.create_index('ix_supervision_deadline_classes_county_id', 'supervision_deadline_classes', ['county_id'])
    op.create_table(
        'supervision_items',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('source_kind', _enum('supervision_source_kind', *_SOURCES), nullable=False),
        sa.Column('source_id', _ID, nullable=True),
        sa.Column('instruction', sa.Text(), nullable=False),
        sa.Column('instructed_by_id', _ID, nullable=True),
        sa.Column('instructed_on', sa.Date(), nullable=False),
        sa.Column('lead_department_id', _ID, nullable=False),
        sa.Column('co_department_ids', sa.JSON(), nullable=False),
        sa.Column('responsible_official_id', _ID, nullable=True),
        sa.Column('state', _enum('supervision_item_state', *_STATES), nullable=False),
        sa.Column('deadline_class', sa.String(length=40), nullable=True),
        sa.Column('working_days', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('remind_before_days', sa.Integer(), nullable=True),
        sa.Column('escalate_after_days', sa.Integer(), nullable=True),
        sa.Column('waiting_reason', sa.Text(), nullable=True),
        sa.Column('opened_by_id', _ID, nullable=True),
        sa.Column('opened_at', db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('assigned_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('accepted_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('accepted_by_id', _ID, nullable=True),
        sa.Column('accepted_for_id', _ID, nullable=True),
        sa.Column('accepted_route', _enum('supervision_accepted_route', *_ROUTES), nullable=True),
        sa.Column('result_reported_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('closed_late', sa.Boolean(), nullable=True),
        sa.Column('closed_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('closed_by_id', _ID, nullable=True),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['instructed_by_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['lead_department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['responsible_official_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['opened_by_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['accepted_by_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['accepted_for_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['closed_by_id'], ['officials.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('county_id', 'year', 'seq', name='uq_supervision_item_number'),
    )
    op.create_index('ix_supervision_items_source', 'supervision_items', ['source_kind', 'source_id'])
    op.create_index('ix_supervision_items_county_state', 'supervision_items', ['county_id', 'state'])
    op.create_index('ix_supervision_items_instructed_by_id', 'supervision_items', ['instructed_by_id'])
    op.create_index('ix_supervision_items_lead_department_id', 'supervision_items', ['lead_department_id'])
    op.create_table(
        'supervision_entries',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('item_id', _ID, nullable=False),
        sa.Column('kind', _enum('supervision_entry_kind', 'progress', 'result', 'reopened', 'closed'), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('official_id', _ID, nullable=True),
        sa.Column('on_behalf_of_id', _ID, nullable=True),
        sa.Column('route', _enum('supervision_entry_route', *_ROUTES), nullable=True),
        sa.Column('document_id', _ID, nullable=True),
        sa.Column('at', db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['item_id'], ['supervision_items.id']),
        sa.ForeignKeyConstraint(['official_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['on_behalf_of_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_supervision_entries_item_id', 'supervision_entries', ['item_id'])
    op.create_table(
        'supervision_lapses',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('item_id', _ID, nullable=False),
        sa.Column('kind', _enum('supervision_lapse_kind', 'reminder', 'escalation'), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('official_ids', sa.JSON(), nullable=False),
        sa.Column('sent_at', db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['item_id'], ['supervision_items.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('item_id', 'kind', 'due_on', name='uq_supervision_lapse'),
    )
    op.create_index('ix_supervision_lapses_county_id', 'supervision_lapses', ['county_id'])
    op.create_index('ix_supervision_lapses_item_id', 'supervision_lapses', ['item_id'])

    counties = op.get_bind().execute(sa.text("SELECT id, rule_set FROM counties")).all()
    if counties:
        op.bulk_insert(series, [{'county_id': county_id, 'prefix': _SERIES[rule_set][0],
                                 'article': _SERIES[rule_set][1]} for county_id, rule_set in counties])
        op.bulk_insert(classes, [{'county_id': county_id, **dict(zip(_CLASS_COLUMNS, row, strict=True))}
                                 for county_id, rule_set in counties for row in _CLASSES[rule_set]])


def downgrade() -> None:
    for table in ('supervision_lapses', 'supervision_entries', 'supervision_items', 'supervision_deadline_classes',
                  'supervision_series'):
        op.drop_table(table)
