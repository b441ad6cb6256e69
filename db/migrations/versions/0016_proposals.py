"""Proposals: NPC deputies' bills and suggestions and CPPCC members' proposals, their handling and time limits

Counties made before this revision get their rule set's time limits (policies/proposals/<rule set>.csv) and the
signing row for a unit's reply letter (policies/signing/<rule set>.csv), as new counties get them when created;
running servers are told to reload their signing tables.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 01:45:00
"""

import json

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_KINDS = ('npc_bill', 'npc_suggestion', 'cppcc_proposal')
_STATES = ('received', 'assigned', 'accepted', 'in_progress', 'replied', 'published', 'closed')
_OUTCOMES = ('solved', 'planned', 'cannot_solve')
_WAYS = ('visit', 'meeting', 'phone', 'letter', 'inspection')
_EVENTS = ('registered', 'assigned', 'accepted', 'reply_drafted', 'replied', 'published', 'closed', 'put_on_agenda',
           'reminded')
_STEPS = ('assign', 'accept', 'reply', 'publish')
_ROUTES = ('direct', 'ab_partner', 'presiding', 'entrusted', 'named', 'deputy', 'escalated')

# The rows as this revision ships them, by rule set: the time limits (step, working days, article) and the
# signing row for the reply letter.
_LIMITS = {
    'generic-2022': (('assign', 10, '000 §56(五)'), ('accept', 5, '000 §56(一)'), ('reply', 60, '000 §27 §56(二)')),
    'yanjin-2023': (('assign', 10, '001 §14'), ('accept', 5, '001 §14'), ('reply', 60, '001 §14'),
                    ('publish', 20, '001 §14')),
    'lulong-2018': (('assign', 10, '003 §30'), ('accept', 5, '003 §30'), ('reply', 60, '003 §30'),
                    ('publish', 20, '003 §30')),
}
_REPLY_ROW = {
    'generic-2022': ('520', 'G-56-reply', '000 §56(一)(二)'),
    'yanjin-2023': ('510', 'Y-14-reply', '001 §14'),
    'lulong-2018': ('510', 'L-30-reply', '003 §30'),
}


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def _reply_row(rule_set: str) -> list[str]:
    priority, rule, article = _REPLY_ROW[rule_set]
    return [priority, 'department', 'letter', 'upward_npc|upward_cppcc', '*', '*', '*', '*', 'sign', 'unit_principal',
            'allow', rule, article]


