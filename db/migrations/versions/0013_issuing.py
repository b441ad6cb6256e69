"""Issuing and the yearly document plan

Signed documents are numbered in a 发文字号 series and issued to a distribution list (SIGNED → ISSUED); the
clock to issuing and its one reminder; each county's series (copied here from its rule set's policies/issuing
table for counties made before this revision, as new counties get them when created); lulong's yearly document
plan (003 §62). Counties made before this revision get their rule set's new signing rows here (who issues, and
lulong's one-by-one approval of unplanned documents); running servers are told to reload their tables.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 01:45:00
"""

import json

from alembic import op
import sqlalchemy as sa

import db.models
from domain.roster import RuleSet
from policies.issuing import read_series


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_ISSUERS = ('county_government', 'government_office', 'department', 'joint_party_government', 'joint_offices')
_ROUTES = ('direct', 'ab_partner', 'presiding', 'entrusted', 'named', 'deputy', 'escalated')
_OFFICE_ISSUERS = 'county_government|government_office|joint_party_government|joint_offices'
# The rows as this revision ships them (policies/signing/<rule set>.csv), by rule set.
_NEW_ROWS = {
    'generic-2022': [
        ['600', _OFFICE_ISSUERS, '*', '*', '*', '*', '*', '*', 'issue', 'office_director|office_staff', 'allow',
         'G-51-issue', '000 §51'],
        ['610', 'department', '*', '*', '*', '*', '*', '*', 'issue', 'unit_principal', 'allow', 'G-49-issue', '000 §49'],
    ],
    'yanjin-2023': [
        ['600', _OFFICE_ISSUERS, '*', '*', '*', '*', '*', '*', 'issue', 'office_director|office_staff', 'allow',
         'Y-22-issue', '001 §22'],
        ['610', 'department', '*', '*', '*', '*', '*', '*', 'issue', 'unit_principal', 'allow', 'Y-34-issue', '001 §34'],
    ],
    'lulong-2018': [
        ['140', 'county_government|government_office', '*', '*', '*', 'unplanned', '*', '*', 'unplanned_approval',
         'magistrate', 'allow', 'L-62-plan', '003 §62'],
        ['600', _OFFICE_ISSUERS, '*', '*', '*', '*', '*', '*', 'issue', 'office_director|office_staff', 'allow',
         'L-60-issue', '003 §60'],
        ['610', 'department', '*', '*', '*', '*', '*', '*', 'issue', 'unit_principal', 'allow', 'L-60-unit-issue',
         '003 §60'],
    ],
}


