"""Incoming requests (收文): a department's or township's issued request or report in the government office's
hands, numbered in the county's yearly incoming register, with its history and its one reminder; each county's
settings for the flow; the main addressees a document sent up names

Counties made before this revision get their rule set's incoming settings (policies/incoming_requests) and its new
signing rows (who signs in, handles, instructs and passes on a request sent up) here, as new counties get them when
created; running servers are told to reload their tables.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 01:45:00
"""

import json

from alembic import op
import sqlalchemy as sa

import db.models


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_ADDRESSEES = ('county_government', 'county_party_committee', 'line_department', 'city_government',
               'province_government')
_STATES = ('received', 'registered', 'handling_proposed', 'with_leader', 'instructed', 'replied', 'closed')
_ROLES = ('magistrate', 'executive_vm', 'vm_in_charge', 'vms_involved', 'office_director', 'office_reviewer',
          'office_staff', 'legal_office', 'co_sponsor', 'unit_principal', 'meeting_chair')
_EVENTS = ('received', 're_entered', 'registered', 'handling_proposed', 'presented', 'passed_on', 'instructed',
           'supervision_opened', 'reply_drafted', 'reply_linked', 'closed', 'reminded')
_ROUTES = ('direct', 'ab_partner', 'presiding', 'entrusted', 'named', 'deputy', 'escalated')

# The settings and rows as this revision ships them (policies/incoming_requests, policies/signing), by rule set.
_SETTINGS = {
    'generic-2022': {'number_prefix': '收', 'number_article': '000 §44', 'handling_working_days': 3,
                     'handling_exempt_flags': ['major'], 'handling_article': '000 §51'},
    'yanjin-2023': {'number_prefix': '收', 'number_article': '001 §31', 'handling_working_days': None,
                    'handling_exempt_flags': [], 'handling_article': None},
    'lulong-2018': {'number_prefix': '收', 'number_article': '003 §56', 'handling_working_days': None,
                    'handling_exempt_flags': [], 'handling_article': None},
}
_RULES = {
    'generic-2022': ('G-44', ('000 §44', '000 §44', '000 §6 §47(一)6 §48', '000 §6 §48', '000 §47(二)1 §48',
                              '000 §47(二)1')),
    'yanjin-2023': ('Y-31', ('001 §28 §31', '001 §22 §31', '001 §31', '001 §31', '001 §31', '001 §31')),
    'lulong-2018': ('L-56', ('003 §54 §56', '003 §56', '003 §56', '003 §56', '003 §56 §60', '003 §56 §60')),
}


