"""Meetings: decisions and the documents they authorise

Decisions (决定事项) on decided items; documents link to the decision they execute and name their catalogue
matter and amount. Counties made before this revision get their rule set's new signing rows here (a
document on a matter that needs a collective decision, without one, is not signed), as new counties get
them from policies/signing when created; running servers are told to reload their tables.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 22:10:00
"""

import json

from alembic import op
import sqlalchemy as sa

import db.models


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_OUTCOMES = ('passed', 'not_passed', 'modified', 'shelved', 'rediscuss')
_STATES = ('adopted', 'in_execution', 'change_pending', 'done', 'suspended', 'superseded')
# The rows as this revision ships them (policies/signing/<rule set>.csv), by rule set.
_GATE = {
    'generic-2022': ('G-16-collective', '000 §7 §16; 002 细则 §2'),
    'yanjin-2023': ('Y-18-collective', '001 §18; 002 细则 §2'),
    'lulong-2018': ('L-24-collective', '003 §7 §24; 002 细则 §2'),
}
_ACTIONS = (('5', 'sign'), ('6', 'urgent_sign'))


def _gate_rows(rule_set: str) -> list[list[str]]:
    rule, article = _GATE[rule_set]
    return [[priority, '*', '*', '*', '*', 'undecided_collective', '*', '*', action, '*', 'deny', rule, article]
            for priority, action in _ACTIONS]


def upgrade() -> None:
    op.create_table('meeting_decisions',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('meeting_id', _ID, nullable=False),
    sa.Column('item_id', _ID, nullable=False),
    sa.Column('outcome', sa.Enum(*_OUTCOMES, name='meeting_decision_outcome', native_enum=False, length=40), nullable=False),
    sa.Column('state', sa.Enum(*_STATES, name='meeting_decision_state', native_enum=False, length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('responsible_department_ids', sa.JSON(), nullable=False),
    sa.Column('responsible_person_id', _ID, nullable=True),
    sa.Column('deadline_on', sa.Date(), nullable=True),
    sa.Column('deadline_working_days', sa.Integer(), nullable=True),
    sa.Column('supervision', sa.Text(), nullable=False),
    sa.Column('publishable', sa.Boolean(), nullable=False),
    sa.Column('report_to_party_committee', sa.Boolean(), nullable=False),
    sa.Column('adopted_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('change_item_id', _ID, nullable=True),
    sa.Column('change_reason', sa.Text(), nullable=True),
    sa.Column('state_before_change', sa.Enum(*_STATES, name='meeting_decision_state_before_change', native_enum=False, length=40), nullable=True),
    sa.Column('superseded_by_id', _ID, nullable=True),
    sa.Column('suspension_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['change_item_id'], ['agenda_items.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ),
    sa.ForeignKeyConstraint(['responsible_person_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['meeting_decisions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id')
    )
    with op.batch_alter_table('meeting_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_decisions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('ix_meeting_decisions_county_state', ['county_id', 'state'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('matter_code', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('amount_wan', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_decision_id'), ['decision_id'], unique=False)
        batch_op.create_foreign_key('fk_documents_decision_id', 'meeting_decisions', ['decision_id'], ['id'])

    bind = op.get_bind()
    rules = sa.table("signing_rules", sa.column("county_id", sa.Integer), sa.column("priority", sa.Integer),
                     sa.column("values", sa.JSON))
    for county_id, rule_set in bind.execute(sa.text("SELECT id, rule_set FROM counties")).all():
        op.bulk_insert(rules, [{"county_id": county_id, "priority": int(row[0]), "values": row}
                               for row in _gate_rows(rule_set)])
        if bind.dialect.name == "postgresql":
            # services.signing_rules.CHANNEL: a server already running drops its copy of the county's table.
            bind.execute(sa.text("SELECT pg_notify('qianfa_signing_rules', :county)"), {"county": str(county_id)})


def downgrade() -> None:
    bind = op.get_bind()
    for county_id, rule_set in bind.execute(sa.text("SELECT id, rule_set FROM counties")).all():
        rule = _GATE[rule_set][0]
        for row_id, values in bind.execute(sa.text("SELECT id, \"values\" FROM signing_rules WHERE county_id = :c"),
                                           {"c": county_id}).all():
            values = values if isinstance(values, list) else json.loads(values)
            if values[11] == rule:
                bind.execute(sa.text("DELETE FROM signing_rules WHERE id = :id"), {"id": row_id})
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint('fk_documents_decision_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_decision_id'))
        batch_op.drop_column('amount_wan')
        batch_op.drop_column('matter_code')
        batch_op.drop_column('decision_id')

    with op.batch_alter_table('meeting_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_decisions_county_state')
        batch_op.drop_index(batch_op.f('ix_meeting_decisions_meeting_id'))

    op.drop_table('meeting_decisions')