def upgrade() -> None:
    op.create_table('issue_series',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('issuer', sa.Enum(*_ISSUERS, name='issue_series_issuer', native_enum=False, length=40), nullable=False),
    sa.Column('genre', sa.String(length=40), nullable=False),
    sa.Column('department_id', _ID, nullable=True),
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('article', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_issue_series_county_id'), 'issue_series', ['county_id'], unique=False)
    op.create_table('issue_counters',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'prefix', 'year', name='uq_issue_counter')
    )
    op.create_table('document_recipients',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('document_id', _ID, nullable=False),
    sa.Column('kind', sa.Enum('main', 'copy', name='distribution_kind', native_enum=False, length=40), nullable=False),
    sa.Column('department_id', _ID, nullable=True),
    sa.Column('organ', sa.String(length=200), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_document_recipients_document_id'), 'document_recipients', ['document_id'], unique=False)
    op.create_table('issue_reminders',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('document_id', _ID, nullable=False),
    sa.Column('due_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id')
    )
    op.create_index(op.f('ix_issue_reminders_county_id'), 'issue_reminders', ['county_id'], unique=False)
    op.create_table('document_plans',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'approved', name='document_plan_state', native_enum=False, length=40), nullable=False),
    sa.Column('drafted_by_id', _ID, nullable=True),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', _ID, nullable=True),
    sa.Column('approved_for_id', _ID, nullable=True),
    sa.Column('approved_route', sa.Enum(*_ROUTES, name='document_plan_approved_route', native_enum=False, length=40), nullable=True),
    sa.Column('approved_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['approved_for_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'year', name='uq_document_plan_year')
    )
    op.create_table('document_plan_entries',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('plan_id', _ID, nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('issuer', sa.Enum(*_ISSUERS, name='document_plan_entry_issuer', native_enum=False, length=40), nullable=False),
    sa.Column('lead_department_id', _ID, nullable=True),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['lead_department_id'], ['departments.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['document_plans.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_document_plan_entries_plan_id'), 'document_plan_entries', ['plan_id'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issue_number', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('issue_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('issued_at', db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('issued_by_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('issue_due_at', db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('issue_deadline', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('plan_entry_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('plan_exception', sa.Enum('province_city_document', 'principal_leader_request', name='document_plan_exception', native_enum=False, length=40), nullable=True))
        batch_op.add_column(sa.Column('plan_exception_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('plan_exception_by_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('plan_exception_at', db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_issue_due_at'), ['issue_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_plan_entry_id'), ['plan_entry_id'], unique=False)
        batch_op.create_unique_constraint('uq_document_issue_number', ['county_id', 'issue_number'])
        batch_op.create_foreign_key('fk_documents_issued_by_id', 'officials', ['issued_by_id'], ['id'])
        batch_op.create_foreign_key('fk_documents_plan_exception_by_id', 'officials', ['plan_exception_by_id'], ['id'])
        batch_op.create_foreign_key('fk_documents_plan_entry_id', 'document_plan_entries', ['plan_entry_id'], ['id'])

    bind = op.get_bind()
    series = sa.table('issue_series', sa.column('county_id', sa.Integer), sa.column('issuer', sa.String),
                      sa.column('genre', sa.String), sa.column('department_id', sa.Integer),
                      sa.column('prefix', sa.String), sa.column('article', sa.String))
    rules = sa.table('signing_rules', sa.column('county_id', sa.Integer), sa.column('priority', sa.Integer),
                     sa.column('values', sa.JSON))
    for county_id, rule_set in bind.execute(sa.text('SELECT id, rule_set FROM counties')).all():
        op.bulk_insert(series, [{'county_id': county_id, 'issuer': spec.issuer.value, 'genre': spec.genre,
                                 'department_id': None, 'prefix': spec.prefix, 'article': spec.article}
                                for spec in read_series(RuleSet(rule_set))])
        op.bulk_insert(rules, [{'county_id': county_id, 'priority': int(row[0]), 'values': row}
                               for row in _NEW_ROWS[rule_set]])
        if bind.dialect.name == 'postgresql':
            # services.signing_rules.CHANNEL: a server already running drops its copy of the county's table.
            bind.execute(sa.text("SELECT pg_notify('qianfa_signing_rules', :county)"), {'county': str(county_id)})


def downgrade() -> None:
    bind = op.get_bind()
    for county_id, rule_set in bind.execute(sa.text('SELECT id, rule_set FROM counties')).all():
        added = {row[11] for row in _NEW_ROWS[rule_set]}
        for row_id, values in bind.execute(sa.text('SELECT id, "values" FROM signing_rules WHERE county_id = :c'),
                                           {'c': county_id}).all():
            values = values if isinstance(values, list) else json.loads(values)
            if values[11] in added:
                bind.execute(sa.text('DELETE FROM signing_rules WHERE id = :id'), {'id': row_id})
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint('fk_documents_plan_entry_id', type_='foreignkey')
        batch_op.drop_constraint('fk_documents_plan_exception_by_id', type_='foreignkey')
        batch_op.drop_constraint('fk_documents_issued_by_id', type_='foreignkey')
        batch_op.drop_constraint('uq_document_issue_number', type_='unique')
        batch_op.drop_index(batch_op.f('ix_documents_plan_entry_id'))
        batch_op.drop_index(batch_op.f('ix_documents_issue_due_at'))
        for column in ('plan_exception_at', 'plan_exception_by_id', 'plan_exception_note', 'plan_exception',
                       'plan_entry_id', 'issue_deadline', 'issue_due_at', 'issued_by_id', 'issued_at', 'issued_on',
                       'issue_year', 'issue_number'):
            batch_op.drop_column(column)
    op.drop_table('document_plan_entries')
    op.drop_table('document_plans')
    op.drop_table('issue_reminders')
    op.drop_table('document_recipients')
    op.drop_table('issue_counters')
    op.drop_table('issue_series')
