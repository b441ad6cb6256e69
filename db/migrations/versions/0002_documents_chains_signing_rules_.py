"""documents, chains, signing rules, circulation

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:38:08.266111
"""

from alembic import op
import sqlalchemy as sa

import db.models


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('circulations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('read_only', sa.Boolean(), nullable=False),
    sa.Column('classification', sa.Enum('none', 'secret', 'confidential', 'top_secret', name='circulation_classification', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circulations_county_id'), ['county_id'], unique=False)

    op.create_table('signing_rules',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signing_rules', schema=None) as batch_op:
        batch_op.create_index('ix_signing_rules_county', ['county_id', 'priority'], unique=False)

    op.create_table('circulation_readers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('circulation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('reached_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('read_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('instruction', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['circulation_id'], ['circulations.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('circulation_id', 'official_id', name='uq_circulation_reader')
    )
    with op.batch_alter_table('circulation_readers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circulation_readers_circulation_id'), ['circulation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circulation_readers_official_id'), ['official_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('issuer', sa.Enum('county_government', 'government_office', 'department', 'joint_party_government', 'joint_offices', name='document_issuer', native_enum=False, length=40), nullable=False),
    sa.Column('genre', sa.Enum('request', 'report', 'notice', 'decision', 'order', 'bill', 'letter', 'minutes', 'reply', 'contract', name='document_genre', native_enum=False, length=40), nullable=False),
    sa.Column('direction', sa.Enum('upward_city', 'upward_party_committee', 'upward_npc', 'upward_cppcc', 'downward', 'non_subordinate', name='document_direction', native_enum=False, length=40), nullable=False),
    sa.Column('meeting', sa.Enum('none', 'plenary', 'standing', 'magistrate_office', 'topical', 'party_group', name='document_meeting', native_enum=False, length=40), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('classification', sa.Enum('none', 'secret', 'confidential', 'top_secret', name='document_classification', native_enum=False, length=40), nullable=False),
    sa.Column('lead_department_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('requested_matters', sa.JSON(), nullable=False),
    sa.Column('addressed_to_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('leader_assigned', sa.Boolean(), nullable=False),
    sa.Column('departmental_matter', sa.Boolean(), nullable=False),
    sa.Column('meeting_chair_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('drafted_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('state', sa.Enum('draft', 'in_progress', 'returned', 'signed', name='document_state', native_enum=False, length=40), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['addressed_to_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['lead_department_id'], ['departments.id'], ),
    sa.ForeignKeyConstraint(['meeting_chair_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_county_state', ['county_id', 'state'], unique=False)

    op.create_table('instruction_relays',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('circulation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('from_official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('to_official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('instruction', sa.Text(), nullable=False),
    sa.Column('at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['circulation_id'], ['circulations.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['from_official_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['to_official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('instruction_relays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instruction_relays_circulation_id'), ['circulation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_instruction_relays_to_official_id'), ['to_official_id'], unique=False)

    op.create_table('chain_steps',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('office_review', 'legal_review', 'co_sign', 'co_review', 'review', 'sign', 'urgent_sign', 'countersign', name='step_action', native_enum=False, length=40), nullable=False),
    sa.Column('alternatives', sa.Boolean(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'active', 'done', name='step_state', native_enum=False, length=40), nullable=False),
    sa.Column('activated_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'round', 'position', name='uq_chain_step_position')
    )
    with op.batch_alter_table('chain_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chain_steps_document_id'), ['document_id'], unique=False)

    op.create_table('document_co_sponsors',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('department_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('document_id', 'department_id')
    )
    op.create_table('idempotent_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_digest', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'key', name='uq_idempotency_key')
    )
    op.create_table('step_assignments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('step_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.Enum('magistrate', 'executive_vm', 'vm_in_charge', 'vms_involved', 'office_director', 'office_reviewer', 'legal_office', 'co_sponsor', 'unit_principal', 'meeting_chair', name='chain_role', native_enum=False, length=40), nullable=False),
    sa.Column('assignee_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'approved', 'dissented', 'signed', 'not_needed', name='assignment_state', native_enum=False, length=40), nullable=False),
    sa.Column('acted_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('route', sa.Enum('direct', 'ab_partner', 'presiding', 'entrusted', 'named', 'deputy', 'escalated', name='action_route', native_enum=False, length=40), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('acted_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['acted_by_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['assignee_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['step_id'], ['chain_steps.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('step_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_waiting', ['county_id', 'state', 'assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_assignments_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_assignments_step_id'), ['step_id'], unique=False)

    op.create_table('document_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('step_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('assignment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('on_behalf_of_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('route', sa.Enum('direct', 'ab_partner', 'presiding', 'entrusted', 'named', 'deputy', 'escalated', name='event_route', native_enum=False, length=40), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('undone', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['assignment_id'], ['step_assignments.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['step_id'], ['chain_steps.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_events_document_id'), ['document_id'], unique=False)

    


    # Counties that already exist get their rule set's shipped signing table.
    from domain.roster import RuleSet
    from policies.signing import read_table_file

    rules = sa.table("signing_rules", sa.column("county_id", sa.Integer), sa.column("priority", sa.Integer),
                     sa.column("values", sa.JSON))
    for county_id, rule_set in op.get_bind().execute(sa.text("SELECT id, rule_set FROM counties")).all():
        rows = read_table_file(RuleSet(rule_set))
        op.bulk_insert(rules, [{"county_id": county_id, "priority": int(row[0]), "values": row} for row in rows])


def downgrade() -> None:
    
    with op.batch_alter_table('document_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_events_document_id'))

    op.drop_table('document_events')
    with op.batch_alter_table('step_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_assignments_step_id'))
        batch_op.drop_index(batch_op.f('ix_step_assignments_document_id'))
        batch_op.drop_index('ix_assignments_waiting')

    op.drop_table('step_assignments')
    op.drop_table('idempotent_requests')
    op.drop_table('document_co_sponsors')
    with op.batch_alter_table('chain_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chain_steps_document_id'))

    op.drop_table('chain_steps')
    with op.batch_alter_table('instruction_relays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instruction_relays_to_official_id'))
        batch_op.drop_index(batch_op.f('ix_instruction_relays_circulation_id'))

    op.drop_table('instruction_relays')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_county_state')

    op.drop_table('documents')
    with op.batch_alter_table('circulation_readers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circulation_readers_official_id'))
        batch_op.drop_index(batch_op.f('ix_circulation_readers_circulation_id'))

    op.drop_table('circulation_readers')
    with op.batch_alter_table('signing_rules', schema=None) as batch_op:
        batch_op.drop_index('ix_signing_rules_county')

    op.drop_table('signing_rules')
    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circulations_county_id'))

    op.drop_table('circulations')
    