def _rows(rule_set: str) -> list[list[str]]:
    prefix, (register, handling, major, division, passed_on, pass_on) = _RULES[rule_set]
    pattern = ['department', 'request|report', 'to_county_government', '*']
    return [
        ['700', *pattern, '*', '*', '*', 'register', 'office_staff', 'allow', f'{prefix}-register', register],
        ['710', *pattern, '*', '*', '*', 'propose_handling', 'office_staff', 'allow', f'{prefix}-handling', handling],
        ['720', *pattern, 'major', '*', '*', 'instruct', 'magistrate', 'allow', f'{prefix}-major', major],
        ['721', *pattern, 'major', '*', '*', 'instruct', '*', 'deny', f'{prefix}-major', major],
        ['730', *pattern, '*', '*', '*', 'instruct', 'vm_in_charge', 'allow', f'{prefix}-division', division],
        ['740', *pattern, '*', '*', '*', 'instruct', 'magistrate|executive_vm|vms_involved', 'allow',
         f'{prefix}-passed-on', passed_on],
        ['750', *pattern, '*', '*', '*', 'pass_on', 'magistrate|executive_vm|vm_in_charge|vms_involved', 'allow',
         f'{prefix}-pass-on', pass_on],
    ]


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        'document_addressees',
        sa.Column('document_id', _ID, nullable=False),
        sa.Column('addressee', _enum('document_addressee', *_ADDRESSEES), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('document_id', 'addressee'),
    )
    settings = op.create_table(
        'incoming_request_rules',
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('number_prefix', sa.String(length=40), nullable=False),
        sa.Column('number_article', sa.String(length=120), nullable=False),
        sa.Column('handling_working_days', sa.Integer(), nullable=True),
        sa.Column('handling_exempt_flags', sa.JSON(), nullable=False),
        sa.Column('handling_article', sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.PrimaryKeyConstraint('county_id'),
    )
    op.create_table(
        'incoming_requests',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('document_id', _ID, nullable=False),
        sa.Column('sending_department_id', _ID, nullable=False),
        sa.Column('state', _enum('incoming_request_state', *_STATES), nullable=False),
        sa.Column('received_at', db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('due_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('deadline', sa.JSON(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=True),
        sa.Column('seq', sa.Integer(), nullable=True),
        sa.Column('number', sa.String(length=80), nullable=True),
        sa.Column('registered_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('addressed_to_id', _ID, nullable=True),
        sa.Column('proposal', sa.Text(), nullable=True),
        sa.Column('proposed_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('leader_id', _ID, nullable=True),
        sa.Column('leader_role', _enum('incoming_request_leader_role', *_ROLES), nullable=True),
        sa.Column('routing_rule', sa.String(length=60), nullable=True),
        sa.Column('routing_article', sa.String(length=120), nullable=True),
        sa.Column('presented_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('instruction', sa.Text(), nullable=True),
        sa.Column('instructed_by_id', _ID, nullable=True),
        sa.Column('instructed_on', sa.Date(), nullable=True),
        sa.Column('instructed_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('reply_document_id', _ID, nullable=True),
        sa.Column('closed_at', db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['sending_department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['addressed_to_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['leader_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['instructed_by_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['reply_document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('document_id'),
        sa.UniqueConstraint('reply_document_id'),
        sa.UniqueConstraint('county_id', 'year', 'seq', name='uq_incoming_request_number'),
    )
    op.create_index('ix_incoming_requests_county_state', 'incoming_requests', ['county_id', 'state'])
    op.create_index('ix_incoming_requests_due_at', 'incoming_requests', ['due_at'])
    op.create_index('ix_incoming_requests_sending_department_id', 'incoming_requests', ['sending_department_id'])
    op.create_table(
        'incoming_request_events',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('request_id', _ID, nullable=False),
        sa.Column('kind', _enum('incoming_request_event_kind', *_EVENTS), nullable=False),
        sa.Column('actor_id', _ID, nullable=True),
        sa.Column('on_behalf_of_id', _ID, nullable=True),
        sa.Column('route', _enum('incoming_request_event_route', *_ROUTES), nullable=True),
        sa.Column('leader_id', _ID, nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('at', db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['request_id'], ['incoming_requests.id']),
        sa.ForeignKeyConstraint(['actor_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['on_behalf_of_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['leader_id'], ['officials.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_incoming_request_events_request_id', 'incoming_request_events', ['request_id'])
    op.create_table(
        'incoming_request_reminders',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('request_id', _ID, nullable=False),
        sa.Column('due_at', db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['request_id'], ['incoming_requests.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_id'),
    )
    op.create_index('ix_incoming_request_reminders_county_id', 'incoming_request_reminders', ['county_id'])

    bind = op.get_bind()
    rules = sa.table("signing_rules", sa.column("county_id", sa.Integer), sa.column("priority", sa.Integer),
                     sa.column("values", sa.JSON))
    for county_id, rule_set in bind.execute(sa.text("SELECT id, rule_set FROM counties")).all():
        op.bulk_insert(settings, [{"county_id": county_id, **_SETTINGS[rule_set]}])
        op.bulk_insert(rules, [{"county_id": county_id, "priority": int(row[0]), "values": row}
                               for row in _rows(rule_set)])
        if bind.dialect.name == "postgresql":
            # services.signing_rules.CHANNEL: a server already running drops its copy of the county's table.
            bind.execute(sa.text("SELECT pg_notify('qianfa_signing_rules', :county)"), {"county": str(county_id)})


def downgrade() -> None:
    bind = op.get_bind()
    for county_id, rule_set in bind.execute(sa.text("SELECT id, rule_set FROM counties")).all():
        shipped = {row[11] for row in _rows(rule_set)}
        for row_id, values in bind.execute(sa.text("SELECT id, \"values\" FROM signing_rules WHERE county_id = :c"),
                                           {"c": county_id}).all():
            values = values if isinstance(values, list) else json.loads(values)
            if values[11] in shipped:
                bind.execute(sa.text("DELETE FROM signing_rules WHERE id = :id"), {"id": row_id})
    op.drop_index('ix_incoming_request_reminders_county_id', table_name='incoming_request_reminders')
    op.drop_table('incoming_request_reminders')
    op.drop_index('ix_incoming_request_events_request_id', table_name='incoming_request_events')
    op.drop_table('incoming_request_events')
    op.drop_index('ix_incoming_requests_sending_department_id', table_name='incoming_requests')
    op.drop_index('ix_incoming_requests_due_at', table_name='incoming_requests')
    op.drop_index('ix_incoming_requests_county_state', table_name='incoming_requests')
    op.drop_table('incoming_requests')
    op.drop_table('incoming_request_rules')
    op.drop_table('document_addressees')