def upgrade() -> None:
    op.create_table(
        'proposal_time_limits',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('step', _enum(_STEPS, 'proposal_limit_step'), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('article', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('county_id', 'step', name='uq_proposal_time_limit'),
    )
    op.create_index('ix_proposal_time_limits_county_id', 'proposal_time_limits', ['county_id'])
    op.create_table(
        'proposals',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('kind', _enum(_KINDS, 'proposal_kind'), nullable=False),
        sa.Column('session', sa.String(length=100), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('proposers', sa.String(length=300), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('category', sa.String(length=100), nullable=False),
        sa.Column('state', _enum(_STATES, 'proposal_state'), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lead_department_id', _ID, nullable=True),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('responsible_principal_id', _ID, nullable=True),
        sa.Column('handler_id', _ID, nullable=True),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', _enum(_OUTCOMES, 'proposal_outcome'), nullable=True),
        sa.Column('explanation', sa.Text(), nullable=True),
        sa.Column('reply_document_id', _ID, nullable=True),
        sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('published_where', sa.String(length=300), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('agenda_item_id', _ID, nullable=True),
        sa.Column('due_step', _enum(_STEPS, 'proposal_due_step'), nullable=True),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('due_article', sa.String(length=120), nullable=True),
        sa.Column('due_problem', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id']),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['handler_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['lead_department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['reply_document_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['responsible_principal_id'], ['officials.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('county_id', 'kind', 'session', 'number', name='uq_proposal_number'),
        sa.UniqueConstraint('reply_document_id'),
    )
    op.create_index('ix_proposals_county_state', 'proposals', ['county_id', 'state'])
    op.create_index('ix_proposals_lead_department_id', 'proposals', ['lead_department_id'])
    op.create_table(
        'proposal_co_units',
        sa.Column('proposal_id', _ID, nullable=False),
        sa.Column('department_id', _ID, nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id']),
        sa.PrimaryKeyConstraint('proposal_id', 'department_id'),
    )
    op.create_table(
        'proposal_contacts',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('proposal_id', _ID, nullable=False),
        sa.Column('contacted_on', sa.Date(), nullable=False),
        sa.Column('way', _enum(_WAYS, 'proposal_contact_way'), nullable=False),
        sa.Column('person', sa.String(length=100), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', _ID, nullable=False),
        sa.Column('on_behalf_of_id', _ID, nullable=True),
        sa.Column('route', _enum(_ROUTES, 'proposal_contact_route'), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['on_behalf_of_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['officials.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_proposal_contacts_proposal_id', 'proposal_contacts', ['proposal_id'])
    op.create_table(
        'proposal_events',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('proposal_id', _ID, nullable=False),
        sa.Column('kind', _enum(_EVENTS, 'proposal_event_kind'), nullable=False),
        sa.Column('actor_id', _ID, nullable=True),
        sa.Column('on_behalf_of_id', _ID, nullable=True),
        sa.Column('route', _enum(_ROUTES, 'proposal_event_route'), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['on_behalf_of_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_proposal_events_proposal_id', 'proposal_events', ['proposal_id'])
    op.create_table(
        'proposal_reminders',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('proposal_id', _ID, nullable=False),
        sa.Column('step', _enum(_STEPS, 'proposal_reminder_step'), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('proposal_id', 'step', name='uq_proposal_reminder'),
    )
    op.create_index('ix_proposal_reminders_county_id', 'proposal_reminders', ['county_id'])
    op.create_index('ix_proposal_reminders_proposal_id', 'proposal_reminders', ['proposal_id'])

    bind = op.get_bind()
    limits = sa.table('proposal_time_limits', sa.column('county_id', sa.Integer), sa.column('step', sa.String),
                      sa.column('working_days', sa.Integer), sa.column('article', sa.String))
    rules = sa.table('signing_rules', sa.column('county_id', sa.Integer), sa.column('priority', sa.Integer),
                     sa.column('values', sa.JSON))
    for county_id, rule_set in bind.execute(sa.text('SELECT id, rule_set FROM counties')).all():
        op.bulk_insert(limits, [{'county_id': county_id, 'step': step, 'working_days': days, 'article': article}
                                for step, days, article in _LIMITS[rule_set]])
        row = _reply_row(rule_set)
        op.bulk_insert(rules, [{'county_id': county_id, 'priority': int(row[0]), 'values': row}])
        if bind.dialect.name == 'postgresql':
            # services.signing_rules.CHANNEL: a server already running drops its copy of the county's table.
            bind.execute(sa.text("SELECT pg_notify('qianfa_signing_rules', :county)"), {'county': str(county_id)})


def downgrade() -> None:
    bind = op.get_bind()
    for county_id, rule_set in bind.execute(sa.text('SELECT id, rule_set FROM counties')).all():
        rule = _REPLY_ROW[rule_set][1]
        for row_id, values in bind.execute(sa.text('SELECT id, "values" FROM signing_rules WHERE county_id = :c'),
                                           {'c': county_id}).all():
            values = values if isinstance(values, list) else json.loads(values)
            if values[11] == rule:
                bind.execute(sa.text('DELETE FROM signing_rules WHERE id = :id'), {'id': row_id})
    op.drop_table('proposal_reminders')
    op.drop_table('proposal_events')
    op.drop_table('proposal_contacts')
    op.drop_table('proposal_co_units')
    op.drop_table('proposals')
    op.drop_table('proposal_time_limits')
